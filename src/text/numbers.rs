//! Numbers as people read them, in one place for the window and the layouts: Persian digits with
//! the Persian thousands separator (٬ U+066C), decimal separator (٫ U+066B) and percent sign (٪)
//! in Persian; Latin digits with `,` and `.` in English. Files keep ASCII numbers.

use super::numerals::{ascii_digit, persian_digits};

/// How numbers are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Numbers {
    /// Persian digits and separators.
    #[default]
    Persian,
    /// Latin digits, `,` between thousands, `.` before decimals.
    Latin,
}

impl Numbers {
    /// Persian for a right-to-left (Persian) interface or page, Latin otherwise.
    pub fn for_persian(persian: bool) -> Self {
        if persian { Self::Persian } else { Self::Latin }
    }

    /// A whole number with thousands separators.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Latin.count(12216), "12,216");
    /// assert_eq!(Numbers::Persian.count(12216), "۱۲٬۲۱۶");
    /// ```
    pub fn count(self, n: u64) -> String {
        self.grouped(&n.to_string())
    }

    /// `value` rounded to `places` decimals, thousands grouped.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Latin.fixed(-1234.567, 1), "-1,234.6");
    /// assert_eq!(Numbers::Persian.fixed(0.5, 2), "۰٫۵۰");
    /// ```
    pub fn fixed(self, value: f64, places: usize) -> String {
        if !value.is_finite() {
            return "—".to_string();
        }
        let text = format!("{:.*}", places, value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        out.push_str(&self.grouped(whole));
        if !fraction.is_empty() {
            out.push(self.decimal_separator());
            out.push_str(&self.digits(fraction));
        }
        out
    }

    /// A share 0..1 as a percentage with `places` decimals.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Latin.percent(0.179, 1), "17.9%");
    /// assert_eq!(Numbers::Persian.percent(0.179, 1), "۱۷٫۹٪");
    /// ```
    pub fn percent(self, share: f64, places: usize) -> String {
        let number = self.fixed(share * 100.0, places);
        match self {
            Self::Persian => format!("{number}٪"),
            Self::Latin => format!("{number}%"),
        }
    }

    /// Whole metres with the unit.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Latin.metres(12216.4), "12,216 m");
    /// assert_eq!(Numbers::Persian.metres(12216.4), "۱۲٬۲۱۶ متر");
    /// ```
    pub fn metres(self, m: f64) -> String {
        let number = self.fixed(m, 0);
        match self {
            Self::Persian => format!("{number} متر"),
            Self::Latin => format!("{number} m"),
        }
    }

    /// A length for a scale bar or a sentence: metres below a kilometre, kilometres (with the
    /// decimals the length has, at most two) from one.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Latin.length(500.0), "500 m");
    /// assert_eq!(Numbers::Latin.length(2500.0), "2.5 km");
    /// assert_eq!(Numbers::Persian.length(20_000.0), "۲۰ کیلومتر");
    /// ```
    pub fn length(self, m: f64) -> String {
        let (value, unit) = match (m >= 1000.0, self) {
            (true, Self::Persian) => (m / 1000.0, "کیلومتر"),
            (true, Self::Latin) => (m / 1000.0, "km"),
            (false, Self::Persian) => (m, "متر"),
            (false, Self::Latin) => (m, "m"),
        };
        let places = (0..=2)
            .find(|&p| ((value * 10f64.powi(p)).round() - value * 10f64.powi(p)).abs() < 1e-6)
            .unwrap_or(2) as usize;
        format!("{} {unit}", self.fixed(value, places))
    }

    /// An area with a unit that suits its size: m² below a hectare, hectares below a square
    /// kilometre, km² above.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Latin.area(950.0), "950 m²");
    /// assert_eq!(Numbers::Latin.area(253_000.0), "25.3 ha");
    /// assert_eq!(Numbers::Persian.area(5_319_739_441.0), "۵٬۳۱۹٫۷ کیلومتر مربع");
    /// ```
    pub fn area(self, m2: f64) -> String {
        let (value, places, unit) = if m2 < 10_000.0 {
            (m2, 0, ["m²", "متر مربع"])
        } else if m2 < 1_000_000.0 {
            (m2 / 10_000.0, 1, ["ha", "هکتار"])
        } else {
            (m2 / 1_000_000.0, 1, ["km²", "کیلومتر مربع"])
        };
        let unit = match self {
            Self::Latin => unit[0],
            Self::Persian => unit[1],
        };
        format!("{} {unit}", self.fixed(value, places))
    }

    /// `part / whole`, as counts.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Persian.ratio(5, 59), "۵ / ۵۹");
    /// ```
    pub fn ratio(self, part: u64, whole: u64) -> String {
        format!("{} / {}", self.count(part), self.count(whole))
    }

    /// A value from a file shown in this style: numbers (JSON numbers, or text that is just a
    /// number) get digits and separators, anything else stays as it is.
    ///
    /// ```
    /// use mahalleh::text::Numbers;
    /// assert_eq!(Numbers::Persian.value_text("6650"), "۶٬۶۵۰");
    /// assert_eq!(Numbers::Persian.value_text("YZD-43"), "YZD-43");
    /// ```
    pub fn value_text(self, text: &str) -> String {
        let trimmed = text.trim();
        let numeric = !trimmed.is_empty()
            && trimmed.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && trimmed.parse::<f64>().is_ok();
        if !numeric {
            return text.to_string();
        }
        let places = trimmed.split_once('.').map_or(0, |(_, f)| f.len());
        trimmed
            .parse::<f64>()
            .map_or(text.to_string(), |v| self.fixed(v, places))
    }

    /// ASCII digits in `text` in this style's digits.
    pub fn digits(self, text: &str) -> String {
        match self {
            Self::Persian => persian_digits(text),
            Self::Latin => text.to_string(),
        }
    }

    fn decimal_separator(self) -> char {
        match self {
            Self::Persian => '\u{066B}',
            Self::Latin => '.',
        }
    }

    /// ASCII digits grouped by three.
    fn grouped(self, digits: &str) -> String {
        let separator = match self {
            Self::Persian => '\u{066C}',
            Self::Latin => ',',
        };
        let count = digits.chars().count();
        let mut out = String::with_capacity(digits.len() + count / 3);
        for (k, c) in digits.chars().enumerate() {
            if k > 0 && (count - k).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        self.digits(&out)
    }
}

/// A number as people type it: Latin, Persian (۰..۹) or Arabic-Indic (٠..٩) digits, `.` or `٫` as
/// the decimal separator, `,` or `٬` between thousands, and `-` or `−` for minus.
///
/// ```
/// use mahalleh::text::numbers::parse_number;
/// assert_eq!(parse_number("۱۲٬۲۱۶٫۵"), Some(12216.5));
/// assert_eq!(parse_number(" 800 "), Some(800.0));
/// assert_eq!(parse_number("٣٠٠"), Some(300.0));
/// assert_eq!(parse_number("هشتصد"), None);
/// ```
pub fn parse_number(text: &str) -> Option<f64> {
    let mut ascii = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '-' | '+' | '.' | 'e' | 'E' => ascii.push(c),
            '\u{2212}' => ascii.push('-'),
            '\u{066B}' => ascii.push('.'),
            // Thousands separators, including the spaces and underscores of some exports.
            ',' | '\u{066C}' | '_' | ' ' => {}
            c => ascii.push(ascii_digit(c)?),
        }
    }
    ascii.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether `text` is a number written with a leading zero (`0012`, `۰۲۰۵`, `-07`): a code, not a
/// quantity, so readers keep it as text. `0`, `0.5` and `۰٫۵` are not zero-padded.
///
/// ```
/// use mahalleh::text::numbers::is_zero_padded;
/// assert!(is_zero_padded("۰۲۰۵"));
/// assert!(!is_zero_padded("0.5"));
/// assert!(!is_zero_padded("205"));
/// ```
pub fn is_zero_padded(text: &str) -> bool {
    let mut digits = text
        .trim()
        .trim_start_matches(['-', '+', '\u{2212}'])
        .chars()
        .map(ascii_digit);
    digits.next() == Some(Some('0')) && digits.next().is_some_and(|d| d.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_never_leaves_a_minus_zero_and_nan_is_a_dash() {
        assert_eq!(Numbers::Latin.fixed(-0.04, 1), "0.0");
        assert_eq!(Numbers::Latin.fixed(f64::NAN, 1), "—");
        assert_eq!(Numbers::Latin.count(999), "999");
        assert_eq!(Numbers::Latin.count(1_000_000), "1,000,000");
        assert_eq!(Numbers::Latin.length(1234.0), "1.23 km");
        assert_eq!(Numbers::Latin.value_text("12.50"), "12.50");
        assert_eq!(Numbers::Latin.value_text("-"), "-");
    }

    #[test]
    fn numbers_in_any_script_parse_and_codes_stay_codes() {
        assert_eq!(parse_number("−۱۲ ۵۰۰٫۲۵"), Some(-12500.25));
        assert_eq!(parse_number("1_000"), Some(1000.0));
        assert_eq!(parse_number("٣e2"), Some(300.0));
        assert_eq!(parse_number("12a"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number(""), None);
        for padded in ["0012", "-07", "۰۲۰۵", " ٠٩ "] {
            assert!(is_zero_padded(padded), "{padded}");
        }
        for plain in ["0", "0.5", "۰٫۵", "10", "", "o1"] {
            assert!(!is_zero_padded(plain), "{plain}");
        }
    }
}
