//! Choosing files: the desktop's own dialog (rfd) on a named thread when the desktop has one, and
//! a dialog drawn in the window ([`FileBrowser`]) when it has not. rfd answers "no file" both when the user
//! cancels and when no dialog could be shown (no file-chooser portal and no zenity: many Linux
//! desktops, every server), so the native dialog is used only where it can appear, and an
//! answer that comes back faster than a person can cancel counts as "could not be shown".

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use super::file_browser::{BrowserOutcome, FileBrowser};
use super::i18n::{Language, Msg};
use crate::export::layout::LayoutFormat;

/// Environment variable that forces a dialog: `egui` or `native`.
pub const DIALOG_ENV: &str = "MAHALLEH_FILE_DIALOG";

/// A native dialog that answers "no file" sooner than this was never shown.
const FASTEST_HUMAN_CANCEL: Duration = Duration::from_millis(300);

/// What a file is wanted for; the answer comes back tagged with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    /// A district layer to open.
    OpenLayer,
    /// A plan to open.
    OpenPlan,
    /// Where to save the plan.
    SavePlan,
    /// Where to save the plan before the window closes.
    SavePlanThenQuit,
    /// Where to write the offices as GeoJSON.
    ExportOffices,
    /// Where to write the coverage table.
    ExportCoverage,
    /// Where to write a map layout.
    ExportLayout(LayoutFormat),
    /// A table to join to the districts.
    JoinTable,
    /// A basemap (MBTiles or PMTiles) to draw under the map.
    OpenBasemap,
    /// A file to add as a reference layer.
    AddLayer,
}

impl FilePurpose {
    /// True when the file is written rather than read.
    pub fn saves(self) -> bool {
        !matches!(
            self,
            Self::OpenLayer | Self::OpenPlan | Self::JoinTable | Self::OpenBasemap | Self::AddLayer
        )
    }

    /// The filter's name and extensions.
    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Self::OpenLayer | Self::AddLayer => (
                "GeoJSON, Shapefile, GeoPackage, KML, CSV, FlatGeobuf",
                &[
                    "geojson", "json", "shp", "dbf", "zip", "kml", "kmz", "csv", "tsv", "fgb", "gpkg",
                ],
            ),
            Self::OpenPlan | Self::SavePlan | Self::SavePlanThenQuit => ("mahalleh", &["mahalleh"]),
            Self::ExportOffices => ("GeoJSON, GeoPackage, Shapefile", &["geojson", "gpkg", "shp"]),
            Self::ExportCoverage => ("CSV, GeoPackage, Shapefile", &["csv", "gpkg", "shp"]),
            Self::ExportLayout(LayoutFormat::Pdf) => ("PDF", &["pdf"]),
            Self::ExportLayout(LayoutFormat::Svg) => ("SVG", &["svg"]),
            Self::ExportLayout(LayoutFormat::Png) => ("PNG", &["png"]),
            Self::OpenBasemap => ("MBTiles, PMTiles", &["mbtiles", "pmtiles"]),
            Self::JoinTable => (
                "CSV, TSV, Excel, OpenDocument",
                &["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "xlsb", "ods"],
            ),
        }
    }

    /// The chosen path, with the purpose's extension added when a saved file has none of them.
    pub fn with_extension(self, path: PathBuf) -> PathBuf {
        let (_, extensions) = self.filter();
        let has_one = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
        match (self.saves() && !has_one, extensions.first()) {
            (true, Some(ext)) => {
                let mut name = path.into_os_string();
                name.push(".");
                name.push(ext);
                PathBuf::from(name)
            }
            _ => path,
        }
    }
}

/// Which dialog is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    /// The desktop's own (Windows, macOS, a Linux desktop with a portal or zenity).
    Native,
    /// Drawn by mahalleh in the window.
    Egui,
}

/// A request waiting for its answer.
enum Pending {
    Native {
        purpose: FilePurpose,
        started: Instant,
        answer: Receiver<Option<PathBuf>>,
        suggested: Suggested,
    },
    Egui {
        purpose: FilePurpose,
        dialog: Box<FileBrowser>,
    },
}

/// Where a dialog starts and the name it suggests.
#[derive(Clone, Debug, Default)]
struct Suggested {
    folder: Option<PathBuf>,
    file_name: Option<String>,
}

/// The file dialogs of the window: at most one open at a time.
pub struct FileDialogs {
    kind: DialogKind,
    pending: Option<Pending>,
    /// Why the last request could not be asked (shown by the caller once).
    failure: Option<String>,
}

impl Default for FileDialogs {
    fn default() -> Self {
        Self::new(detect_dialog_kind())
    }
}

impl FileDialogs {
    /// Dialogs of one kind.
    pub fn new(kind: DialogKind) -> Self {
        Self {
            kind,
            pending: None,
            failure: None,
        }
    }

    /// The kind of dialog requests get.
    pub fn kind(&self) -> DialogKind {
        self.kind
    }

    /// True while a dialog is open.
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// What was asked, while a dialog is open.
    pub fn purpose(&self) -> Option<FilePurpose> {
        match &self.pending {
            Some(Pending::Native { purpose, .. } | Pending::Egui { purpose, .. }) => Some(*purpose),
            None => None,
        }
    }

    /// Asks for a file for `purpose`, starting in `folder` with `file_name` suggested. A dialog
    /// already open is left as it is (one question at a time).
    pub fn ask(&mut self, purpose: FilePurpose, folder: Option<&Path>, file_name: Option<&str>, lang: Language) {
        if self.pending.is_some() {
            return;
        }
        let suggested = Suggested {
            folder: folder.map(Path::to_path_buf),
            file_name: file_name.map(str::to_string),
        };
        match self.kind {
            DialogKind::Native => match ask_native(purpose, &suggested) {
                Ok(answer) => {
                    self.pending = Some(Pending::Native {
                        purpose,
                        started: Instant::now(),
                        answer,
                        suggested,
                    })
                }
                Err(e) => {
                    self.kind = DialogKind::Egui;
                    self.failure = Some(e.to_string());
                    self.open_egui(purpose, &suggested, lang);
                }
            },
            DialogKind::Egui => self.open_egui(purpose, &suggested, lang),
        }
    }

    fn open_egui(&mut self, purpose: FilePurpose, suggested: &Suggested, _lang: Language) {
        let folder = suggested
            .folder
            .clone()
            .filter(|f| f.is_dir())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let (_, extensions) = purpose.filter();
        let name = if purpose.saves() {
            suggested.file_name.clone().unwrap_or_default()
        } else {
            String::new()
        };
        let dialog = FileBrowser::new(purpose.saves(), extensions, folder, name);
        self.pending = Some(Pending::Egui {
            purpose,
            dialog: Box::new(dialog),
        });
    }

    /// Draws an egui dialog and collects answers; returns a chosen file with what it is for.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Language) -> Option<(FilePurpose, PathBuf)> {
        match self.pending.take()? {
            Pending::Native {
                purpose,
                started,
                answer,
                suggested,
            } => match answer.try_recv() {
                Ok(Some(path)) => Some((purpose, purpose.with_extension(path))),
                Ok(None) if started.elapsed() < FASTEST_HUMAN_CANCEL => {
                    // Nobody cancels that fast: the desktop showed nothing. Ask again in the window.
                    self.kind = DialogKind::Egui;
                    self.failure = Some(lang.tr(Msg::NoNativeDialog).to_string());
                    self.open_egui(purpose, &suggested, lang);
                    None
                }
                Ok(None) | Err(TryRecvError::Disconnected) => None,
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(Duration::from_millis(100));
                    self.pending = Some(Pending::Native {
                        purpose,
                        started,
                        answer,
                        suggested,
                    });
                    None
                }
            },
            Pending::Egui { purpose, mut dialog } => {
                let title = lang.tr(if purpose.saves() {
                    Msg::SaveFileTitle
                } else {
                    Msg::OpenFileTitle
                });
                match dialog.ui(ctx, title, lang) {
                    BrowserOutcome::Chosen(path) => Some((purpose, purpose.with_extension(path))),
                    BrowserOutcome::Open => {
                        self.pending = Some(Pending::Egui { purpose, dialog });
                        None
                    }
                    BrowserOutcome::Cancelled => None,
                }
            }
        }
    }

    /// Closes an open dialog without an answer (one in the window; the desktop's cannot be closed
    /// from here, and its answer is dropped).
    pub fn cancel(&mut self) {
        self.pending = None;
    }

    /// Why the desktop's dialog could not be used, once.
    pub fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }
}

/// Where a dialog that saves starts, given the folder of the plan or its districts: that folder,
/// unless it is a place for programs rather than for work (under one of `program_folders`: the
/// temporary folder the sample map is copied to, the program's own folder, read-only under
/// `C:\Program Files`), where a plan saved would be lost or refused; then `documents`.
///
/// ```
/// use std::path::{Path, PathBuf};
/// use mahalleh::ui::file_dialog::save_start_folder;
/// let programs = [PathBuf::from("/tmp")];
/// let docs = Some(PathBuf::from("/home/sara/Documents"));
/// assert_eq!(save_start_folder(Some(Path::new("/tmp/mahalleh-sample")), &programs, docs.clone()), docs);
/// assert_eq!(save_start_folder(Some(Path::new("/data/yazd")), &programs, docs), Some(PathBuf::from("/data/yazd")));
/// ```
pub fn save_start_folder(
    folder: Option<&Path>,
    program_folders: &[PathBuf],
    documents: Option<PathBuf>,
) -> Option<PathBuf> {
    match folder {
        Some(f) if !program_folders.iter().any(|p| f.starts_with(p)) => Some(f.to_path_buf()),
        _ => documents.or_else(|| folder.map(Path::to_path_buf)),
    }
}

/// The places [`save_start_folder`] steers away from on this machine: the temporary folder and
/// the folder the program runs from.
pub fn program_folders() -> Vec<PathBuf> {
    let exe_folder = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    std::iter::once(std::env::temp_dir()).chain(exe_folder).collect()
}

/// The user's documents folder (`%USERPROFILE%\Documents`, `~/Documents`), else their home
/// folder, when the environment names one.
pub fn documents_folder() -> Option<PathBuf> {
    let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)?;
    let documents = home.join("Documents");
    Some(if documents.is_dir() { documents } else { home })
}

/// Starts the desktop's dialog on a thread of its own; the answer comes over the channel.
fn ask_native(purpose: FilePurpose, suggested: &Suggested) -> std::io::Result<Receiver<Option<PathBuf>>> {
    let (tx, rx) = channel();
    let (name, extensions) = purpose.filter();
    let suggested = suggested.clone();
    std::thread::Builder::new().name("file-dialog".into()).spawn(move || {
        let mut dialog = rfd::FileDialog::new().add_filter(name, extensions);
        if let Some(folder) = &suggested.folder {
            dialog = dialog.set_directory(folder);
        }
        if let Some(file_name) = &suggested.file_name {
            dialog = dialog.set_file_name(file_name);
        }
        let answer = if purpose.saves() {
            dialog.save_file()
        } else {
            dialog.pick_file()
        };
        let _ = tx.send(answer);
    })?;
    Ok(rx)
}

/// The dialog to use here: `MAHALLEH_FILE_DIALOG` when set, else native where the desktop can
/// show one.
pub fn detect_dialog_kind() -> DialogKind {
    match std::env::var(DIALOG_ENV).as_deref() {
        Ok("egui") => return DialogKind::Egui,
        Ok("native") => return DialogKind::Native,
        _ => {}
    }
    if native_dialog_possible(&SystemProbe) {
        DialogKind::Native
    } else {
        DialogKind::Egui
    }
}

/// What the native-dialog check looks at, so that its logic is tested without a desktop.
pub trait DesktopProbe {
    /// The value of an environment variable.
    fn var(&self, name: &str) -> Option<String>;
    /// True when the file exists.
    fn exists(&self, path: &Path) -> bool;
    /// The text of a file.
    fn read(&self, path: &Path) -> Option<String>;
    /// The files of a folder.
    fn list(&self, folder: &Path) -> Vec<PathBuf>;
}

/// The real machine.
pub struct SystemProbe;

impl DesktopProbe for SystemProbe {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
    fn list(&self, folder: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(folder)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    }
}

/// True when rfd can show a dialog here. Windows and macOS always can. On Linux and the BSDs rfd
/// asks the XDG file-chooser portal over the session bus and falls back to `zenity`: so either
/// zenity is on the PATH, or there is a session bus, a portal service and a portal backend that
/// implements the file chooser (or we run inside Flatpak, whose portal always has one).
pub fn native_dialog_possible(probe: &dyn DesktopProbe) -> bool {
    if !cfg!(unix) || cfg!(target_os = "macos") {
        return true;
    }
    let on_path = |program: &str| {
        probe
            .var("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| probe.exists(&dir.join(program))))
    };
    if on_path("zenity") {
        return true;
    }
    if probe.exists(Path::new("/.flatpak-info")) {
        return true;
    }
    let bus = probe.var("DBUS_SESSION_BUS_ADDRESS").is_some()
        || probe
            .var("XDG_RUNTIME_DIR")
            .is_some_and(|dir| probe.exists(&Path::new(&dir).join("bus")));
    if !bus {
        return false;
    }
    let data_dirs = probe
        .var("XDG_DATA_DIRS")
        .unwrap_or_else(|| "/usr/local/share:/usr/share".to_string());
    let dirs: Vec<PathBuf> = std::env::split_paths(&data_dirs).collect();
    let service = dirs
        .iter()
        .any(|d| probe.exists(&d.join("dbus-1/services/org.freedesktop.portal.Desktop.service")));
    let backend = dirs.iter().any(|d| {
        probe
            .list(&d.join("xdg-desktop-portal/portals"))
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "portal"))
            .any(|p| {
                probe
                    .read(p)
                    .is_some_and(|t| t.contains("org.freedesktop.impl.portal.FileChooser"))
            })
    });
    service && backend
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_steers_away_from_program_folders_only() {
        let programs = [PathBuf::from("/tmp"), PathBuf::from("/opt/mahalleh")];
        let docs = Some(PathBuf::from("/home/sara/Documents"));
        // The sample beside the program, and a plan with no folder at all, start in documents.
        let beside_exe = save_start_folder(Some(Path::new("/opt/mahalleh/maps")), &programs, docs.clone());
        assert_eq!(beside_exe, docs);
        assert_eq!(save_start_folder(None, &programs, docs.clone()), docs);
        // A folder that merely shares a prefix of letters is the user's own.
        let own = Path::new("/opt/mahalleh-data/yazd");
        assert_eq!(save_start_folder(Some(own), &programs, docs), Some(own.to_path_buf()));
        // Without a documents folder the start stays where it was rather than nowhere.
        let tmp = Path::new("/tmp/mahalleh-sample");
        assert_eq!(save_start_folder(Some(tmp), &programs, None), Some(tmp.to_path_buf()));
    }
    use std::collections::BTreeMap;

    #[derive(Default)]
    struct FakeDesktop {
        vars: BTreeMap<&'static str, &'static str>,
        files: BTreeMap<PathBuf, &'static str>,
    }

    impl DesktopProbe for FakeDesktop {
        fn var(&self, name: &str) -> Option<String> {
            self.vars.get(name).map(|v| v.to_string())
        }
        fn exists(&self, path: &Path) -> bool {
            self.files.keys().any(|f| f == path || f.starts_with(path))
        }
        fn read(&self, path: &Path) -> Option<String> {
            self.files.get(path).map(|t| t.to_string())
        }
        fn list(&self, folder: &Path) -> Vec<PathBuf> {
            self.files
                .keys()
                .filter(|f| f.parent() == Some(folder))
                .cloned()
                .collect()
        }
    }

    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn native_dialogs_need_zenity_or_a_portal_with_a_file_chooser() {
        let mut desktop = FakeDesktop::default();
        desktop.vars.insert("PATH", "/usr/bin:/bin");
        assert!(!native_dialog_possible(&desktop), "a server: nothing");
        desktop
            .vars
            .insert("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus");
        desktop.files.insert(
            "/usr/share/dbus-1/services/org.freedesktop.portal.Desktop.service".into(),
            "[D-BUS Service]",
        );
        assert!(!native_dialog_possible(&desktop), "a portal without backends");
        desktop.files.insert(
            "/usr/share/xdg-desktop-portal/portals/wlr.portal".into(),
            "[portal]\nInterfaces=org.freedesktop.impl.portal.Screenshot;",
        );
        assert!(!native_dialog_possible(&desktop), "a backend without a file chooser");
        desktop.files.insert(
            "/usr/share/xdg-desktop-portal/portals/gtk.portal".into(),
            "[portal]\nInterfaces=org.freedesktop.impl.portal.FileChooser;org.freedesktop.impl.portal.Print;",
        );
        assert!(native_dialog_possible(&desktop));
        let mut server = FakeDesktop::default();
        server.vars.insert("PATH", "/usr/bin:/bin");
        server.files.insert("/usr/bin/zenity".into(), "");
        assert!(native_dialog_possible(&server), "rfd falls back to zenity");
    }

    #[test]
    fn saved_files_get_the_extension_of_what_they_are() {
        let p = FilePurpose::SavePlan.with_extension("/tmp/یزد".into());
        assert_eq!(p, Path::new("/tmp/یزد.mahalleh"));
        let p = FilePurpose::ExportLayout(LayoutFormat::Pdf).with_extension("/tmp/a.PDF".into());
        assert_eq!(p, Path::new("/tmp/a.PDF"));
        let p = FilePurpose::ExportOffices.with_extension("/tmp/offices.v2".into());
        assert_eq!(p, Path::new("/tmp/offices.v2.geojson"));
        let p = FilePurpose::ExportCoverage.with_extension("/tmp/پوشش.SHP".into());
        assert_eq!(p, Path::new("/tmp/پوشش.SHP"));
        assert_eq!(
            FilePurpose::OpenLayer.with_extension("/tmp/x.txt".into()),
            Path::new("/tmp/x.txt")
        );
    }
}
