//! Dates for layouts: the Solar Hijri (Jalali) calendar that official Iranian documents carry, and
//! the Gregorian one, both from a count of days so that no time zone or system calendar is needed.
//!
//! Leap years follow the 33-year arithmetic rule (`(25·y + 11) mod 33 < 8`), which agrees with
//! the astronomical calendar of Iran for the years 1300 to 1500 (1921 to 2121), the range a plan
//! can carry.

use std::time::{SystemTime, UNIX_EPOCH};

/// A day of the Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GregorianDate {
    /// Year (astronomical: 0 is 1 BC).
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
}

/// A day of the Solar Hijri calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SolarHijriDate {
    /// Year (1405 began on 21 March 2026).
    pub year: i32,
    /// Month, 1 (Farvardin) ..= 12 (Esfand).
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
}

/// Persian month names, Farvardin first.
const SOLAR_HIJRI_MONTHS: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// Solar Hijri month names in Latin letters, Farvardin first.
const SOLAR_HIJRI_MONTHS_LATIN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// English month names, January first.
const GREGORIAN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Gregorian month names as written in Persian, January first.
const GREGORIAN_MONTHS_PERSIAN: [&str; 12] = [
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
];

/// The name of `month` (1..=12) in `names`.
fn month_name(names: &[&'static str; 12], month: u32) -> &'static str {
    names.get(month.saturating_sub(1) as usize).copied().unwrap_or("?")
}

/// 1 Farvardin 1404 was 21 March 2025: the anchor the calendar is counted from.
const ANCHOR_YEAR: i32 = 1404;

impl GregorianDate {
    /// Today in UTC.
    pub fn today() -> Self {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Self::from_days(i64::try_from(seconds / 86_400).unwrap_or(0))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        // Count from 1 March of year 0 so that the leap day ends the year.
        let (y, m) = if self.month <= 2 {
            (i64::from(self.year) - 1, i64::from(self.month) + 9)
        } else {
            (i64::from(self.year), i64::from(self.month) - 3)
        };
        let era = y.div_euclid(400);
        let year_of_era = y.rem_euclid(400);
        let day_of_year = (153 * m + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let m = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * m + 2) / 5 + 1) as u32;
        let month = if m < 10 { m + 3 } else { m - 9 } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month,
            day,
        }
    }

    /// "۲۶ نوامبر ۲۰۲۶", for Persian layouts that print the Gregorian date.
    pub fn persian_text(self) -> String {
        let month = month_name(&GREGORIAN_MONTHS_PERSIAN, self.month);
        super::persian_digits(&format!("{} {month} {}", self.day, self.year))
    }

    /// "26 November 2026".
    pub fn english_text(self) -> String {
        let month = month_name(&GREGORIAN_MONTHS, self.month);
        format!("{} {month} {}", self.day, self.year)
    }
}

impl SolarHijriDate {
    /// True when Esfand of `year` has 30 days.
    pub fn is_leap_year(year: i32) -> bool {
        (25 * i64::from(year) + 11).rem_euclid(33) < 8
    }

    /// Days in `year`.
    fn year_length(year: i32) -> i64 {
        if Self::is_leap_year(year) { 366 } else { 365 }
    }

    /// The Solar Hijri date of a Gregorian one.
    ///
    /// ```
    /// use mahalleh::text::dates::{GregorianDate, SolarHijriDate};
    /// let d = SolarHijriDate::from_gregorian(GregorianDate { year: 2026, month: 11, day: 26 });
    /// assert_eq!((d.year, d.month, d.day), (1405, 9, 5));
    /// ```
    pub fn from_gregorian(date: GregorianDate) -> Self {
        let anchor = GregorianDate {
            year: 2025,
            month: 3,
            day: 21,
        }
        .days();
        let mut year = ANCHOR_YEAR;
        let mut day_of_year = date.days() - anchor;
        while day_of_year < 0 {
            year -= 1;
            day_of_year += Self::year_length(year);
        }
        while day_of_year >= Self::year_length(year) {
            day_of_year -= Self::year_length(year);
            year += 1;
        }
        // Six months of 31 days, five of 30, and Esfand of 29 or 30.
        let (month, day) = if day_of_year < 186 {
            (day_of_year / 31 + 1, day_of_year % 31 + 1)
        } else {
            ((day_of_year - 186) / 30 + 7, (day_of_year - 186) % 30 + 1)
        };
        Self {
            year,
            month: month as u32,
            day: day as u32,
        }
    }

    /// "5 Azar 1405 SH", for English layouts.
    pub fn english_text(self) -> String {
        let month = month_name(&SOLAR_HIJRI_MONTHS_LATIN, self.month);
        format!("{} {month} {} SH", self.day, self.year)
    }

    /// "۵ آذر ۱۴۰۵", in Persian digits.
    pub fn persian_text(self) -> String {
        let month = month_name(&SOLAR_HIJRI_MONTHS, self.month);
        super::persian_digits(&format!("{} {month} {}", self.day, self.year))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(year: i32, month: u32, day: u32) -> GregorianDate {
        GregorianDate { year, month, day }
    }

    #[test]
    fn day_counts_round_trip_and_match_known_days() {
        assert_eq!(g(1970, 1, 1).days(), 0);
        assert_eq!(g(2000, 3, 1).days(), 11_017);
        assert_eq!(g(1969, 12, 31).days(), -1);
        for days in (-50_000..80_000).step_by(97) {
            assert_eq!(GregorianDate::from_days(days).days(), days);
        }
    }

    #[test]
    fn nowruz_and_leap_days_fall_on_their_known_dates() {
        // 1 Farvardin of these years, from the official calendar of Iran.
        for (year, march_day) in [
            (1370, 21),
            (1395, 20),
            (1399, 20),
            (1400, 21),
            (1403, 20),
            (1404, 21),
            (1405, 21),
        ] {
            let gregorian = year + 621;
            let d = SolarHijriDate::from_gregorian(g(gregorian, 3, march_day));
            assert_eq!((d.year, d.month, d.day), (year, 1, 1), "{year}");
        }
        // 30 Esfand exists in leap years only: 1403 yes (20 March 2025), 1404 no.
        assert_eq!(
            SolarHijriDate::from_gregorian(g(2025, 3, 20)),
            SolarHijriDate {
                year: 1403,
                month: 12,
                day: 30
            }
        );
        assert_eq!(
            SolarHijriDate::from_gregorian(g(2026, 3, 20)),
            SolarHijriDate {
                year: 1404,
                month: 12,
                day: 29
            }
        );
        assert!(!SolarHijriDate::is_leap_year(1407) && SolarHijriDate::is_leap_year(1408));
        // First day of Mehr (month 7): 23 September 2025.
        assert_eq!(
            SolarHijriDate::from_gregorian(g(2025, 9, 23)),
            SolarHijriDate {
                year: 1404,
                month: 7,
                day: 1
            }
        );
    }

    #[test]
    fn dates_as_text() {
        let d = SolarHijriDate::from_gregorian(g(2026, 11, 26));
        assert_eq!(d.persian_text(), "۵ آذر ۱۴۰۵");
        assert_eq!(d.english_text(), "5 Azar 1405 SH");
        assert_eq!(g(2026, 11, 26).english_text(), "26 November 2026");
        assert_eq!(g(2026, 11, 26).persian_text(), "۲۶ نوامبر ۲۰۲۶");
    }
}
