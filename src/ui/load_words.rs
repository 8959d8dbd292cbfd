//! Why a feature was skipped or warned about, in the interface's language: the core's
//! [`SkipReason`] and [`LoadWarning`] are English and count from 0 (as `mahalleh info` prints
//! them); the window counts parts, rings and vertices from 1, as it counts the file's features,
//! and writes Persian digits in Persian.

use super::i18n::Language;
use crate::model::{LoadWarning, SkipReason};
use crate::text::Numbers;

/// The reason `reason` in `lang`.
pub fn skip_reason_text(reason: &SkipReason, lang: Language) -> String {
    let fa = lang == Language::Fa;
    let n = lang.numbers();
    match reason {
        SkipReason::NullGeometry => pick(fa, "هندسه‌ی عارضه تهی (null) است", "the geometry is null"),
        SkipReason::MissingGeometry => pick(fa, "عارضه هندسه ندارد", "the feature has no geometry"),
        SkipReason::NotPolygon { geometry_type } => match fa {
            true => format!("یک {geometry_type} است، نه یک پهنه"),
            false => format!("a {geometry_type} is not an area"),
        },
        SkipReason::EmptyGeometry { geometry_type } => match fa {
            true => format!("این {geometry_type} هیچ مختصاتی ندارد"),
            false => format!("the {geometry_type} has no coordinates"),
        },
        SkipReason::RingTooShort {
            polygon,
            ring,
            positions,
        } => {
            let ring = ring_text(*polygon, *ring, lang);
            let count = n.count(*positions as u64);
            match fa {
                true => format!("{ring} {count} نقطه دارد؛ هر حلقه دست‌کم ۴ نقطه می‌خواهد"),
                false => format!("{ring} has {count} positions; a ring needs at least 4"),
            }
        }
        SkipReason::NonFiniteCoordinate {
            polygon,
            ring,
            position,
        } => {
            let place = vertex_text(*polygon, *ring, *position, lang);
            pick(
                fa,
                &format!("{place} عدد متناهی نیست"),
                &format!("{place} is not a finite number"),
            )
        }
        SkipReason::OutOfRange {
            polygon,
            ring,
            position,
            lon,
            lat,
        } => {
            let place = vertex_text(*polygon, *ring, *position, lang);
            let projected = lon.abs() > 1000.0 || lat.abs() > 1000.0;
            let at = match projected {
                true => xy_text(*lon, *lat, n),
                false => lang.lat_lon_text([*lon, *lat], 6),
            };
            match (fa, projected) {
                (true, false) => {
                    format!("{place} ({at}) بیرون از طول −۱۸۰ تا ۱۸۰ یا عرض −۹۰ تا ۹۰ است")
                }
                (true, true) => format!(
                    "{place} ({at}) طول و عرض جغرافیایی نیست؛ مختصات تصویرشده؟ \
                     دستگاه مختصات پرونده را هنگام باز کردن بدهید"
                ),
                (false, false) => {
                    format!("{place} ({at}) is outside longitude -180..180 / latitude -90..90")
                }
                (false, true) => format!(
                    "{place} ({at}) is not a longitude/latitude; projected coordinates? \
                     give the file's coordinate system when opening it"
                ),
            }
        }
        SkipReason::Malformed { message } => match fa {
            true => format!("ساختار عارضه نادرست است: {message}"),
            false => message.clone(),
        },
        SkipReason::CannotReproject { position, x, y } => {
            let at = xy_text(*x, *y, n);
            let vertex = n.count(*position as u64 + 1);
            match fa {
                true => format!("نقطه‌ی {vertex} ({at}) در دستگاه مختصات پرونده به طول و عرض جغرافیایی برنمی‌گردد"),
                false => format!(
                    "position {vertex} ({at}) cannot be turned into longitude/latitude in the file's coordinate system"
                ),
            }
        }
    }
}

/// The warning `warning` in `lang`.
pub fn warning_text(warning: &LoadWarning, lang: Language) -> String {
    let fa = lang == Language::Fa;
    let n = lang.numbers();
    match warning {
        LoadWarning::RingClosed { polygon, ring } => {
            let ring = ring_text(*polygon, *ring, lang);
            pick(
                fa,
                &format!("{ring} بسته نبود؛ بسته شد"),
                &format!("{ring} was not closed; closed it"),
            )
        }
        LoadWarning::SelfIntersection { polygon, lon, lat } => {
            let part = part_text(*polygon, lang);
            let at = lang.lat_lon_text([*lon, *lat], 6);
            match fa {
                true => format!("{part} نزدیک {at} خودش را قطع می‌کند؛ همان‌گونه که هست کشیده شد"),
                false => format!("{part} crosses itself near {at}; drawn as it is"),
            }
        }
        LoadWarning::CollectionMembersIgnored { count } => {
            let count = n.count(*count as u64);
            match fa {
                true => format!("{count} عضو غیرپهنه‌ای مجموعه‌ی هندسی کنار گذاشته شد"),
                false => format!("left out {count} non-polygon member(s) of the geometry collection"),
            }
        }
        LoadWarning::PropertiesNotObject => pick(
            fa,
            "ویژگی‌ها (properties) شیء نیستند؛ نادیده گرفته شدند",
            "properties is not an object; ignored it",
        ),
        LoadWarning::BareGeometry => pick(
            fa,
            "به جای عارضه (Feature) یک هندسه‌ی تنها آمده است؛ عارضه‌ای بی‌ویژگی خوانده شد",
            "a bare geometry stands where a Feature belongs; read it as a feature without properties",
        ),
        LoadWarning::NumberOutOfRange { field } => match fa {
            true => format!("فیلد «{field}» عددی بزرگ‌تر از اندازه‌ی کارپذیر دارد؛ به‌صورت متن نگه داشته شد"),
            false => format!("the field {field} holds a number too large to use; kept as text"),
        },
        LoadWarning::PropertyTooDeep { field } => match fa {
            true => format!("فیلد «{field}» بیش از ۱۲۸ لایه تودرتوست؛ کنار گذاشته شد"),
            false => format!("the field {field} is nested deeper than 128 levels; left out"),
        },
        LoadWarning::UndecodableText { field } => match fa {
            true => format!("فیلد «{field}» بایت‌هایی دارد که رمزگشایی نمی‌شوند؛ با � نشان داده شد"),
            false => format!("the field {field} holds bytes that do not decode; shown as �"),
        },
    }
}

fn pick(fa: bool, persian: &str, english: &str) -> String {
    if fa { persian } else { english }.to_string()
}

/// "part 2" of a feature (its polygons counted from 1).
fn part_text(polygon: usize, lang: Language) -> String {
    let n = lang.numbers().count(polygon as u64 + 1);
    match lang {
        Language::Fa => format!("بخش {n}"),
        Language::En => format!("part {n}"),
    }
}

/// "part 1, outer ring" or "part 1, hole 2".
fn ring_text(polygon: usize, ring: usize, lang: Language) -> String {
    let part = part_text(polygon, lang);
    let hole = lang.numbers().count(ring as u64);
    match (lang, ring) {
        (Language::Fa, 0) => format!("{part}، حلقه‌ی بیرونی"),
        (Language::Fa, _) => format!("{part}، حفره‌ی {hole}"),
        (Language::En, 0) => format!("{part}, outer ring"),
        (Language::En, _) => format!("{part}, hole {hole}"),
    }
}

/// "part 1, outer ring, vertex 5".
fn vertex_text(polygon: usize, ring: usize, position: usize, lang: Language) -> String {
    let ring = ring_text(polygon, ring, lang);
    let vertex = lang.numbers().count(position as u64 + 1);
    match lang {
        Language::Fa => format!("{ring}، رأس {vertex}"),
        Language::En => format!("{ring}, vertex {vertex}"),
    }
}

/// A projected pair `x, y` with one decimal, each number isolated left to right (a minus sign
/// stays before its digits in Persian text).
fn xy_text(x: f64, y: f64, numbers: Numbers) -> String {
    let one = |v: f64| format!("\u{2066}{}\u{2069}", numbers.fixed(v, 1));
    let comma = match numbers {
        Numbers::Persian => "، ",
        Numbers::Latin => ", ",
    };
    format!("{}{comma}{}", one(x), one(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_reasons_count_from_one_in_persian_digits() {
        let reason = SkipReason::RingTooShort {
            polygon: 0,
            ring: 2,
            positions: 3,
        };
        assert_eq!(
            skip_reason_text(&reason, Language::Fa),
            "بخش ۱، حفره‌ی ۲ ۳ نقطه دارد؛ هر حلقه دست‌کم ۴ نقطه می‌خواهد"
        );
        assert_eq!(
            skip_reason_text(&reason, Language::En),
            "part 1, hole 2 has 3 positions; a ring needs at least 4"
        );
        let crossing = LoadWarning::SelfIntersection {
            polygon: 1,
            lon: 54.3675,
            lat: 31.89,
        };
        assert_eq!(
            warning_text(&crossing, Language::Fa),
            "بخش ۲ نزدیک ۳۱٫۸۹۰۰۰۰° شمالی ۵۴٫۳۶۷۵۰۰° شرقی خودش را قطع می‌کند؛ همان‌گونه که هست کشیده شد"
        );
        assert_eq!(
            warning_text(&crossing, Language::En),
            "part 2 crosses itself near 31.890000°N 54.367500°E; drawn as it is"
        );
    }

    #[test]
    fn projected_coordinates_are_named_as_such() {
        let reason = SkipReason::OutOfRange {
            polygon: 0,
            ring: 0,
            position: 4,
            lon: 508_048.31,
            lat: 3_540_112.0,
        };
        let fa = skip_reason_text(&reason, Language::Fa);
        assert!(
            fa.starts_with("بخش ۱، حلقه‌ی بیرونی، رأس ۵ (\u{2066}۵۰۸٬۰۴۸٫۳\u{2069}، \u{2066}۳٬۵۴۰٬۱۱۲٫۰\u{2069})"),
            "{fa}"
        );
        assert!(fa.contains("تصویرشده"), "{fa}");
        let en = skip_reason_text(&reason, Language::En);
        assert!(
            en.contains(
                "vertex 5 (\u{2066}508,048.3\u{2069}, \u{2066}3,540,112.0\u{2069}) is not a longitude/latitude"
            ),
            "{en}"
        );
        let near = SkipReason::OutOfRange {
            polygon: 0,
            ring: 0,
            position: 4,
            lon: -181.5,
            lat: 31.0,
        };
        let en = skip_reason_text(&near, Language::En);
        assert!(en.contains("(31.000000°N 181.500000°W) is outside"), "{en}");
    }

    /// No Latin digit leaks into a Persian message: each variant is written in Persian.
    #[test]
    fn every_persian_message_has_persian_digits_only() {
        let reasons = [
            SkipReason::NullGeometry,
            SkipReason::MissingGeometry,
            SkipReason::NotPolygon {
                geometry_type: "LineString".into(),
            },
            SkipReason::EmptyGeometry {
                geometry_type: "Polygon".into(),
            },
            SkipReason::RingTooShort {
                polygon: 3,
                ring: 0,
                positions: 2,
            },
            SkipReason::NonFiniteCoordinate {
                polygon: 0,
                ring: 1,
                position: 7,
            },
            SkipReason::OutOfRange {
                polygon: 0,
                ring: 0,
                position: 0,
                lon: 200.0,
                lat: 10.0,
            },
            SkipReason::CannotReproject {
                position: 12,
                x: 1e7,
                y: 2e7,
            },
        ];
        let warnings = [
            LoadWarning::RingClosed { polygon: 0, ring: 1 },
            LoadWarning::CollectionMembersIgnored { count: 12 },
            LoadWarning::PropertiesNotObject,
            LoadWarning::BareGeometry,
            LoadWarning::NumberOutOfRange { field: "pop".into() },
            LoadWarning::PropertyTooDeep { field: "tags".into() },
            LoadWarning::UndecodableText { field: "NAME".into() },
        ];
        let texts = reasons
            .iter()
            .map(|r| (skip_reason_text(r, Language::Fa), r.to_string()))
            .chain(warnings.iter().map(|w| (warning_text(w, Language::Fa), w.to_string())));
        for (fa, en) in texts {
            assert!(!fa.chars().any(|c| c.is_ascii_digit()), "{fa}");
            assert!(fa.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{fa}");
            assert_ne!(fa, en);
        }
    }
}
