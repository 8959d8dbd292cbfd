//! Numeric fields in the interface language's digits: a Persian interface shows and accepts ۸۰۰,
//! an English one 800 (either is accepted in both).

use super::i18n::Language;
use crate::text::numbers::parse_number;

/// A drag-and-type field for `value` with `places` decimals, in `lang`'s digits.
pub fn number_drag<'a, N: egui::emath::Numeric>(
    value: &'a mut N,
    lang: Language,
    places: usize,
) -> egui::DragValue<'a> {
    let numbers = lang.numbers();
    egui::DragValue::new(value)
        .custom_formatter(move |n, _| numbers.fixed(n, places))
        .custom_parser(parse_number)
}
