//! Writing a file so that a crash or kill in the middle leaves the old file whole: write a
//! temporary file beside it, flush it to disk, then rename it over the old one.

use std::io::Write;
use std::path::Path;

/// Replaces `path` with `bytes` atomically (on the same file system, rename is atomic).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("mahalleh-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("plan.mahalleh");
/// mahalleh::io::write_atomically(&path, b"{}").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"{}");
/// ```
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(path);
    let temp = temporary_beside(path);
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        // Make the rename itself durable where the platform allows syncing a directory.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> std::path::PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// A hidden temporary file beside `path`, on the same file system so renaming it over `path`
/// is atomic (for writers that build a file in place, like SQLite).
pub fn temporary_beside(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder_of(path).join(format!(".{name}.{}.tmp", std::process::id()))
}
