//! A scale bar that is true at the centre of the view: its length is measured on the ellipsoid, not
//! in Web Mercator, which stretches distances by 1/cos(latitude).

use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, pos2, vec2};
use geo::{Distance, Geodesic, Point};

use super::camera::Camera;
use crate::map::lon_lat_from_mercator;
use crate::map::scale::{length_text, round_length_m};
use crate::text::BaseDirection;
use crate::ui::bidi_text::bidi_layout_job;

/// Ground metres per screen point at the centre of the view, measured along the parallel.
pub fn ground_m_per_point(camera: &Camera) -> f64 {
    let [lon0, lat0] = lon_lat_from_mercator(camera.center_m[0], camera.center_m[1]);
    let step_points = 100.0;
    let [lon1, lat1] = lon_lat_from_mercator(
        camera.center_m[0] + step_points * camera.m_per_point,
        camera.center_m[1],
    );
    Geodesic.distance(Point::new(lon0, lat0), Point::new(lon1, lat1)) / step_points
}

/// Paints the scale bar in the bottom-left corner of `rect`.
pub fn paint_scale_bar(painter: &egui::Painter, camera: &Camera, rect: Rect, persian: bool) {
    let m_per_point = ground_m_per_point(camera);
    let length_m = round_length_m(m_per_point * 150.0);
    if length_m <= 0.0 {
        return;
    }
    let length_points = (length_m / m_per_point) as f32;
    let origin: Pos2 = rect.left_bottom() + vec2(16.0, -18.0);
    let end = origin + vec2(length_points, 0.0);
    let back = Rect::from_min_max(origin - vec2(6.0, 22.0), end + vec2(6.0, 6.0));
    painter.rect_filled(back, 3.0, Color32::from_white_alpha(200));
    let stroke = Stroke::new(2.0, Color32::from_gray(30));
    painter.line_segment([origin, end], stroke);
    painter.line_segment([origin, origin - vec2(0.0, 6.0)], stroke);
    painter.line_segment([end, end - vec2(0.0, 6.0)], stroke);
    let text = length_text(length_m, persian);
    let job = bidi_layout_job(
        &text,
        FontId::proportional(13.0),
        Color32::from_gray(20),
        BaseDirection::Auto,
    );
    let galley = painter.layout_job(job);
    let at = Align2::CENTER_BOTTOM.anchor_size(pos2((origin.x + end.x) / 2.0, origin.y - 4.0), galley.size());
    painter.galley(at.min, galley, Color32::from_gray(20));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::mercator_from_lon_lat;

    #[test]
    fn scale_is_geodesic_at_yazd() {
        // At 31.9 N a Web Mercator metre is cos(31.9°) ≈ 0.849 ground metres.
        let camera = Camera {
            center_m: mercator_from_lon_lat(54.37, 31.9),
            m_per_point: 10.0,
        };
        let g = ground_m_per_point(&camera);
        assert!((g - 10.0 * 31.9f64.to_radians().cos()).abs() < 0.03, "{g}");
    }
}
