//! The basemap in the workbench: its menu (choose a file, show or hide, how opaque the district
//! fills are over it, remove), keeping the map's open tiles in step with the plan, and its
//! words. Every change is a [`Command::SetBasemap`], so it is undone and saved like any other.

use std::path::PathBuf;

use super::bidi_text::bidi_widget_text;
use super::i18n::Language;
use super::map::MapState;
use super::map::basemap_tiles::BasemapTiles;
use crate::model::{Basemap, BasemapSource, Command};

/// The basemap's words in one language.
pub struct BasemapWords {
    /// The menu's name.
    pub menu: &'static str,
    /// Choosing a file.
    pub choose: &'static str,
    /// Showing it.
    pub show: &'static str,
    /// The opacity slider's label.
    pub fills_over: &'static str,
    /// Removing it from the plan.
    pub remove: &'static str,
    /// Before the reason a file did not open.
    pub cannot_open: &'static str,
    /// Before the attribution in the status bar.
    pub attribution: &'static str,
    /// Tiles that could not be read.
    pub bad_tiles: &'static str,
    /// The online server's heading.
    pub online: &'static str,
    /// Its attribution field.
    pub online_attribution: &'static str,
    /// Taking it.
    pub use_online: &'static str,
}

const FA: BasemapWords = BasemapWords {
    menu: "نقشه‌ی پایه",
    choose: "انتخاب پرونده‌ی نقشه‌ی پایه (MBTiles، PMTiles)…",
    show: "نمایش نقشه‌ی پایه",
    fills_over: "کدری محله‌ها روی نقشه‌ی پایه",
    remove: "برداشتن نقشه‌ی پایه",
    cannot_open: "نقشه‌ی پایه باز نشد",
    attribution: "نقشه‌ی پایه:",
    bad_tiles: "کاشی خوانده نشد",
    online: "کاشی‌های برخط (نشانی XYZ کارسازی که اجازه‌ی استفاده از آن را دارید):",
    online_attribution: "انتساب:",
    use_online: "استفاده",
};

const EN: BasemapWords = BasemapWords {
    menu: "Basemap",
    choose: "Choose a basemap file (MBTiles, PMTiles)…",
    show: "Show the basemap",
    fills_over: "District fills over the basemap",
    remove: "Remove the basemap",
    cannot_open: "The basemap did not open",
    attribution: "Basemap:",
    bad_tiles: "tiles could not be read",
    online: "Online tiles (the XYZ address of a server you may use):",
    online_attribution: "Attribution:",
    use_online: "Use",
};

/// The basemap's words in `lang`.
pub fn basemap_words(lang: Language) -> &'static BasemapWords {
    match lang {
        Language::Fa => &FA,
        Language::En => &EN,
    }
}

/// The workbench's basemap state besides the plan's setting.
pub struct BasemapMenu {
    /// Where online tiles are cached (the platform's cache folder unless set).
    pub tile_cache: Option<PathBuf>,
    /// The opacity being dragged, until the slider is let go.
    pub opacity_draft: Option<f32>,
    /// A source that did not open, and why (not tried again until the plan names another).
    pub problem: Option<(BasemapSource, String)>,
    /// The online template and attribution being typed.
    pub online_draft: (String, String),
    /// Why the typed template is not one.
    pub online_error: Option<String>,
}

/// What the menu asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum BasemapAction {
    /// Ask for a file.
    ChooseFile,
    /// Change the plan.
    Apply(Box<Command>),
    /// What was typed is not usable: say why.
    Refused(String),
}

impl Default for BasemapMenu {
    fn default() -> Self {
        Self {
            tile_cache: crate::basemap::default_tile_cache(),
            opacity_draft: None,
            problem: None,
            online_draft: (String::new(), String::new()),
            online_error: None,
        }
    }
}

impl BasemapMenu {
    /// The opacity the fills get this frame (the one being dragged, else the plan's).
    pub fn fill_opacity(&self, basemap: Option<&Basemap>) -> f32 {
        match (basemap, self.opacity_draft) {
            (Some(b), Some(draft)) if b.visible => draft,
            _ => Basemap::fill_opacity(basemap),
        }
    }

    /// Opens or drops the map's tiles so they are the plan's basemap's, and shows or hides them.
    pub fn sync(&mut self, map: &mut MapState, basemap: Option<&Basemap>, ctx: &egui::Context) {
        let Some(wanted) = basemap else {
            map.basemap = None;
            map.show_basemap = false;
            self.problem = None;
            return;
        };
        map.show_basemap = wanted.visible;
        let open_now = map.basemap.as_ref().is_some_and(|b| b.source == wanted.source);
        let failed_already = self.problem.as_ref().is_some_and(|(p, _)| *p == wanted.source);
        if open_now || failed_already {
            return;
        }
        let wake = {
            let ctx = ctx.clone();
            move || ctx.request_repaint()
        };
        match BasemapTiles::open(&wanted.source, self.tile_cache.as_deref(), wake) {
            Ok(tiles) => {
                map.basemap = Some(tiles);
                self.problem = None;
            }
            Err(e) => {
                map.basemap = None;
                self.problem = Some((wanted.source.clone(), e.to_string()));
            }
        }
    }
}

/// The basemap's menu.
pub fn basemap_menu_ui(
    ui: &mut egui::Ui,
    menu: &mut BasemapMenu,
    basemap: Option<&Basemap>,
    lang: Language,
) -> Option<BasemapAction> {
    let words = basemap_words(lang);
    let mut action = None;
    if ui.button(bidi_widget_text(ui, words.choose)).clicked() {
        action = Some(BasemapAction::ChooseFile);
    }
    match online_ui(ui, menu, basemap, words) {
        Some(Ok(chosen)) => action = Some(BasemapAction::Apply(Box::new(Command::SetBasemap(Some(chosen))))),
        Some(Err(why)) => action = Some(BasemapAction::Refused(why)),
        None => {}
    }
    let Some(current) = basemap else { return action };
    let mut visible = current.visible;
    if ui.checkbox(&mut visible, bidi_widget_text(ui, words.show)).changed() {
        action = Some(BasemapAction::Apply(Box::new(Command::SetBasemap(Some(Basemap {
            visible,
            ..current.clone()
        })))));
    }
    ui.label(bidi_widget_text(ui, words.fills_over));
    let mut percent = 100.0 * menu.opacity_draft.unwrap_or(current.districts_opacity);
    let slider = ui.add_enabled(
        current.visible,
        egui::Slider::new(&mut percent, 0.0..=100.0).suffix(" %").integer(),
    );
    if slider.changed() {
        menu.opacity_draft = Some((percent / 100.0).clamp(0.0, 1.0));
    }
    // One step in the history per gesture: committed when the slider is let go (or typed into).
    if (slider.drag_stopped() || (slider.changed() && !slider.dragged()) || (!slider.dragged() && !slider.has_focus()))
        && let Some(draft) = menu.opacity_draft.take()
        && draft != current.districts_opacity
    {
        action = Some(BasemapAction::Apply(Box::new(Command::SetBasemap(Some(Basemap {
            districts_opacity: draft,
            ..current.clone()
        })))));
    }
    if ui.button(bidi_widget_text(ui, words.remove)).clicked() {
        action = Some(BasemapAction::Apply(Box::new(Command::SetBasemap(None))));
    }
    action
}

/// The online server's fields; when the user takes the template, the basemap to use or why it
/// is not a template.
fn online_ui(
    ui: &mut egui::Ui,
    menu: &mut BasemapMenu,
    basemap: Option<&Basemap>,
    words: &BasemapWords,
) -> Option<Result<Basemap, String>> {
    ui.separator();
    let label = ui.label(bidi_widget_text(ui, words.online));
    let (url, attribution) = &mut menu.online_draft;
    ui.add(
        egui::TextEdit::singleline(url)
            .hint_text("https://…/{z}/{x}/{y}.png")
            .desired_width(320.0),
    )
    .labelled_by(label.id);
    ui.horizontal(|ui| {
        let label = ui.label(bidi_widget_text(ui, words.online_attribution));
        ui.add(egui::TextEdit::singleline(attribution).desired_width(220.0))
            .labelled_by(label.id);
    });
    if let Some(error) = &menu.online_error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    if !ui.button(bidi_widget_text(ui, words.use_online)).clicked() {
        return None;
    }
    if let Err(e) = crate::basemap::check_xyz_template(url) {
        menu.online_error = Some(e.clone());
        return Some(Err(e));
    }
    menu.online_error = None;
    let chosen = Basemap::online(url.trim(), attribution.trim());
    Some(Ok(Basemap {
        districts_opacity: basemap.map_or(chosen.districts_opacity, |b| b.districts_opacity),
        ..chosen
    }))
}
