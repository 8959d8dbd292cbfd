//! The desktop workbench (egui). Only this folder and `main.rs` use egui; everything it shows comes
//! from the core, and what it changes goes through the core's API.

/// The eframe window.
pub mod app;
/// The attribute panel.
pub mod attributes;
/// The basemap's menu and its place in the workbench.
pub mod basemap_menu;
/// Persian text for egui: bidi runs as layout sections.
pub mod bidi_text;
/// Data files written on a thread.
pub mod data_export;
/// The district list.
pub mod district_list;
/// A file dialog drawn in the window.
pub mod file_browser;
/// Choosing files: the desktop's dialog, or one drawn in the window.
pub mod file_dialog;
/// The bundled fonts.
pub mod fonts;
/// Frame timing.
pub mod frame_stats;
/// Interface words in Persian and English.
pub mod i18n;
/// The joined-tables panel.
pub mod join_panel;
/// The layer panel: reference layers shown, ordered and styled.
pub mod layer_panel;
/// The layer panel's words.
pub mod layer_words;
/// The print layout dialog with its live preview.
pub mod layout_dialog;
/// The legend of what the map draws.
pub mod legend;
pub mod load_words;
/// Background loading.
pub mod loader;
/// The map widget and its drawing.
pub mod map;
/// The measure tool: distances and areas on the map.
pub mod measure_tool;
/// Numeric fields in the language's digits.
pub mod number_field;
/// The offices panel and indicators.
pub mod office_panel;
/// Offices drawn and edited on the map.
pub mod offices_overlay;
/// Opening and saving plans, exports, autosave and the quit question.
pub mod plan_files;
/// The plan being edited.
pub mod plan_state;
/// Questions a file asks before it can be read (layer, coordinate system).
pub mod read_question;
/// Reference layers read on threads, and the feature under the pointer.
pub mod reference_layers;
/// Reference layers drawn on the map and identified under the pointer.
pub mod reference_overlay;
/// The status bar.
pub mod status_bar;
/// The thematic style panel.
pub mod style_panel;
/// The style panel's words.
pub mod style_words;
/// The "Suggest sites" panel.
pub mod suggest_panel;
/// Suggestions in plain words.
pub mod suggest_words;
/// The theme of the plan's district style.
pub mod theme_state;
/// The load warnings list.
pub mod warnings;
/// The program's icon for the window.
pub mod window_icon;
/// The workbench state and layout.
pub mod workbench;

pub use app::{WindowOptions, run_window};
pub use workbench::Workbench;
