//! Scale bars: round lengths and their text, for the window and for layouts.

use crate::text::Numbers;

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
    fn lengths_in_both_languages() {
        assert_eq!(length_text(500.0, false), "500 m");
        assert_eq!(length_text(2000.0, false), "2 km");
        assert_eq!(length_text(2000.0, true), "۲ کیلومتر");
    }
}
