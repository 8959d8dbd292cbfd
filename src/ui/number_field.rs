//! Numeric fields: they accept Persian (۸۰۰), Arabic-Indic and Latin digits in either language.
//! They show Latin digits: egui lays a run of Persian digits out backwards (۸۰۰ as ۰۰۸) and an
//! editable field cannot go through the bidi layout that read-only text uses.

use super::i18n::Language;
use crate::text::Numbers;
use crate::text::numbers::parse_number;

/// A drag-and-type field for `value` with `places` decimals; typed digits may be Persian. (The
/// language is taken for when egui lays out Persian digits in fields the right way round.)
pub fn number_drag<'a, N: egui::emath::Numeric>(
    value: &'a mut N,
    _lang: Language,
    places: usize,
) -> egui::DragValue<'a> {
    egui::DragValue::new(value)
        .custom_formatter(move |n, _| Numbers::Latin.fixed(n, places))
        .custom_parser(parse_number)
}
