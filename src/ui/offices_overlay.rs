//! Offices on the map: symbols by status and catchment circles, placing with a
//! click, selecting, and dragging with live coverage. Every change goes through the plan's
//! commands.

use egui::{Color32, Pos2, Stroke};

use super::map::{MapOverlay, MapScene, Projector};
use super::plan_state::{PlanState, Tool};
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
}

impl OfficesOverlay<'_> {
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
    fn grabs(&self, projector: &Projector, pos: Pos2) -> bool {
        self.plan.tool == Tool::Select && self.office_at(projector, pos).is_some()
    }

    fn interact(&mut self, ui: &egui::Ui, projector: &Projector, response: &egui::Response, grabbed: bool) -> bool {
        let pointer = response.interact_pointer_pos();
        if grabbed {
            if response.drag_started()
                && let Some(p) = ui.input(|i| i.pointer.press_origin())
            {
                self.plan.selected_office = self.office_at(projector, p);
            }
            if let (Some(id), Some(p)) = (self.plan.selected_office, ui.input(|i| i.pointer.interact_pos()))
                && response.dragged()
            {
                self.plan.drag_office(id, projector.lon_lat_from_screen(p));
            }
            if response.drag_stopped() {
                let _ = self.plan.finish_drag();
            }
            return false;
        }
        if !response.clicked() {
            return false;
        }
        let Some(p) = pointer else { return false };
        match self.plan.tool {
            Tool::PlaceOffice => {
                let _ = self
                    .plan
                    .place_office(projector.lon_lat_from_screen(p), self.new_office_name.clone());
                true
            }
            Tool::Select => match self.office_at(projector, p) {
                Some(id) => {
                    self.plan.selected_office = Some(id);
                    true
                }
                None => {
                    self.plan.selected_office = None;
                    false
                }
            },
        }
    }

    fn paint(&self, painter: &egui::Painter, projector: &Projector, _scene: &MapScene) {
        let offices = self.plan.offices_shown();
        if self.plan.show_coverage {
            for o in &offices {
                let centre = projector.screen_from_lon_lat(o.lon_lat);
                let radius = self.plan.plan.radius_m as f32 * projector.points_per_m(o.lon_lat);
                painter.circle_stroke(centre, radius, Stroke::new(1.5, Color32::from_rgb(0x1F, 0x6A, 0x5A)));
            }
        }
        for o in &offices {
            let centre = projector.screen_from_lon_lat(o.lon_lat);
            if self.plan.selected_office == Some(o.id) {
                painter.circle_filled(
                    centre,
                    SYMBOL_RADIUS + 4.0,
                    Color32::from_rgba_unmultiplied(0x0B, 0x4F, 0xC0, 110),
                );
            }
            let (fill, ring) = match o.status {
                OfficeStatus::Proposed => (Color32::WHITE, Color32::from_rgb(0xE0, 0x6C, 0x00)),
                OfficeStatus::Approved => (Color32::from_rgb(0x1E, 0x5A, 0xC8), Color32::WHITE),
                OfficeStatus::Operating => (Color32::from_rgb(0x1B, 0x8A, 0x3A), Color32::WHITE),
            };
            painter.circle(centre, SYMBOL_RADIUS, fill, Stroke::new(2.5, ring));
            if o.status == OfficeStatus::Operating {
                painter.circle_filled(centre, 2.5, Color32::WHITE);
            }
            painter.circle_stroke(centre, SYMBOL_RADIUS + 1.5, Stroke::new(1.0, Color32::from_gray(40)));
        }
    }
}
