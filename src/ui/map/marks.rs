//! Round marks that overlays ask the map to draw: office symbols and catchment circles. An overlay
//! describes them once; the map draws them all with one OpenGL call when it can (hundreds of
//! circles tessellated by egui cost software GL more than the whole district layer), and with
//! egui's painter otherwise.

use egui::{Color32, Pos2, Rect, Stroke};

/// A disc with an optional stroke band along the inside of its edge; a ring when the fill is
/// transparent. Screen points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    /// Centre on screen.
    pub centre: Pos2,
    /// Outer radius: nothing is drawn further out.
    pub radius: f32,
    /// Colour inside the stroke band (premultiplied, as egui's colours are).
    pub fill: Color32,
    /// Width of the band just inside `radius`.
    pub stroke_width: f32,
    /// Colour of that band.
    pub stroke: Color32,
}

impl Mark {
    /// A filled disc with an outline of `stroke.width` inside its `radius`.
    pub fn disc(centre: Pos2, radius: f32, fill: Color32, stroke: Stroke) -> Self {
        Self {
            centre,
            radius,
            fill,
            stroke_width: stroke.width,
            stroke: stroke.color,
        }
    }

    /// A circle line of `stroke.width` centred on `radius`, as egui's `circle_stroke` draws it.
    pub fn ring(centre: Pos2, radius: f32, stroke: Stroke) -> Self {
        Self {
            centre,
            radius: radius + stroke.width / 2.0,
            fill: Color32::TRANSPARENT,
            stroke_width: stroke.width,
            stroke: stroke.color,
        }
    }

    /// True for a ring (nothing is drawn inside the stroke band).
    pub fn is_ring(&self) -> bool {
        self.fill == Color32::TRANSPARENT
    }

    /// True when some of the mark can show inside `rect`.
    pub fn touches(&self, rect: Rect) -> bool {
        let reach = Rect::from_center_size(self.centre, egui::Vec2::splat(2.0 * self.radius + 2.0));
        if !rect.intersects(reach) {
            return false;
        }
        // A ring around the whole rectangle shows nothing of itself.
        let inner = self.radius - self.stroke_width - 1.0;
        let corners = [
            rect.left_top(),
            rect.right_top(),
            rect.left_bottom(),
            rect.right_bottom(),
        ];
        !(self.is_ring() && corners.iter().all(|c| c.distance(self.centre) < inner))
    }
}

/// Draws `marks` in order with egui shapes: the fallback when OpenGL is not drawing the map.
pub fn paint_marks_cpu(painter: &egui::Painter, marks: &[Mark]) {
    let rect = painter.clip_rect();
    for m in marks.iter().filter(|m| m.touches(rect)) {
        let stroke = Stroke::new(m.stroke_width, m.stroke);
        let centre_line = m.radius - m.stroke_width / 2.0;
        if m.is_ring() {
            painter.circle_stroke(m.centre, centre_line, stroke);
        } else {
            painter.circle(m.centre, centre_line, m.fill, stroke);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_is_centred_on_its_radius_and_culled_when_it_encloses_the_view() {
        let ring = Mark::ring(Pos2::new(0.0, 0.0), 100.0, Stroke::new(2.0, Color32::RED));
        assert_eq!(ring.radius, 101.0);
        assert!(ring.is_ring());
        let inside = Rect::from_min_max(Pos2::new(-10.0, -10.0), Pos2::new(10.0, 10.0));
        let across = Rect::from_min_max(Pos2::new(90.0, -10.0), Pos2::new(110.0, 10.0));
        let far = Rect::from_min_max(Pos2::new(200.0, 200.0), Pos2::new(300.0, 300.0));
        assert!(!ring.touches(inside));
        assert!(ring.touches(across));
        assert!(!ring.touches(far));
        let disc = Mark::disc(Pos2::new(0.0, 0.0), 100.0, Color32::WHITE, Stroke::NONE);
        assert!(disc.touches(inside));
    }
}
