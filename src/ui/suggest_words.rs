//! A suggestion in plain words, Persian or English: what the new offices reach, how close the
//! answer is to the best possible (from the solver's bound), and what stays out of reach.

use super::i18n::{Language, Msg};
use crate::analysis::CoverageSummary;
use crate::analysis::location::{Model, SuggestedSite, Suggestion};
use crate::workspace::DistrictLayer;

/// Districts named in a sentence before "and N more".
const NAMES_SHOWN: usize = 8;

/// A whole number with thousands separators, in the language's digits.
fn count_text(value: f64, lang: Language) -> String {
    lang.numbers().count(value.max(0.0).round() as u64)
}

/// A share 0..1 as a percentage with one decimal.
fn percent_text(share: f64, lang: Language) -> String {
    lang.numbers().percent(share, 1)
}

/// A gap as a percentage rounded up to one decimal: "at most" stays true.
fn gap_text(gap: f64, lang: Language) -> String {
    lang.numbers().percent((1000.0 * gap).ceil() / 1000.0, 1)
}

/// A distance rounded for reading: tens of metres below a kilometre, tenths of a kilometre above.
pub fn distance_text(m: f64, lang: Language) -> String {
    let rounded = if m < 1000.0 {
        (m / 10.0).round() * 10.0
    } else {
        (m / 100.0).round() * 100.0
    };
    lang.numbers().length(rounded)
}

/// A suggested site within reach of an office the plan has already.
pub fn near_office_text(site: usize, office: &str, m: f64, lang: Language) -> String {
    let (site, m) = (lang.numbers().count(site as u64), distance_text(m, lang));
    match lang {
        Language::Fa => format!("پیشنهاد {site} در {m} از دفتر «{office}» است که در طرح هست."),
        Language::En => format!("Suggestion {site} is {m} from the plan's office “\u{2068}{office}\u{2069}”."),
    }
}

/// The plan's indicators before and after, in the indicator panel's words: the figure the panel
/// will show once the sites are accepted.
fn indicator_lines(result: &Suggestion, lang: Language) -> Vec<String> {
    let (before, after) = (&result.indicators_before, &result.indicators_after);
    let n = count_text(result.sites.len() as f64, lang);
    let radius = distance_text(result.indicator_radius_m, lang);
    let panel = lang.tr(Msg::PopulationReached);
    let marginal = lang.tr(Msg::MarginalReached);
    let reached = |s: &CoverageSummary| lang.numbers().ratio(s.marginal_reached as u64, s.marginal_total as u64);
    let mut lines = Vec::new();
    if let (Some(was), Some(will)) = (before.population_share, after.population_share) {
        let (was, will) = (percent_text(was, lang), percent_text(will, lang));
        lines.push(match lang {
            Language::Fa => format!("{panel}: اکنون {was}؛ با {n} دفتر پیشنهادی {will} (شعاع {radius}، همان که در شاخص‌ها دیده می‌شود)."),
            Language::En => format!("{panel}: {was} now, {will} with the {n} suggested offices (within {radius}, as the indicators show it)."),
        });
    }
    if after.marginal_total > 0 {
        lines.push(match lang {
            Language::Fa => format!("{marginal}: اکنون {}؛ پس از آن {}.", reached(before), reached(after)),
            Language::En => format!("{marginal}: {} now, {} after.", reached(before), reached(after)),
        });
    }
    lines
}

/// What the search itself counted: district centres (or points spread inside them), marginal
/// residents weighted; said so, so that its figures are not read as the indicators.
fn weighting_note(marginal_priority: f64, lang: Language) -> String {
    let k = lang
        .numbers()
        .fixed(marginal_priority, if marginal_priority.fract() == 0.0 { 0 } else { 1 });
    match (lang, (marginal_priority - 1.0).abs() > 1e-9) {
        (Language::Fa, true) => format!("به حساب خود جستجو (ساکنان در نقطه‌های تقاضا، ساکنان حاشیه‌ای ×{k}، وزن‌دار)"),
        (Language::Fa, false) => "به حساب خود جستجو (ساکنان در نقطه‌های تقاضا)".to_string(),
        (Language::En, true) => {
            format!("In the search's own weighted terms (residents at demand points, marginal residents ×{k})")
        }
        (Language::En, false) => "In the search's own terms (residents at demand points)".to_string(),
    }
}

/// What one site adds, for its row in the panel.
pub fn contribution_text(result: &Suggestion, site: &SuggestedSite, lang: Language) -> String {
    match result.model {
        Model::PMedian => {
            let per_resident_m = if result.total_weight > 0.0 {
                site.contribution / result.total_weight
            } else {
                0.0
            };
            match lang {
                Language::Fa => format!("میانگین −{}", distance_text(per_resident_m, lang)),
                Language::En => format!("mean −{}", distance_text(per_resident_m, lang)),
            }
        }
        Model::MaxCovering | Model::SetCovering => match lang {
            Language::Fa => format!("+{} نفر", count_text(site.contribution, lang)),
            Language::En => format!("+{} residents", count_text(site.contribution, lang)),
        },
    }
}

/// The answer in a few sentences.
pub fn summary_lines(
    result: &Suggestion,
    marginal_priority: f64,
    layer: &DistrictLayer,
    lang: Language,
) -> Vec<String> {
    let fa = lang == Language::Fa;
    let n = count_text(result.sites.len() as f64, lang);
    let radius = distance_text(result.radius_m, lang);
    let share = |w: f64| {
        if result.total_weight > 0.0 {
            w / result.total_weight
        } else {
            0.0
        }
    };
    let after = percent_text(share(result.after.within_radius), lang);
    let before = percent_text(share(result.before.within_radius), lang);
    let gap = gap_text(result.gap, lang);
    let proven = result.gap < 1e-6;
    let mut lines = indicator_lines(result, lang);
    let terms = weighting_note(marginal_priority, lang);
    match result.model {
        Model::MaxCovering => {
            lines.push(if fa {
                format!("{terms}: {after} در فاصله {radius} از یک دفتر (پیش از این {before}).")
            } else {
                format!("{terms}: {after} within {radius} of an office (was {before}).")
            });
            let bound = percent_text(share(result.bound), lang);
            lines.push(match (fa, proven) {
                (true, true) => "هیچ انتخاب دیگری ساکنان بیشتری را در بر نمی‌گیرد: این بهترین پاسخ ممکن است.".into(),
                (false, true) => "No other choice of sites reaches more residents: this is the best possible answer.".into(),
                (true, false) => format!(
                    "هیچ انتخابی بیش از {bound} ساکنان را در بر نمی‌گیرد؛ این پاسخ دست‌بالا {gap} از بهترین پاسخ ممکن کمتر است."
                ),
                (false, false) => format!(
                    "No choice of sites can reach more than {bound}; this answer is at most {gap} short of the best possible."
                ),
            });
        }
        Model::PMedian => {
            let mean = distance_text(result.after.mean_distance_m, lang);
            let was = if result.before.mean_distance_m.is_finite() {
                distance_text(result.before.mean_distance_m, lang)
            } else if fa {
                "دفتری نبود".into()
            } else {
                "no office".into()
            };
            lines.push(if fa {
                format!(
                    "{terms}: با {n} دفتر تازه میانگین فاصله تا نزدیک‌ترین دفتر {mean} است (پیش از این: {was})؛ {after} در فاصله {radius} از یک دفتر."
                )
            } else {
                format!(
                    "{terms}: with {n} new offices the mean distance to the nearest office is {mean} (was: {was}); {after} within {radius} of one."
                )
            });
            // With a maximum distance the objective holds penalties: no mean distance to quote.
            let capped = result.max_distance_m.is_some();
            let bound_mean = distance_text(result.bound / result.total_weight.max(f64::MIN_POSITIVE), lang);
            lines.push(match (fa, proven) {
                (true, true) => "هیچ انتخاب دیگری میانگین را پایین‌تر نمی‌آورد: این بهترین پاسخ ممکن است.".into(),
                (false, true) => "No other choice of sites brings the average lower: this is the best possible answer.".into(),
                (true, false) if !capped => format!(
                    "هیچ انتخابی میانگین را به کمتر از {bound_mean} نمی‌رساند؛ این پاسخ دست‌بالا {gap} از بهترین پاسخ ممکن بیشتر است."
                ),
                (false, false) if !capped => format!(
                    "No choice can bring the average below {bound_mean}; this answer is at most {gap} above the best possible."
                ),
                (true, false) => format!("این پاسخ دست‌بالا {gap} از بهترین پاسخ ممکن فاصله دارد."),
                (false, false) => format!("This answer is at most {gap} from the best possible."),
            });
        }
        Model::SetCovering => {
            let kept = count_text(result.kept as f64, lang);
            lines.push(match (fa, result.marginal_only) {
                (true, true) => format!(
                    "{n} دفتر تازه (همراه با {kept} دفتر ماندنی) همه سکونتگاه‌های حاشیه‌ای را در فاصله {radius} از یک دفتر می‌گذارند."
                ),
                (true, false) => format!(
                    "{n} دفتر تازه (همراه با {kept} دفتر ماندنی) همه محله‌ها را در فاصله {radius} از یک دفتر می‌گذارند."
                ),
                (false, true) => format!(
                    "{n} new offices (with {kept} kept) put every marginal settlement within {radius} of an office."
                ),
                (false, false) => {
                    format!("{n} new offices (with {kept} kept) put every district within {radius} of an office.")
                }
            });
            let least = (result.bound as usize).saturating_sub(result.kept);
            let extra = result.sites.len().saturating_sub(least);
            let (least, extra) = (count_text(least as f64, lang), count_text(extra as f64, lang));
            lines.push(match (fa, proven) {
                (true, true) => "با دفترهای کمتر نمی‌شود: این کمترین شمار ممکن است.".into(),
                (false, true) => "It cannot be done with fewer: this is the fewest possible.".into(),
                (true, false) => format!(
                    "دست‌کم {least} دفتر تازه لازم است؛ این پاسخ شاید {extra} دفتر بیش از کمترین شمار داشته باشد."
                ),
                (false, false) => {
                    format!(
                        "At least {least} new offices are needed; this answer may have {extra} more than the fewest."
                    )
                }
            });
        }
    }
    if !result.unreached_districts.is_empty() {
        let mut names: Vec<String> = result
            .unreached_districts
            .iter()
            .take(NAMES_SHOWN)
            // Isolated, so a list of Persian names in an English sentence keeps its order.
            .map(|&d| format!("\u{2068}{}\u{2069}", layer.label_in(d, lang)))
            .collect();
        let more = result.unreached_districts.len().saturating_sub(NAMES_SHOWN);
        if more > 0 {
            let more = count_text(more as f64, lang);
            names.push(if fa {
                format!("و {more} محله دیگر")
            } else {
                format!("and {more} more")
            });
        }
        let names = names.join(if fa { "، " } else { ", " });
        let max = distance_text(result.max_distance_m.unwrap_or(result.radius_m), lang);
        lines.push(match (fa, result.model) {
            (true, Model::SetCovering) => format!("هیچ مکان نامزدی در فاصله {radius} از این محله‌ها نیست: {names}"),
            (false, Model::SetCovering) => format!("No candidate site lies within {radius} of: {names}"),
            (true, _) => format!("محله‌هایی با ساکنانی دورتر از {max} از هر دفتر: {names}"),
            (false, _) => format!("Districts with residents farther than {max} from every office: {names}"),
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally_in_both_languages() {
        assert_eq!(count_text(1234567.4, Language::En), "1,234,567");
        assert_eq!(count_text(1234.0, Language::Fa), "۱٬۲۳۴");
        assert_eq!(count_text(999.0, Language::En), "999");
        assert_eq!(percent_text(0.375, Language::En), "37.5%");
        assert_eq!(percent_text(0.375, Language::Fa), "۳۷٫۵٪");
        assert_eq!(gap_text(0.00004, Language::En), "0.1%", "a gap is rounded up");
        assert_eq!(gap_text(0.0, Language::En), "0.0%");
        assert_eq!(distance_text(612.4, Language::En), "610 m");
        assert_eq!(distance_text(6453.0, Language::En), "6.5 km");
    }
}
