//! Offices on the map: symbols by status and catchment circles, placing with a click, selecting
//! (click, Shift+click, Shift+drag a box), and dragging the selection with live coverage. Every
//! change goes through the plan's commands.

use egui::{Color32, Modifiers, Pos2, Rect, Stroke};

use super::map::labels::PointLabel;
use super::map::style::{color, colors};
use super::map::{MapOverlay, MapScene, Mark, Projector};
use super::plan_state::{BoxSelect, PlanState, Tool};
use super::suggest_panel::{SuggestionMark, paint_suggestions};
use crate::map::palette;
use crate::model::{OfficeId, OfficeStatus};

/// Radius of an office symbol, in points.
const SYMBOL_RADIUS: f32 = 7.0;
/// How close a press must be to an office to take hold of it, in points.
const GRAB_RADIUS: f32 = 11.0;

/// The offices overlay for one frame.
pub struct OfficesOverlay<'a> {
    /// The plan being edited.
    pub plan: &'a mut PlanState,
    /// The name given to a newly placed office.
    pub new_office_name: String,
    /// Suggested sites waiting to be accepted, drawn above the offices.
    pub suggestions: Vec<SuggestionMark>,
}

impl OfficesOverlay<'_> {
    /// A drag that took hold: moves the selected offices when it started on one, or draws a
    /// selection box when it started elsewhere with Shift held.
    fn drag_ui(
        &mut self,
        projector: &Projector,
        response: &egui::Response,
        pointer: Option<Pos2>,
        origin: Option<Pos2>,
        shift: bool,
    ) {
        let map_m = |p: Pos2| projector.camera.map_from_screen(projector.rect, p);
        if response.drag_started()
            && let Some(origin) = origin
        {
            match self.office_at(projector, origin) {
                Some(id) => {
                    if !self.plan.selected_offices.contains(&id) {
                        self.plan.select_office(id, shift);
                    }
                    let ids = self.plan.selected_offices.clone();
                    self.plan.drag_offices(&ids, map_m(origin), map_m(origin));
                }
                None => {
                    let at = projector.lon_lat_from_screen(origin);
                    self.plan.box_select = Some(BoxSelect {
                        from_lon_lat: at,
                        to_lon_lat: at,
                    });
                }
            }
        }
        if response.dragged()
            && let Some(p) = pointer
        {
            if let Some(drag) = &self.plan.drag {
                let (ids, from_m) = (drag.ids.iter().copied().collect(), drag.from_m);
                self.plan.drag_offices(&ids, from_m, map_m(p));
            }
            if let Some(b) = &mut self.plan.box_select {
                b.to_lon_lat = projector.lon_lat_from_screen(p);
            }
        }
        if response.drag_stopped() {
            let outcome = self.plan.finish_drag();
            self.plan.report(outcome);
            if let Some(b) = self.plan.box_select.take() {
                self.plan.select_offices_in_box(b.from_lon_lat, b.to_lon_lat);
            }
        }
    }

    fn office_at(&self, projector: &Projector, pos: Pos2) -> Option<OfficeId> {
        self.plan
            .offices_shown()
            .iter()
            .rev()
            .map(|o| (o.id, projector.screen_from_lon_lat(o.lon_lat).distance(pos)))
            .filter(|(_, d)| *d <= GRAB_RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| id)
    }
}

impl MapOverlay for OfficesOverlay<'_> {
    fn grabs(&self, projector: &Projector, pos: Pos2, modifiers: Modifiers) -> bool {
        self.plan.tool == Tool::Select && (modifiers.shift || self.office_at(projector, pos).is_some())
    }

    fn interact(&mut self, ui: &egui::Ui, projector: &Projector, response: &egui::Response, grabbed: bool) -> bool {
        let (pointer, origin, shift) =
            ui.input(|i| (i.pointer.interact_pos(), i.pointer.press_origin(), i.modifiers.shift));
        if grabbed {
            self.drag_ui(projector, response, pointer, origin, shift);
            return false;
        }
        if !response.clicked() {
            return false;
        }
        let Some(p) = response.interact_pointer_pos() else {
            return false;
        };
        match self.plan.tool {
            Tool::PlaceOffice => {
                let outcome = self
                    .plan
                    .place_office(projector.lon_lat_from_screen(p), self.new_office_name.clone());
                self.plan.report(outcome);
                true
            }
            Tool::Measure => false,
            Tool::Select => match self.office_at(projector, p) {
                Some(id) => {
                    self.plan.select_office(id, shift);
                    true
                }
                None => {
                    if !shift {
                        self.plan.selected_offices.clear();
                    }
                    false
                }
            },
        }
    }

    fn marks(&self, projector: &Projector) -> Vec<Mark> {
        let offices = self.plan.offices_shown();
        let mut marks = Vec::with_capacity(offices.len() * 5);
        if self.plan.show_coverage {
            let catchment = Stroke::new(1.5, colors::CATCHMENT);
            for o in &offices {
                let radius = self.plan.plan.radius_m as f32 * projector.points_per_m(o.lon_lat);
                marks.push(Mark::ring(projector.screen_from_lon_lat(o.lon_lat), radius, catchment));
            }
        }
        for o in &offices {
            let centre = projector.screen_from_lon_lat(o.lon_lat);
            if self.plan.selected_offices.contains(&o.id) {
                let halo = Color32::from_rgba_unmultiplied(0x0B, 0x4F, 0xC0, 110);
                marks.push(Mark::disc(centre, SYMBOL_RADIUS + 4.0, halo, Stroke::NONE));
            }
            let (fill, ring) = palette::office_colors(o.status);
            let (fill, ring) = (color(fill), color(ring));
            // The stroke straddles SYMBOL_RADIUS, as egui draws a stroked circle.
            marks.push(Mark::disc(centre, SYMBOL_RADIUS + 1.25, fill, Stroke::new(2.5, ring)));
            if o.status == OfficeStatus::Operating {
                marks.push(Mark::disc(centre, 2.5, Color32::WHITE, Stroke::NONE));
            }
            marks.push(Mark::ring(
                centre,
                SYMBOL_RADIUS + 1.5,
                Stroke::new(1.0, Color32::from_gray(40)),
            ));
        }
        marks
    }

    fn labels(&self, projector: &Projector) -> Vec<PointLabel> {
        self.plan
            .offices_shown()
            .into_iter()
            .map(|o| PointLabel {
                at: projector.screen_from_lon_lat(o.lon_lat),
                clear: SYMBOL_RADIUS + 3.0,
                text: o.name,
                size: None,
            })
            .collect()
    }

    fn paint(&self, painter: &egui::Painter, projector: &Projector, _scene: &MapScene) {
        let catchment = self.plan.show_coverage.then_some(self.plan.plan.radius_m);
        paint_suggestions(painter, projector, &self.suggestions, catchment);
        if let Some(b) = &self.plan.box_select {
            let r = Rect::from_two_pos(
                projector.screen_from_lon_lat(b.from_lon_lat),
                projector.screen_from_lon_lat(b.to_lon_lat),
            );
            painter.rect_filled(r, 0.0, Color32::from_rgba_unmultiplied(0x0B, 0x4F, 0xC0, 40));
            painter.rect_stroke(
                r,
                0.0,
                Stroke::new(1.0, Color32::from_rgb(0x0B, 0x4F, 0xC0)),
                egui::StrokeKind::Middle,
            );
        }
    }
}
