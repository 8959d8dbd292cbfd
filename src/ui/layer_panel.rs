//! The layer panel: the plan's reference layers top first, each shown or hidden, moved (by its
//! handle or the arrows), zoomed to, removed, renamed and styled, with the district layer in
//! its place among them (moved by its arrows or its handle). Every change is a command sent to the plan's
//! queue; sliders and typed numbers send one when the drag or the typing ends, so one gesture is
//! one undo step.

use egui::{RichText, Sense};

use super::bidi_text::BidiLabel;
use super::i18n::Language;
use super::layer_words::{dash_name, layer_words, symbol_name};
use super::plan_state::PlanState;
use super::reference_layers::ReferenceLayers;
use crate::model::{Command, FieldPath, LayerEdit, LayerId, LayerStyle, LineDash, PointSymbol, ReferenceLayer};
use crate::text::Numbers;
use crate::workspace::LayerSlot;

/// What the panel asks of the window.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerPanelAction {
    /// Ask for a file to add as a reference layer.
    Add,
    /// Show this Web Mercator box.
    ZoomTo([[f64; 2]; 2]),
}

/// What a row's handle carries when dragged: a reference layer, or the districts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowPayload {
    Layer(LayerId),
    Districts,
}

/// Which knob a number being dragged or typed belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Knob {
    Opacity,
    Width,
    SymbolSize,
    LabelSize,
}

/// The panel's state between frames.
#[derive(Default)]
pub struct LayerPanelState {
    /// The layer whose style is open.
    pub open: Option<LayerId>,
    /// A name being typed.
    name_draft: Option<(LayerId, String)>,
    /// A number being dragged or typed, until it is let go.
    number_draft: Option<(LayerId, Knob, f32)>,
}

/// Shows the panel; commands go to `plan`'s queue.
pub fn layer_panel_ui(
    ui: &mut egui::Ui,
    state: &mut LayerPanelState,
    plan: &mut PlanState,
    layers: &ReferenceLayers,
    districts_name: Option<&str>,
    lang: Language,
) -> Option<LayerPanelAction> {
    let words = layer_words(lang);
    let mut action = None;
    if ui.button(words.add).clicked() {
        action = Some(LayerPanelAction::Add);
    }
    ui.label(RichText::new(words.drop_hint).weak().small());
    ui.separator();
    let rows: Vec<ReferenceLayer> = plan.plan.layers.clone();
    if rows.is_empty() {
        ui.add(BidiLabel::new(words.none_yet).wrap());
    }
    let districts_at = plan.plan.districts_position();
    egui::ScrollArea::vertical().id_salt("layer-rows").show(ui, |ui| {
        for (index, layer) in rows.iter().enumerate() {
            if index == districts_at {
                districts_row_ui(ui, plan, districts_name, lang);
            }
            let frame = egui::Frame::group(ui.style());
            let (zone, dropped) = ui.dnd_drop_zone::<RowPayload, _>(frame, |ui| {
                ui.set_min_width(ui.available_width());
                row_ui(ui, state, plan, layers, layer, lang, &mut action);
            });
            match dropped.as_deref() {
                Some(RowPayload::Layer(dragged)) if *dragged != layer.id => {
                    plan.send(plan.plan.moving_layer(*dragged, index));
                }
                Some(RowPayload::Districts) => plan.send(plan.plan.moving_districts_to(index)),
                _ => {}
            }
            drop(zone);
        }
        if districts_at == rows.len() {
            districts_row_ui(ui, plan, districts_name, lang);
        }
    });
    action
}

/// The district layer's row: shown or hidden like any layer, and moved over or under the
/// reference layers by its arrows or by dragging its handle onto a layer's row.
fn districts_row_ui(ui: &mut egui::Ui, plan: &mut PlanState, districts_name: Option<&str>, lang: Language) {
    let words = layer_words(lang);
    ui.horizontal(|ui| {
        let movable = !plan.plan.layers.is_empty();
        ui.dnd_drag_source(egui::Id::unique("districts-handle"), RowPayload::Districts, |ui| {
            icon_button(ui, Icon::Handle, words.drag, movable)
        });
        let shown = plan.plan.districts_shown();
        let (eye, eye_label) = if shown {
            (Icon::Shown, words.hide)
        } else {
            (Icon::Hidden, words.show)
        };
        if icon_button(ui, eye, eye_label, plan.plan.districts.is_some()).clicked() {
            plan.send(Command::SetDistrictsVisible(!shown));
        }
        for (icon, label, up) in [(Icon::Up, words.move_up, true), (Icon::Down, words.move_down, false)] {
            let step = plan.plan.stepping_districts(up);
            if icon_button(ui, icon, label, step.is_some()).clicked()
                && let Some(command) = step
            {
                plan.send(command);
            }
        }
        ui.label(RichText::new(words.districts).strong());
    });
    // The file's layer name on a line of its own, as a layer's status is: a long one wraps
    // rather than widening the panel.
    if let Some(name) = districts_name {
        ui.add(BidiLabel::new(name).color(ui.visuals().weak_text_color()).wrap());
    }
}

#[allow(clippy::too_many_arguments)]
fn row_ui(
    ui: &mut egui::Ui,
    state: &mut LayerPanelState,
    plan: &mut PlanState,
    layers: &ReferenceLayers,
    layer: &ReferenceLayer,
    lang: Language,
    action: &mut Option<LayerPanelAction>,
) {
    let words = layer_words(lang);
    let id = layer.id;
    ui.horizontal(|ui| {
        ui.dnd_drag_source(egui::Id::unique(("layer-handle", id.0)), RowPayload::Layer(id), |ui| {
            icon_button(ui, Icon::Handle, words.drag, true)
        });
        let (eye, eye_label) = if layer.visible {
            (Icon::Shown, words.hide)
        } else {
            (Icon::Hidden, words.show)
        };
        if icon_button(ui, eye, eye_label, true).clicked() {
            plan.send(Command::EditLayer(id, LayerEdit::Visible(!layer.visible)));
        }
        let open = state.open == Some(id);
        let name = ui.add(egui::Button::selectable(open, RichText::new(&layer.name)).frame(false));
        if name.clicked() {
            state.open = if open { None } else { Some(id) };
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if icon_button(ui, Icon::Remove, words.remove, true).clicked() {
                plan.send(Command::RemoveLayer(id));
            }
            let bbox = layers.data.layer(id).and_then(|l| l.bbox_m());
            if icon_button(ui, Icon::Zoom, words.zoom_to, bbox.is_some()).clicked()
                && let Some(b) = bbox
            {
                *action = Some(LayerPanelAction::ZoomTo(b));
            }
            // One step past the districts swaps the layer with them.
            for (icon, label, up) in [(Icon::Down, words.move_down, false), (Icon::Up, words.move_up, true)] {
                let step = plan.plan.stepping_layer(id, up);
                if icon_button(ui, icon, label, step.is_some()).clicked()
                    && let Some(command) = step
                {
                    plan.send(command);
                }
            }
        });
    });
    status_ui(ui, layers.data.slot(id), lang);
    if state.open == Some(id) {
        style_ui(ui, state, plan, layers, layer, lang);
    }
}

fn status_ui(ui: &mut egui::Ui, slot: Option<&LayerSlot>, lang: Language) {
    let words = layer_words(lang);
    let numbers = Numbers::for_persian(lang == Language::Fa);
    match slot {
        None | Some(LayerSlot::Loading(_)) => {
            ui.label(RichText::new(words.reading).weak().small());
        }
        Some(LayerSlot::Failed(_, message)) => {
            let colour = ui.visuals().error_fg_color;
            ui.add(
                BidiLabel::new(&format!("{}: {message}", words.failed))
                    .color(colour)
                    .wrap(),
            );
        }
        Some(LayerSlot::Loaded(_, data)) => {
            let counts = data.geometry_counts();
            let mut parts = Vec::new();
            for (n, word) in [
                (counts.points, words.points),
                (counts.lines, words.lines),
                (counts.polygons, words.polygons),
            ] {
                if n > 0 {
                    parts.push(format!("{} {word}", numbers.count(n as u64)));
                }
            }
            let skipped = data.report.skipped.len();
            if skipped > 0 {
                parts.push(format!("{} {}", numbers.count(skipped as u64), words.skipped));
            }
            ui.add(BidiLabel::new(&parts.join(" · ")).color(ui.visuals().weak_text_color()));
        }
    }
}

fn style_ui(
    ui: &mut egui::Ui,
    state: &mut LayerPanelState,
    plan: &mut PlanState,
    layers: &ReferenceLayers,
    layer: &ReferenceLayer,
    lang: Language,
) {
    let words = layer_words(lang);
    let id = layer.id;
    let style = &layer.style;
    let send_style = |plan: &mut PlanState, style: LayerStyle| {
        plan.send(Command::EditLayer(id, LayerEdit::Style(Box::new(style))));
    };
    egui::Grid::new(("layer-style", id)).num_columns(2).show(ui, |ui| {
        ui.label(words.name);
        let mut name = match &state.name_draft {
            Some((d, text)) if *d == id => text.clone(),
            _ => layer.name.clone(),
        };
        let response = ui.add(egui::TextEdit::singleline(&mut name).desired_width(140.0));
        if response.changed() {
            state.name_draft = Some((id, name.clone()));
        }
        if response.lost_focus() && state.name_draft.as_ref().is_some_and(|(d, _)| *d == id) {
            state.name_draft = None;
            let name = name.trim().to_string();
            if !name.is_empty() && name != layer.name {
                plan.send(Command::EditLayer(id, LayerEdit::Rename(name)));
            }
        }
        ui.end_row();

        ui.label(words.opacity);
        if let Some(v) = number_ui(ui, state, id, Knob::Opacity, layer.opacity, |v| {
            egui::Slider::new(v, 0.0..=1.0).fixed_decimals(2)
        }) {
            plan.send(Command::EditLayer(id, LayerEdit::Opacity(v)));
        }
        ui.end_row();

        ui.label(words.stroke);
        let mut stroke = style.stroke;
        if ui.color_edit_button_srgb(&mut stroke).changed() {
            send_style(
                plan,
                LayerStyle {
                    stroke,
                    ..style.clone()
                },
            );
        }
        ui.end_row();

        ui.label(words.width);
        if let Some(v) = number_ui(ui, state, id, Knob::Width, style.stroke_width_pt, |v| {
            egui::Slider::new(v, 0.25..=12.0).fixed_decimals(2)
        }) {
            send_style(
                plan,
                LayerStyle {
                    stroke_width_pt: v,
                    ..style.clone()
                },
            );
        }
        ui.end_row();

        ui.label(words.dash);
        let mut dash = style.dash;
        egui::ComboBox::from_id_salt(("layer-dash", id))
            .selected_text(dash_name(dash, lang))
            .show_ui(ui, |ui| {
                for d in LineDash::ALL {
                    ui.selectable_value(&mut dash, d, dash_name(d, lang));
                }
            });
        if dash != style.dash {
            send_style(plan, LayerStyle { dash, ..style.clone() });
        }
        ui.end_row();

        ui.label(words.fill);
        ui.horizontal(|ui| {
            let mut filled = style.fill.is_some();
            let mut colour = style.fill.unwrap_or(style.stroke);
            let toggled = ui.checkbox(&mut filled, "").changed();
            let recoloured = filled && ui.color_edit_button_srgb(&mut colour).changed();
            if toggled || recoloured {
                send_style(
                    plan,
                    LayerStyle {
                        fill: filled.then_some(colour),
                        ..style.clone()
                    },
                );
            }
        });
        ui.end_row();

        ui.label(words.symbol);
        let mut symbol = style.symbol;
        egui::ComboBox::from_id_salt(("layer-symbol", id))
            .selected_text(symbol_name(symbol, lang))
            .show_ui(ui, |ui| {
                for s in PointSymbol::ALL {
                    ui.selectable_value(&mut symbol, s, symbol_name(s, lang));
                }
            });
        if symbol != style.symbol {
            send_style(
                plan,
                LayerStyle {
                    symbol,
                    ..style.clone()
                },
            );
        }
        ui.end_row();

        ui.label(words.size);
        if let Some(v) = number_ui(ui, state, id, Knob::SymbolSize, style.symbol_size_pt, |v| {
            egui::Slider::new(v, 2.0..=30.0).fixed_decimals(1)
        }) {
            send_style(
                plan,
                LayerStyle {
                    symbol_size_pt: v,
                    ..style.clone()
                },
            );
        }
        ui.end_row();

        ui.label(words.label_field);
        let layer = layers.data.layer(id);
        let fields: &[FieldPath] = layer.as_ref().map_or(&[], |l| l.field_names());
        let mut label = style.label_field.clone();
        egui::ComboBox::from_id_salt(("layer-label", id))
            .selected_text(label.as_ref().map_or(words.no_label, |f| f.as_str()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut label, None, words.no_label);
                for f in fields {
                    ui.selectable_value(&mut label, Some(f.clone()), f.as_str());
                }
            });
        if label != style.label_field {
            send_style(
                plan,
                LayerStyle {
                    label_field: label,
                    ..style.clone()
                },
            );
        }
        ui.end_row();

        ui.label(words.label_size);
        if let Some(v) = number_ui(ui, state, id, Knob::LabelSize, style.label_size_pt, |v| {
            egui::Slider::new(v, 6.0..=32.0).fixed_decimals(0)
        }) {
            let label_size_pt = v;
            send_style(
                plan,
                LayerStyle {
                    label_size_pt,
                    ..style.clone()
                },
            );
        }
        ui.end_row();
    });
}

/// A slider whose value is kept as a draft while it is dragged or typed in; returns the new
/// value once it is let go, if it changed.
fn number_ui(
    ui: &mut egui::Ui,
    state: &mut LayerPanelState,
    id: LayerId,
    knob: Knob,
    current: f32,
    widget: impl for<'b> FnOnce(&'b mut f32) -> egui::Slider<'b>,
) -> Option<f32> {
    let drafted = match state.number_draft {
        Some((d, k, v)) if d == id && k == knob => Some(v),
        _ => None,
    };
    let mut value = drafted.unwrap_or(current);
    let response = ui.add(widget(&mut value));
    let holding = response.dragged() || response.has_focus();
    if holding {
        state.number_draft = Some((id, knob, value));
        return None;
    }
    if drafted.is_some() {
        state.number_draft = None;
    }
    ((response.changed() || drafted.is_some()) && value != current).then_some(value)
}

/// The small drawn icons of a layer row (the interface font has no such symbols).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Icon {
    Handle,
    Shown,
    Hidden,
    Up,
    Down,
    Zoom,
    Remove,
}

/// A small button showing `icon`, announced to screen readers (and tests) as `label`.
fn icon_button(ui: &mut egui::Ui, icon: Icon, label: &str, enabled: bool) -> egui::Response {
    let size = egui::vec2(18.0, 18.0);
    // The handle only shows where to grab: the drag source around it senses the drag.
    let sense = if icon == Icon::Handle {
        Sense::hover()
    } else {
        Sense::click()
    };
    let (rect, response) = ui.allocate_exact_size(size, if enabled { sense } else { Sense::hover() });
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, label));
    let visuals = if enabled {
        *ui.style().interact(&response)
    } else {
        ui.style().visuals.widgets.noninteractive
    };
    let painter = ui.painter();
    if icon != Icon::Handle {
        painter.rect_filled(rect, 3.0, visuals.weak_bg_fill);
    }
    let c = rect.center();
    let stroke = egui::Stroke::new(1.5, visuals.fg_stroke.color);
    let v = egui::vec2;
    match icon {
        Icon::Handle => {
            for dy in [-4.0, 0.0, 4.0] {
                painter.line_segment([c + v(-5.0, dy), c + v(5.0, dy)], stroke);
            }
        }
        Icon::Shown | Icon::Hidden => {
            // An eye: open when the layer is drawn, struck through when not.
            let lid = |s: f32| {
                (0..=8)
                    .map(|k| {
                        let t = k as f32 / 8.0;
                        c + v(-6.0 + 12.0 * t, s * 4.5 * (std::f32::consts::PI * t).sin())
                    })
                    .collect::<Vec<_>>()
            };
            painter.add(egui::Shape::line(lid(-1.0), stroke));
            painter.add(egui::Shape::line(lid(1.0), stroke));
            if icon == Icon::Shown {
                painter.circle_filled(c, 2.2, visuals.fg_stroke.color);
            } else {
                painter.line_segment([c + v(-6.0, 6.0), c + v(6.0, -6.0)], stroke);
            }
        }
        Icon::Up | Icon::Down => {
            let s = if icon == Icon::Up { -1.0 } else { 1.0 };
            let points = vec![c + v(-5.0, -2.5 * s), c + v(5.0, -2.5 * s), c + v(0.0, 3.5 * s)];
            painter.add(egui::Shape::convex_polygon(
                points,
                visuals.fg_stroke.color,
                egui::Stroke::NONE,
            ));
        }
        Icon::Zoom => {
            painter.circle_stroke(c + v(-1.5, -1.5), 4.5, stroke);
            painter.line_segment([c + v(1.8, 1.8), c + v(6.0, 6.0)], stroke);
        }
        Icon::Remove => {
            painter.line_segment([c + v(-4.5, -4.5), c + v(4.5, 4.5)], stroke);
            painter.line_segment([c + v(-4.5, 4.5), c + v(4.5, -4.5)], stroke);
        }
    }
    let response = if enabled {
        response.on_hover_text(label)
    } else {
        response
    };
    if icon == Icon::Handle && response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
    }
    response
}
