//! The measure tool: click points on the map to measure the distance along them, or the area
//! of the polygon they close, on the ellipsoid and live while the pointer moves. Measuring
//! changes nothing in the plan, so it lives in its own state, not in commands.

use egui::{Color32, Key, Modifiers, Pos2, Stroke};

use super::bidi_text::BidiLabel;
use super::i18n::Msg;
use super::map::labels::PointLabel;
use super::map::{MapOverlay, MapScene, Mark, Projector};
use crate::analysis::{Measurement, measure};
use crate::text::Language;

/// Ink of the measured path.
const INK: Color32 = Color32::from_rgb(0xD0, 0x1C, 0x8B);
/// Radius of a vertex dot, points.
const VERTEX_RADIUS: f32 = 4.0;

/// What the measure tool measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MeasureMode {
    /// The length of a path.
    #[default]
    Distance,
    /// The area (and perimeter) of the polygon the points close.
    Area,
}

/// The points measured so far, kept between frames.
#[derive(Clone, Debug, Default)]
pub struct MeasureState {
    /// Distance or area.
    pub mode: MeasureMode,
    /// The points clicked, longitude/latitude.
    pub vertices_lon_lat: Vec<[f64; 2]>,
    /// A double-click or Enter ended the path: the pointer no longer extends it, and the next
    /// click starts a new one.
    pub finished: bool,
    /// Where the pointer is over the map, while a path is being drawn.
    pub pointer_lon_lat: Option<[f64; 2]>,
}

impl MeasureState {
    /// The path as measured now: the points clicked, and the pointer while still drawing.
    pub fn path_lon_lat(&self) -> Vec<[f64; 2]> {
        let mut path = self.vertices_lon_lat.clone();
        if !self.finished
            && !path.is_empty()
            && let Some(p) = self.pointer_lon_lat
        {
            path.push(p);
        }
        path
    }

    /// The measurement of [`Self::path_lon_lat`].
    pub fn measurement(&self) -> Measurement {
        measure(&self.path_lon_lat())
    }

    /// Adds a point; a finished path is replaced by a new one starting there.
    pub fn add(&mut self, lon_lat: [f64; 2]) {
        if self.finished {
            self.vertices_lon_lat.clear();
            self.finished = false;
        }
        self.vertices_lon_lat.push(lon_lat);
    }

    /// Ends the path where it is.
    pub fn finish(&mut self) {
        self.finished = !self.vertices_lon_lat.is_empty();
    }

    /// Forgets the path.
    pub fn clear(&mut self) {
        self.vertices_lon_lat.clear();
        self.finished = false;
    }

    /// Keys while the tool is on and no text field has the keyboard: Enter ends the path,
    /// Backspace takes its last point back, Escape clears it.
    pub fn keys_ui(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter)) {
            self.finish();
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Backspace)) {
            self.vertices_lon_lat.pop();
            self.finished &= !self.vertices_lon_lat.is_empty();
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            self.clear();
        }
    }
}

/// The measure tool on the map for one frame.
pub struct MeasureOverlay<'a> {
    /// The tool's points.
    pub state: &'a mut MeasureState,
}

impl MapOverlay for MeasureOverlay<'_> {
    fn grabs(&self, _projector: &Projector, _pos: Pos2, _modifiers: Modifiers) -> bool {
        // Dragging pans the map, so a long path can be drawn across it.
        false
    }

    fn takes_double_click(&self) -> bool {
        true
    }

    fn hides_tooltips(&self) -> bool {
        true
    }

    fn interact(&mut self, ui: &egui::Ui, projector: &Projector, response: &egui::Response, _grabbed: bool) -> bool {
        self.state.pointer_lon_lat = response.hover_pos().map(|p| projector.lon_lat_from_screen(p));
        if !self.state.finished && !self.state.vertices_lon_lat.is_empty() {
            // The last leg follows the pointer.
            ui.ctx().request_repaint();
        }
        if response.double_clicked() {
            // The double-click's first click already added its point.
            self.state.finish();
            return true;
        }
        if response.clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            self.state.add(projector.lon_lat_from_screen(p));
            return true;
        }
        false
    }

    fn marks(&self, projector: &Projector) -> Vec<Mark> {
        self.state
            .vertices_lon_lat
            .iter()
            .map(|&v| {
                Mark::disc(
                    projector.screen_from_lon_lat(v),
                    VERTEX_RADIUS,
                    Color32::WHITE,
                    Stroke::new(2.0, INK),
                )
            })
            .collect()
    }

    fn labels(&self, _projector: &Projector) -> Vec<PointLabel> {
        Vec::new()
    }

    fn paint(&self, painter: &egui::Painter, projector: &Projector, _scene: &MapScene) {
        let path: Vec<Pos2> = self
            .state
            .path_lon_lat()
            .into_iter()
            .map(|v| projector.screen_from_lon_lat(v))
            .collect();
        if self.state.mode == MeasureMode::Area && path.len() > 2 {
            paint_fill(painter, &path);
            painter.add(egui::Shape::closed_line(path, Stroke::new(2.0, INK)));
        } else if path.len() > 1 {
            painter.add(egui::Shape::line(path, Stroke::new(2.0, INK)));
        }
    }
}

/// A light fill inside the area being measured (any simple polygon, concave too).
fn paint_fill(painter: &egui::Painter, path: &[Pos2]) {
    let vertices: Vec<[f64; 2]> = path.iter().map(|p| [f64::from(p.x), f64::from(p.y)]).collect();
    let Some(fill) = crate::map::fill_polygon(&vertices, &[], &mut earcut::Earcut::new(), &|| true) else {
        return;
    };
    let mut mesh = egui::Mesh::default();
    let tint = Color32::from_rgba_unmultiplied(0xD0, 0x1C, 0x8B, 48);
    for &i in &fill.triangles {
        let [x, y] = fill.vertex(&vertices, i);
        mesh.indices.push(mesh.vertices.len() as u32);
        mesh.colored_vertex(Pos2::new(x as f32, y as f32), tint);
    }
    painter.add(mesh);
}

/// The readout in the map's corner: mode, the figures and how to use the tool.
pub fn measure_readout_ui(ui: &mut egui::Ui, state: &mut MeasureState, lang: Language) {
    let numbers = lang.numbers();
    egui::Frame::popup(ui.style()).show(ui, |ui| {
        ui.set_max_width(280.0);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut state.mode, MeasureMode::Distance, lang.tr(Msg::MeasureDistance));
            ui.selectable_value(&mut state.mode, MeasureMode::Area, lang.tr(Msg::MeasureArea));
            if ui
                .add_enabled(
                    !state.vertices_lon_lat.is_empty(),
                    egui::Button::new(lang.tr(Msg::MeasureClear)),
                )
                .clicked()
            {
                state.clear();
            }
        });
        let m = state.measurement();
        let rows: Vec<(Msg, String)> = match state.mode {
            MeasureMode::Distance => vec![
                (Msg::MeasureLength, numbers.length(m.length_m)),
                (Msg::MeasureLastLeg, numbers.length(m.last_leg_m)),
            ],
            MeasureMode::Area => vec![
                (Msg::MeasureAreaValue, numbers.area(m.area_m2)),
                (Msg::MeasurePerimeter, numbers.length(m.perimeter_m)),
            ],
        };
        egui::Grid::new("measure_readout").num_columns(2).show(ui, |ui| {
            for (msg, value) in rows {
                ui.add(BidiLabel::new(lang.tr(msg)));
                ui.add(BidiLabel::new(&value).color(ui.visuals().strong_text_color()));
                ui.end_row();
            }
        });
        // One line per key: Latin key names inside wrapped Persian text read out of order.
        for line in lang.tr(Msg::MeasureHint).lines() {
            ui.add(
                BidiLabel::new(line)
                    .font(egui::FontId::proportional(12.0))
                    .color(ui.visuals().weak_text_color()),
            );
        }
    });
}
