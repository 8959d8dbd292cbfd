//! Scale bars and map scales: round lengths and their text, and the representative fraction
//! (1:10,000) of a view, for the window and for layouts.

use crate::text::Numbers;
use crate::text::numbers::parse_number;

/// One screen point is taken as 1/96 inch (the CSS reference pixel, which egui's points follow
/// at 100% zoom), in metres: a monitor's real size is not known, and GIS tools make the same
/// assumption.
pub const SCREEN_M_PER_POINT: f64 = 0.0254 / 96.0;

/// Scales a planner picks from, 1:1,000 to 1:1,000,000.
pub const STANDARD_SCALES: [f64; 10] = [
    1_000.0,
    2_500.0,
    5_000.0,
    10_000.0,
    25_000.0,
    50_000.0,
    100_000.0,
    250_000.0,
    500_000.0,
    1_000_000.0,
];

/// The scale denominator (the N of 1:N) of a view with `mercator_m_per_point` Web Mercator
/// metres per screen point, at latitude `lat_deg` (Web Mercator stretches ground by
/// 1/cos(latitude)).
///
/// ```
/// use mahalleh::map::scale::{mercator_m_per_point_for_scale, scale_denominator};
/// let m = mercator_m_per_point_for_scale(10_000.0, 31.9);
/// assert!((scale_denominator(m, 31.9) - 10_000.0).abs() < 1e-6);
/// // On the equator one point of 1/96 inch at 1:10,000 spans 2.646 m.
/// assert!((mercator_m_per_point_for_scale(10_000.0, 0.0) - 2.6458).abs() < 1e-4);
/// ```
pub fn scale_denominator(mercator_m_per_point: f64, lat_deg: f64) -> f64 {
    mercator_m_per_point * lat_deg.to_radians().cos() / SCREEN_M_PER_POINT
}

/// The Web Mercator metres per screen point that show 1:`denominator` at latitude `lat_deg`.
pub fn mercator_m_per_point_for_scale(denominator: f64, lat_deg: f64) -> f64 {
    denominator * SCREEN_M_PER_POINT / lat_deg.to_radians().cos().max(1e-9)
}

/// Reads a scale as people type it: `1:10,000`, `1/10000`, `10000`, `۱:۱۰٬۰۰۰`. `None` for
/// anything else, or a scale of zero or less.
///
/// ```
/// use mahalleh::map::scale::parse_scale;
/// assert_eq!(parse_scale("1:10,000"), Some(10_000.0));
/// assert_eq!(parse_scale("۱:۲۵٬۰۰۰"), Some(25_000.0));
/// assert_eq!(parse_scale(" 5000 "), Some(5_000.0));
/// assert_eq!(parse_scale("1:0"), None);
/// assert_eq!(parse_scale("big"), None);
/// ```
pub fn parse_scale(text: &str) -> Option<f64> {
    let text = text.trim();
    let denominator = match text.split_once([':', '/', '：']) {
        Some((one, n)) => {
            (parse_number(one)? == 1.0).then_some(())?;
            parse_number(n)?
        }
        None => parse_number(text)?,
    };
    (denominator.is_finite() && denominator > 0.0).then_some(denominator)
}

/// A scale as text, `1:10,000` or `۱:۱۰٬۰۰۰`, its denominator rounded to a whole number.
///
/// ```
/// use mahalleh::map::scale::scale_text;
/// use mahalleh::text::Numbers;
/// assert_eq!(scale_text(10_000.4, Numbers::Latin), "1:10,000");
/// ```
pub fn scale_text(denominator: f64, numbers: Numbers) -> String {
    let n = denominator.round().clamp(1.0, 1e15) as u64;
    format!("{}:{}", numbers.digits("1"), numbers.count(n))
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

/// Text for a length: metres below a kilometre, kilometres above, in Persian or Latin digits.
pub fn length_text(m: f64, persian: bool) -> String {
    Numbers::for_persian(persian).length(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_lengths() {
        assert_eq!(round_length_m(740.0), 500.0);
        assert_eq!(round_length_m(1999.0), 1000.0);
        assert_eq!(round_length_m(2000.0), 2000.0);
        assert_eq!(round_length_m(0.0), 0.0);
    }

    #[test]
    fn scales_round_trip_and_bad_text_is_refused() {
        for n in STANDARD_SCALES {
            for lat in [0.0, 31.9, 60.0] {
                let m = mercator_m_per_point_for_scale(n, lat);
                assert!((scale_denominator(m, lat) - n).abs() < 1e-6 * n);
            }
        }
        assert_eq!(parse_scale("1/2500"), Some(2_500.0));
        assert_eq!(parse_scale("2:10000"), None, "a fraction of one over N only");
        assert_eq!(parse_scale("-5000"), None);
        assert_eq!(parse_scale(""), None);
        assert_eq!(scale_text(25_000.0, Numbers::Persian), "۱:۲۵٬۰۰۰");
    }

    #[test]
    fn lengths_in_both_languages() {
        assert_eq!(length_text(500.0, false), "500 m");
        assert_eq!(length_text(2000.0, false), "2 km");
        assert_eq!(length_text(2000.0, true), "۲ کیلومتر");
    }
}
