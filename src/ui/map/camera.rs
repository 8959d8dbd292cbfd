//! The map camera: which Web Mercator point is at the centre of the view and how many metres one
//! screen point spans. All in f64; only offsets near the screen are turned into f32.

use egui::{Pos2, Rect, Vec2, pos2};

/// Smallest and largest metres per screen point: about zoom level 21 to the whole world.
const MIN_M_PER_POINT: f64 = 0.02;
const MAX_M_PER_POINT: f64 = 200_000.0;

/// Where the map looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// The Web Mercator point (metres) at the centre of the view.
    pub center_m: [f64; 2],
    /// Web Mercator metres per screen point (not ground metres: see the scale bar for those).
    pub m_per_point: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            center_m: [0.0, 0.0],
            m_per_point: 10_000.0,
        }
    }
}

impl Camera {
    /// The screen position of a Web Mercator point, for a view occupying `rect`.
    pub fn screen_from_map(&self, rect: Rect, p: [f64; 2]) -> Pos2 {
        let c = rect.center();
        pos2(
            c.x + ((p[0] - self.center_m[0]) / self.m_per_point) as f32,
            c.y - ((p[1] - self.center_m[1]) / self.m_per_point) as f32,
        )
    }

    /// The Web Mercator point under a screen position.
    pub fn map_from_screen(&self, rect: Rect, p: Pos2) -> [f64; 2] {
        let c = rect.center();
        [
            self.center_m[0] + f64::from(p.x - c.x) * self.m_per_point,
            self.center_m[1] - f64::from(p.y - c.y) * self.m_per_point,
        ]
    }

    /// The Web Mercator box seen through `rect`: `[[min_x, min_y], [max_x, max_y]]`.
    pub fn visible_m(&self, rect: Rect) -> [[f64; 2]; 2] {
        let a = self.map_from_screen(rect, rect.left_bottom());
        let b = self.map_from_screen(rect, rect.right_top());
        [a, b]
    }

    /// Moves the view by a screen drag.
    pub fn pan_by_screen(&mut self, delta: Vec2) {
        self.center_m[0] -= f64::from(delta.x) * self.m_per_point;
        self.center_m[1] += f64::from(delta.y) * self.m_per_point;
    }

    /// Zooms by `factor` (above 1 zooms in) keeping the map point under `anchor` where it is.
    pub fn zoom_at(&mut self, rect: Rect, anchor: Pos2, factor: f64) {
        let before = self.map_from_screen(rect, anchor);
        self.m_per_point = (self.m_per_point / factor).clamp(MIN_M_PER_POINT, MAX_M_PER_POINT);
        let after = self.map_from_screen(rect, anchor);
        self.center_m[0] += before[0] - after[0];
        self.center_m[1] += before[1] - after[1];
    }

    /// A camera showing the Web Mercator box `bbox_m` inside `rect` with a margin.
    pub fn fitting(rect: Rect, bbox_m: [[f64; 2]; 2]) -> Self {
        let [lo, hi] = bbox_m;
        let width = (hi[0] - lo[0]).max(1.0);
        let height = (hi[1] - lo[1]).max(1.0);
        let usable = (rect.size() * 0.9).max(Vec2::splat(1.0));
        let m_per_point = (width / f64::from(usable.x)).max(height / f64::from(usable.y));
        Self {
            center_m: [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0],
            m_per_point: m_per_point.clamp(MIN_M_PER_POINT, MAX_M_PER_POINT),
        }
    }

    /// The same centre at `m_per_point` Web Mercator metres per point, within the camera's range.
    pub fn with_m_per_point(self, m_per_point: f64) -> Self {
        Self {
            m_per_point: m_per_point.clamp(MIN_M_PER_POINT, MAX_M_PER_POINT),
            ..self
        }
    }

    /// A camera between `self` (t = 0) and `to` (t = 1), zooming geometrically so motion looks
    /// even at every scale.
    pub fn lerp(&self, to: &Camera, t: f64) -> Camera {
        let t = t.clamp(0.0, 1.0);
        let ln = self.m_per_point.ln() + (to.m_per_point.ln() - self.m_per_point.ln()) * t;
        Camera {
            center_m: [
                self.center_m[0] + (to.center_m[0] - self.center_m[0]) * t,
                self.center_m[1] + (to.center_m[1] - self.center_m[1]) * t,
            ],
            m_per_point: ln.exp(),
        }
    }

    /// The web-map zoom level this scale corresponds to (0 shows the world in 256 points).
    pub fn zoom_level(&self) -> f64 {
        (2.0 * std::f64::consts::PI * crate::map::EARTH_RADIUS_M / 256.0 / self.m_per_point).log2()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect() -> Rect {
        Rect::from_min_size(pos2(10.0, 20.0), egui::vec2(800.0, 600.0))
    }

    #[test]
    fn screen_and_map_round_trip() {
        let cam = Camera {
            center_m: [6_052_000.0, 3_750_000.0],
            m_per_point: 0.5,
        };
        let p = [6_052_123.25, 3_749_987.5];
        let s = cam.screen_from_map(rect(), p);
        let back = cam.map_from_screen(rect(), s);
        assert!(
            (back[0] - p[0]).abs() < 0.05 && (back[1] - p[1]).abs() < 0.05,
            "{back:?}"
        );
    }

    #[test]
    fn zoom_keeps_the_anchor_fixed() {
        let mut cam = Camera {
            center_m: [1000.0, 2000.0],
            m_per_point: 10.0,
        };
        let anchor = pos2(100.0, 500.0);
        let before = cam.map_from_screen(rect(), anchor);
        cam.zoom_at(rect(), anchor, 2.0);
        assert_eq!(cam.m_per_point, 5.0);
        let after = cam.map_from_screen(rect(), anchor);
        assert!((before[0] - after[0]).abs() < 1e-6 && (before[1] - after[1]).abs() < 1e-6);
    }

    #[test]
    fn fitting_shows_the_whole_box() {
        let cam = Camera::fitting(rect(), [[0.0, 0.0], [8000.0, 1000.0]]);
        let [lo, hi] = cam.visible_m(rect());
        assert!(lo[0] < 0.0 && hi[0] > 8000.0 && lo[1] < 0.0 && hi[1] > 1000.0);
    }
}
