//! Online tiles from an XYZ URL template (`https://tiles.example.org/{z}/{x}/{y}.png`), for
//! workstations that are online and allowed to use the server: each tile fetched once, with a
//! User-Agent naming mahalleh, and kept in an on-disk cache that later views (and offline days)
//! read first.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{BasemapError, TileId};

/// What mahalleh says it is to tile servers (their usage policies ask for an identifying agent).
pub const USER_AGENT: &str = concat!(
    "mahalleh/",
    env!("CARGO_PKG_VERSION"),
    " (neighbourhood planning workbench)"
);

/// A tile larger than this is not a tile.
const MAX_TILE_BYTES: u64 = 16 << 20;

/// How long one request may take before the tile is given up (and asked again later).
const TIMEOUT: Duration = Duration::from_secs(20);

/// Environment variable naming the tile cache folder (else the platform's cache folder).
pub const CACHE_ENV: &str = "MAHALLEH_TILE_CACHE";

/// An online tile server and its cache (clones share the connection pool).
#[derive(Clone)]
pub struct XyzSource {
    template: String,
    agent: ureq::Agent,
    /// This server's folder in the cache, when there is one.
    cache: Option<PathBuf>,
}

/// Checks an XYZ template: http(s), with `{z}`, `{x}` and `{y}` (or `{-y}`, rows from the south).
///
/// ```
/// use mahalleh::basemap::check_xyz_template;
/// assert!(check_xyz_template("https://tile.example.org/{z}/{x}/{y}.png").is_ok());
/// assert!(check_xyz_template("https://tile.example.org/{z}/{x}.png").is_err());
/// assert!(check_xyz_template("file:///tiles/{z}/{x}/{y}.png").is_err());
/// ```
pub fn check_xyz_template(template: &str) -> Result<(), String> {
    let t = template.trim();
    if !(t.starts_with("https://") || t.starts_with("http://")) {
        return Err(format!("\"{t}\" is not an http:// or https:// address"));
    }
    for part in ["{z}", "{x}"] {
        if !t.contains(part) {
            return Err(format!("\"{t}\" has no {part}"));
        }
    }
    if !t.contains("{y}") && !t.contains("{-y}") {
        return Err(format!("\"{t}\" has no {{y}} (or {{-y}})"));
    }
    Ok(())
}

/// The platform's folder for mahalleh's tile cache: `$MAHALLEH_TILE_CACHE`, else
/// `%LOCALAPPDATA%\mahalleh\tiles` on Windows and `$XDG_CACHE_HOME/mahalleh/tiles` (or
/// `~/.cache/mahalleh/tiles`) elsewhere.
pub fn default_tile_cache() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var(CACHE_ENV) {
        return Some(dir);
    }
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|h| h.join(".cache")))
    }?;
    Some(base.join("mahalleh").join("tiles"))
}

impl XyzSource {
    /// A source for `template`, caching under `cache_root` (in a folder of its own per server).
    pub fn new(template: &str, cache_root: Option<&Path>) -> Result<Self, BasemapError> {
        check_xyz_template(template).map_err(|message| BasemapError::BadUrl { message })?;
        let config = ureq::Agent::config_builder()
            .user_agent(USER_AGENT)
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .build();
        // One folder per template, named by a hash of it (templates hold characters no file
        // system takes).
        let cache = cache_root.map(|root| root.join(format!("{:016x}", fnv1a(template.trim().as_bytes()))));
        Ok(Self {
            template: template.trim().to_owned(),
            agent: config.into(),
            cache,
        })
    }

    /// The address of `tile`.
    pub fn url(&self, tile: TileId) -> String {
        let tms_y = (1u64 << tile.z) - 1 - u64::from(tile.y);
        self.template
            .replace("{z}", &tile.z.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{-y}", &tms_y.to_string())
            .replace("{y}", &tile.y.to_string())
    }

    fn cache_file(&self, tile: TileId) -> Option<PathBuf> {
        Some(
            self.cache
                .as_ref()?
                .join(tile.z.to_string())
                .join(tile.x.to_string())
                .join(format!("{}.tile", tile.y)),
        )
    }

    /// The bytes of `tile`: from the cache, else from the server (then cached); `None` when the
    /// server has no such tile (404 or 204).
    pub fn tile_bytes(&self, tile: TileId) -> Result<Option<Vec<u8>>, BasemapError> {
        let cached = self.cache_file(tile);
        if let Some(bytes) = cached.as_ref().and_then(|f| std::fs::read(f).ok()) {
            return Ok(Some(bytes));
        }
        let url = self.url(tile);
        let failed = |message: String| BasemapError::Http {
            url: url.clone(),
            message,
        };
        let response = self.agent.get(&url).call().map_err(|e| failed(e.to_string()))?;
        let status = response.status().as_u16();
        if status == 404 || status == 204 {
            return Ok(None);
        }
        if status != 200 {
            return Err(failed(format!("the server answered {status}")));
        }
        let mut bytes = Vec::new();
        response
            .into_body()
            .into_reader()
            .take(MAX_TILE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| failed(e.to_string()))?;
        if let Some(file) = cached {
            // Written beside and renamed, so a half-written tile is never read; not synced (a
            // lost one is fetched again). A cache that cannot be written only costs a download.
            let part = file.with_extension("part");
            let _ = file
                .parent()
                .map(std::fs::create_dir_all)
                .transpose()
                .and_then(|_| std::fs::write(&part, &bytes))
                .and_then(|()| std::fs::rename(&part, &file));
        }
        Ok(Some(bytes))
    }
}

/// FNV-1a, 64 bits: a stable name for a template's cache folder.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_fill_the_template() {
        let s = XyzSource::new("https://t.example.org/{z}/{x}/{y}.png?k=1", None).unwrap();
        assert_eq!(
            s.url(TileId::new(12, 2666, 1664).unwrap()),
            "https://t.example.org/12/2666/1664.png?k=1"
        );
        let tms = XyzSource::new("http://t.example.org/{z}/{x}/{-y}.jpg", None).unwrap();
        assert_eq!(tms.url(TileId::new(1, 0, 0).unwrap()), "http://t.example.org/1/0/1.jpg");
        assert!(matches!(
            XyzSource::new("ftp://x/{z}/{x}/{y}", None),
            Err(BasemapError::BadUrl { .. })
        ));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
