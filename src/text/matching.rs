//! One notion of "the same text" for every comparison a planner relies on: search, the choice
//! of label field, column names, and later joins. Persian is typed on Arabic keyboards, by
//! Windows-1256 files and by phones differently; the key these functions make treats the
//! spellings as one while the text itself is kept as the file has it.

/// The key `text` is matched by: Arabic yeh and kaf as Persian (ي/ى → ی, ك → ک), teh marbuta
/// and hamza-carrying alefs as their bare letters, without ZWNJ, joiners, tatweel, diacritics or
/// whitespace (so ZWNJ, space and nothing are one), Persian and Arabic-Indic digits as ASCII, and
/// lower case.
///
/// ```
/// use mahalleh::text::match_key;
/// assert_eq!(match_key("حسن\u{200c}آباد"), match_key("حسن اباد"));
/// assert_eq!(match_key("علي"), match_key("علی"));
/// assert_eq!(match_key("منطقه ۱۲"), match_key("منطقه12"));
/// assert_eq!(match_key("Eskan Town"), "eskantown");
/// ```
pub fn match_key(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200c}' | '\u{200d}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
            )
        })
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ۀ' => 'ه',
            c => super::ascii_digit(c).unwrap_or(c),
        })
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether `a` and `b` are the same text by [`match_key`].
pub fn same_text(a: &str, b: &str) -> bool {
    match_key(a) == match_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_from_different_keyboards_match() {
        // Windows-1256 has no Persian yeh or kaf: files written through it carry the Arabic ones.
        assert!(same_text("كشتارگاه", "کشتارگاه"));
        assert!(same_text("حسین‌آباد", "حسين آباد"));
        assert!(same_text("مـیـبـد", "میبد"), "tatweel");
        assert!(same_text("مدرسهٔ", "مدرسه"), "hamza above is a diacritic");
        assert!(same_text("٣٤", "34"));
        assert!(!same_text("یزد", "میبد"));
    }
}
