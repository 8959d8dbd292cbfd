//! Questions a file raises before it can be read: which layer of a file holding several, which
//! coordinate system for projected coordinates in a file that names none. The answer is a
//! reading choice the plan keeps, so the file opens the same way next time.

use std::path::PathBuf;

use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::i18n::{Language, Msg};
use crate::io::LoadError;
use crate::io::crs::{Reprojector, SourceXy};
use crate::io::crs_from_text;
use crate::model::ReadChoices;
use crate::text::Numbers;

/// Coordinate systems Iranian municipal files come in, offered first.
const COMMON_CRS: &[u32] = &[32638, 32639, 32640, 32641, 2058, 2059, 2060, 2061, 23038, 3857];

/// A file that needs the planner's answer before it can be read.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadQuestion {
    /// The file.
    pub path: PathBuf,
    /// The choices it was read with.
    pub read: ReadChoices,
    /// Whether the planner opened it (else the plan named it).
    pub adopt: bool,
    /// What is asked.
    pub ask: Ask,
}

/// What a [`ReadQuestion`] asks.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    /// Which of these layers.
    Layer(Vec<String>),
    /// Which coordinate system, for coordinates in these ranges.
    Crs {
        /// Range of x.
        x: [f64; 2],
        /// Range of y.
        y: [f64; 2],
        /// The code being typed.
        typed: String,
        /// Why the typed code cannot be used.
        problem: Option<String>,
    },
}

/// The planner's answer: read `path` again with `read`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadAnswer {
    /// The file.
    pub path: PathBuf,
    /// The choices to read it with.
    pub read: ReadChoices,
    /// Whether the planner opened it.
    pub adopt: bool,
}

impl ReadQuestion {
    /// The question a load error asks, when it is one a planner can answer.
    pub fn from_error(error: &LoadError, path: PathBuf, read: &ReadChoices, adopt: bool) -> Option<Self> {
        let ask = match error {
            LoadError::ChooseLayer { layers, .. } => Ask::Layer(layers.clone()),
            LoadError::NoCrs { x, y, .. } => Ask::Crs {
                x: *x,
                y: *y,
                typed: String::new(),
                problem: None,
            },
            _ => return None,
        };
        Some(Self {
            path,
            read: read.clone(),
            adopt,
            ask,
        })
    }
}

/// Shows `question` in a window until it is answered (the answer is returned) or cancelled
/// (`question` becomes `None`).
pub fn read_question_ui(
    ctx: &egui::Context,
    question: &mut Option<ReadQuestion>,
    lang: Language,
) -> Option<ReadAnswer> {
    let q = question.as_mut()?;
    let mut chosen: Option<ReadChoices> = None;
    let mut cancelled = false;
    let title = match q.ask {
        Ask::Layer(_) => lang.tr(Msg::ChooseLayerTitle),
        Ask::Crs { .. } => lang.tr(Msg::ChooseCrsTitle),
    };
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            let file = q
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ui.add(BidiLabel::new(&file).font(egui::FontId::proportional(16.0)));
            match &mut q.ask {
                Ask::Layer(layers) => {
                    ui.add(BidiLabel::new(lang.tr(Msg::ChooseLayerQuestion)).wrap());
                    for layer in layers.iter() {
                        if ui.button(bidi_widget_text(ui, layer)).clicked() {
                            chosen = Some(ReadChoices {
                                layer: Some(layer.clone()),
                                ..q.read.clone()
                            });
                        }
                    }
                }
                Ask::Crs { x, y, typed, problem } => {
                    let numbers = Numbers::for_persian(lang == Language::Fa);
                    let range = |r: [f64; 2]| format!("{}..{}", numbers.fixed(r[0], 0), numbers.fixed(r[1], 0));
                    let text = lang
                        .tr(Msg::ChooseCrsQuestion)
                        .replace("{x}", &range(*x))
                        .replace("{y}", &range(*y));
                    ui.add(BidiLabel::new(&text).wrap());
                    let centre = SourceXy([(x[0] + x[1]) / 2.0, (y[0] + y[1]) / 2.0]);
                    for &code in COMMON_CRS {
                        let Ok(crs) = crate::io::crs::crs_from_epsg(code) else {
                            continue;
                        };
                        let lands = Reprojector::new(&crs).ok().and_then(|r| r.lon_lat(centre));
                        let place = match lands {
                            Some(p) => lang.tr(Msg::CrsCentreAt).replace(
                                "{}",
                                &format!("{}°E {}°N", numbers.fixed(p.0[0], 2), numbers.fixed(p.0[1], 2)),
                            ),
                            None => lang.tr(Msg::CrsCannotPlace).to_string(),
                        };
                        let label = format!("{} — {place}", crs.name);
                        if ui.button(bidi_widget_text(ui, &label)).clicked() {
                            chosen = Some(ReadChoices {
                                crs: Some(format!("EPSG:{code}")),
                                ..q.read.clone()
                            });
                        }
                    }
                    ui.horizontal(|ui| {
                        let label = ui.label(lang.tr(Msg::CrsOtherCode));
                        let edit = ui
                            .add(
                                egui::TextEdit::singleline(typed)
                                    .hint_text("EPSG:32639")
                                    .desired_width(120.0),
                            )
                            .labelled_by(label.id);
                        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        if (ui.button(lang.tr(Msg::UseCode)).clicked() || enter) && !typed.trim().is_empty() {
                            match crs_from_text(typed) {
                                Ok(_) => {
                                    chosen = Some(ReadChoices {
                                        crs: Some(typed.trim().to_string()),
                                        ..q.read.clone()
                                    });
                                }
                                Err(e) => *problem = Some(e.to_string()),
                            }
                        }
                    });
                    if let Some(problem) = problem {
                        ui.colored_label(ui.visuals().error_fg_color, problem.as_str());
                    }
                }
            }
            ui.separator();
            if ui.button(lang.tr(Msg::Cancel)).clicked() {
                cancelled = true;
            }
        });
    if let Some(read) = chosen {
        let answered = question.take()?;
        return Some(ReadAnswer {
            path: answered.path,
            read,
            adopt: answered.adopt,
        });
    }
    if cancelled {
        *question = None;
    }
    None
}
