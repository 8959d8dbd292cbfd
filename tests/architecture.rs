//! The core stays headless: nothing outside `src/ui/` and `src/main.rs` uses egui or eframe;
//! its lower folders (the data, its index, drawing data and text) never reach up into analysis,
//! export, the window or the workspace; and the model (the plan as stated) names no R-tree and
//! no drawing data.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code lines (comments left out) of the Rust files under `src/FOLDER` for each of
/// `folders` (`""`: all of `src`) whose path relative to `src` `skip` does not leave out and
/// that `bad` flags, as `src/PATH:LINE: CODE`.
fn offending_lines(folders: &[&str], skip: impl Fn(&str) -> bool, bad: impl Fn(&str) -> bool) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for folder in folders {
        let mut files = Vec::new();
        rust_files(&src.join(folder), &mut files);
        assert!(files.len() > 2, "found only {} files under src/{folder}", files.len());
        for file in files {
            let rel = file
                .strip_prefix(&src)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            if skip(&rel) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if !code.starts_with("//") && bad(code) {
                    offenders.push(format!("src/{rel}:{}: {code}", n + 1));
                }
            }
        }
    }
    offenders
}

#[test]
fn core_never_uses_egui() {
    let offenders = offending_lines(
        &[""],
        |rel| rel.starts_with("ui/") || rel == "main.rs",
        |code| {
            ["egui::", "eframe::", "use egui", "use eframe", "egui_"]
                .iter()
                .any(|p| code.contains(p))
        },
    );
    assert!(
        offenders.is_empty(),
        "the core must not use egui:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn data_index_drawing_and_text_never_reach_up() {
    let above = [
        "crate::analysis",
        "crate::export",
        "crate::ui",
        "crate::cli",
        "crate::workspace",
    ];
    let offenders = offending_lines(
        &["model", "index", "map", "text"],
        |_| false,
        |code| above.iter().any(|p| code.contains(p)),
    );
    assert!(
        offenders.is_empty(),
        "model, index, map and text must not use analysis, export, ui or the workspace:\n{}",
        offenders.join("\n")
    );
}

/// What is derived from loaded files (R-trees, drawing data) is the workspace's.
#[test]
fn the_model_holds_no_index_or_drawing_data() {
    let offenders = offending_lines(
        &["model"],
        |_| false,
        // Colours are the one thing of the map's the plan names (a layer's style).
        |code| {
            ["crate::index", "crate::map::"]
                .iter()
                .any(|p| code.contains(p) && !code.contains("crate::map::palette::Rgb"))
        },
    );
    assert!(
        offenders.is_empty(),
        "the model must not use the index or the map's drawing:\n{}",
        offenders.join("\n")
    );
}
