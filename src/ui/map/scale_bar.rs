//! A scale bar that is true at the centre of the view: its length is measured on the ellipsoid, not
//! in Web Mercator, which stretches distances by 1/cos(latitude).

use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, pos2, vec2};
use geo::{Distance, Geodesic, Point};

use super::camera::Camera;
use crate::map::lon_lat_from_mercator;
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

/// The longest round length (1, 2 or 5 times a power of ten, in metres) that fits `max_m`.
pub fn round_length_m(max_m: f64) -> f64 {
    if max_m <= 0.0 || !max_m.is_finite() {
        return 0.0;
    }
    let power = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * power)
        .find(|&l| l <= max_m)
        .unwrap_or(power)
}

/// Text for a length: metres below a kilometre, kilometres above.
pub fn length_text(m: f64, persian: bool) -> String {
    let (value, unit_en, unit_fa) = if m >= 1000.0 {
        (m / 1000.0, "km", "کیلومتر")
    } else {
        (m, "m", "متر")
    };
    let number = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    };
    if persian {
        format!("{} {unit_fa}", persian_digits(&number))
    } else {
        format!("{number} {unit_en}")
    }
}

/// ASCII digits as Persian digits (U+06F0..), the decimal point as the Persian separator.
pub fn persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
            '.' => '\u{066B}',
            c => c,
        })
        .collect()
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
    fn round_lengths() {
        assert_eq!(round_length_m(740.0), 500.0);
        assert_eq!(round_length_m(1999.0), 1000.0);
        assert_eq!(round_length_m(2000.0), 2000.0);
        assert_eq!(round_length_m(0.0), 0.0);
    }

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

    #[test]
    fn lengths_in_both_languages() {
        assert_eq!(length_text(500.0, false), "500 m");
        assert_eq!(length_text(2000.0, false), "2 km");
        assert_eq!(length_text(2000.0, true), "۲ کیلومتر");
    }
}
