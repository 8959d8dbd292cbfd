//! A file dialog drawn in the window, for desktops that cannot show their own: a folder field, the
//! folder's subfolders and matching files (Persian names laid out right to left), a file name
//! field, and Open/Save with a question before a file is replaced. Folders that cannot be read
//! say why inside the dialog.

use std::path::{Path, PathBuf};

use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::i18n::{Language, Msg};

/// What became of the dialog this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum BrowserOutcome {
    /// Still open.
    Open,
    /// A file was chosen.
    Chosen(PathBuf),
    /// Closed without a file.
    Cancelled,
}

/// One entry of the folder listing.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    name: String,
    is_dir: bool,
}

/// The dialog's state between frames.
pub struct FileBrowser {
    saves: bool,
    extensions: Vec<String>,
    folder: PathBuf,
    folder_text: String,
    file_name: String,
    show_all: bool,
    entries: Result<Vec<Entry>, String>,
    /// The file a save would replace, waiting for the user's word.
    confirm_replace: Option<PathBuf>,
    lang: Language,
}

impl FileBrowser {
    /// A dialog that opens (or, with `saves`, saves) a file with one of `extensions`, starting in
    /// `folder` with `file_name` filled in.
    pub fn new(saves: bool, extensions: &[&str], folder: PathBuf, file_name: String) -> Self {
        let mut browser = Self {
            saves,
            extensions: extensions.iter().map(|e| e.to_ascii_lowercase()).collect(),
            folder_text: folder.display().to_string(),
            folder,
            file_name,
            show_all: false,
            entries: Ok(Vec::new()),
            confirm_replace: None,
            lang: Language::default(),
        };
        browser.refresh();
        browser
    }

    /// The folder shown.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    fn refresh(&mut self) {
        self.entries = list_folder(&self.folder, &self.extensions, self.show_all);
    }

    fn enter(&mut self, folder: PathBuf) {
        self.folder_text = folder.display().to_string();
        self.folder = folder;
        self.refresh();
    }

    /// The file the name field names: absolute names stand alone, others are in the folder.
    fn target(&self) -> Option<PathBuf> {
        let name = self.file_name.trim();
        (!name.is_empty()).then(|| self.folder.join(name))
    }

    /// Shows the dialog.
    pub fn ui(&mut self, ctx: &egui::Context, title: &str, lang: Language) -> BrowserOutcome {
        self.lang = lang;
        let mut outcome = BrowserOutcome::Open;
        let mut open = true;
        egui::Window::new(title)
            .id(egui::Id::unique("mahalleh-file-browser"))
            .open(&mut open)
            .collapsible(false)
            .default_size([560.0, 440.0])
            .show(ctx, |ui| outcome = self.contents_ui(ui, lang));
        if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) && self.confirm_replace.is_none() {
            return BrowserOutcome::Cancelled;
        }
        outcome
    }

    fn contents_ui(&mut self, ui: &mut egui::Ui, lang: Language) -> BrowserOutcome {
        if let Some(path) = self.confirm_replace.clone() {
            return self.confirm_replace_ui(ui, &path, lang);
        }
        let mut outcome = BrowserOutcome::Open;
        ui.horizontal(|ui| {
            let parent = self.folder.parent().map(Path::to_path_buf);
            if ui
                .add_enabled(parent.is_some(), egui::Button::new(lang.tr(Msg::UpFolder)))
                .clicked()
                && let Some(parent) = parent
            {
                self.enter(parent);
            }
            let label = ui.label(lang.tr(Msg::FolderLabel));
            let response = ui
                .add(egui::TextEdit::singleline(&mut self.folder_text).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if response.lost_focus() {
                let typed = PathBuf::from(self.folder_text.trim());
                if typed.is_dir() {
                    self.enter(typed);
                } else {
                    self.entries = Err(format!("{}: {}", lang.tr(Msg::NotAFolder), typed.display()));
                }
            }
        });
        ui.separator();
        let mut clicked = None;
        let mut double_clicked = None;
        let rows = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        let list_height = (ui.available_height() - 90.0).max(120.0);
        match &self.entries {
            Err(message) => {
                let color = ui.visuals().error_fg_color;
                ui.add(BidiLabel::new(message).color(color).wrap());
                ui.add_space(list_height - rows);
            }
            Ok(entries) => {
                egui::ScrollArea::vertical()
                    .id_salt("file-browser-list")
                    .max_height(list_height)
                    .min_scrolled_height(list_height)
                    .auto_shrink([false, false])
                    .show_rows(ui, rows, entries.len(), |ui, range| {
                        for entry in &entries[range] {
                            let text = if entry.is_dir {
                                format!("{}/", entry.name)
                            } else {
                                entry.name.clone()
                            };
                            let selected = !entry.is_dir && entry.name == self.file_name;
                            let response = ui.selectable_label(selected, bidi_widget_text(ui, &text));
                            if response.double_clicked() {
                                double_clicked = Some(entry.clone());
                            } else if response.clicked() {
                                clicked = Some(entry.clone());
                            }
                        }
                    });
            }
        }
        if let Some(entry) = double_clicked {
            if entry.is_dir {
                self.enter(self.folder.join(&entry.name));
            } else {
                self.file_name = entry.name;
                outcome = self.confirm();
            }
        } else if let Some(entry) = clicked {
            if entry.is_dir {
                self.enter(self.folder.join(&entry.name));
            } else {
                self.file_name = entry.name;
            }
        }
        ui.separator();
        ui.horizontal(|ui| {
            let label = ui.label(lang.tr(Msg::FileNameLabel));
            let response = ui
                .add(egui::TextEdit::singleline(&mut self.file_name).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                outcome = self.confirm();
            }
        });
        ui.horizontal(|ui| {
            if ui.checkbox(&mut self.show_all, lang.tr(Msg::AllFiles)).changed() {
                self.refresh();
            }
            let action = lang.tr(if self.saves { Msg::SaveButton } else { Msg::Open });
            if ui
                .add_enabled(self.target().is_some(), egui::Button::new(action))
                .clicked()
            {
                outcome = self.confirm();
            }
            if ui.button(lang.tr(Msg::Cancel)).clicked() {
                outcome = BrowserOutcome::Cancelled;
            }
        });
        outcome
    }

    /// The name field's file, if it may be used: a file to open must exist; a folder is entered
    /// instead; a file a save would replace is asked about first.
    fn confirm(&mut self) -> BrowserOutcome {
        let Some(path) = self.target() else {
            return BrowserOutcome::Open;
        };
        if path.is_dir() {
            self.file_name.clear();
            self.enter(path);
            return BrowserOutcome::Open;
        }
        match (self.saves, path.exists()) {
            (true, true) => {
                self.confirm_replace = Some(path);
                BrowserOutcome::Open
            }
            (true, false) | (false, true) => BrowserOutcome::Chosen(path),
            (false, false) => {
                self.entries = Err(format!("{}: {}", self.lang.tr(Msg::NoSuchFile), path.display()));
                BrowserOutcome::Open
            }
        }
    }

    fn confirm_replace_ui(&mut self, ui: &mut egui::Ui, path: &Path, lang: Language) -> BrowserOutcome {
        ui.add(BidiLabel::new(lang.tr(Msg::ReplaceFile)).wrap());
        ui.add(BidiLabel::new(&path.display().to_string()).wrap());
        let mut outcome = BrowserOutcome::Open;
        ui.horizontal(|ui| {
            if ui.button(lang.tr(Msg::Replace)).clicked() {
                outcome = BrowserOutcome::Chosen(path.to_path_buf());
            }
            if ui.button(lang.tr(Msg::Cancel)).clicked() {
                self.confirm_replace = None;
            }
        });
        outcome
    }
}

/// Subfolders and the files with one of `extensions` (every file with `all`), folders first,
/// each group by name; hidden entries left out. An unreadable folder says why.
fn list_folder(folder: &Path, extensions: &[String], all: bool) -> Result<Vec<Entry>, String> {
    let read = std::fs::read_dir(folder).map_err(|e| format!("{e}: {}", folder.display()))?;
    let mut entries: Vec<Entry> = read
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.path().is_dir();
            let wanted = is_dir
                || all
                || Path::new(&name)
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| extensions.iter().any(|w| w.eq_ignore_ascii_case(x)));
            (wanted && !name.starts_with('.')).then_some(Entry { name, is_dir })
        })
        .collect();
    entries.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_come_first_and_only_wanted_files_are_listed() {
        let dir = std::env::temp_dir().join(format!("mahalleh-browser-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("نقشه‌ها")).unwrap();
        for name in ["b.geojson", "a.GeoJSON", "notes.txt", ".hidden.geojson"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        let names = |all| {
            list_folder(&dir, &["geojson".into()], all)
                .unwrap()
                .into_iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(false), ["نقشه‌ها", "a.GeoJSON", "b.geojson"]);
        assert_eq!(names(true), ["نقشه‌ها", "a.GeoJSON", "b.geojson", "notes.txt"]);
        let gone = list_folder(&dir.join("missing"), &[], false).unwrap_err();
        assert!(gone.contains("missing"), "{gone}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn saving_over_a_file_asks_first_and_a_folder_name_is_entered() {
        let dir = std::env::temp_dir().join(format!("mahalleh-browser-save-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("plan.mahalleh"), "{}").unwrap();
        let mut b = FileBrowser::new(true, &["mahalleh"], dir.clone(), "plan.mahalleh".into());
        assert_eq!(b.confirm(), BrowserOutcome::Open);
        assert_eq!(b.confirm_replace.as_deref(), Some(dir.join("plan.mahalleh").as_path()));
        b.confirm_replace = None;
        b.file_name = "sub".into();
        assert_eq!(b.confirm(), BrowserOutcome::Open);
        assert_eq!(b.folder(), dir.join("sub"));
        b.file_name = "new.mahalleh".into();
        assert_eq!(b.confirm(), BrowserOutcome::Chosen(dir.join("sub/new.mahalleh")));
        let mut open = FileBrowser::new(false, &["mahalleh"], dir.clone(), "absent.mahalleh".into());
        assert_eq!(open.confirm(), BrowserOutcome::Open, "a file to open must exist");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
