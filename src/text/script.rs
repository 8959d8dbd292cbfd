//! Script detection: is a string Persian (Arabic script) or not.

/// True for a character in one of Unicode's Arabic-script blocks, which Persian uses.
///
/// ```
/// assert!(mahalleh::text::is_arabic_script_char('ی'));
/// assert!(!mahalleh::text::is_arabic_script_char('y'));
/// ```
pub fn is_arabic_script_char(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}')
}

/// True when most letters of `s` are Arabic-script letters (digits, spaces and punctuation are not
/// counted). An empty or letterless string is not.
///
/// ```
/// use mahalleh::text::is_mostly_arabic_script;
/// assert!(is_mostly_arabic_script("حسن‌آباد (Yazd)"));
/// assert!(!is_mostly_arabic_script("Yazd 12"));
/// ```
pub fn is_mostly_arabic_script(s: &str) -> bool {
    let (mut arabic, mut other) = (0usize, 0usize);
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if is_arabic_script_char(c) {
            arabic += 1;
        } else {
            other += 1;
        }
    }
    arabic > 0 && arabic >= other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_digits_alone_are_not_letters() {
        assert!(!is_mostly_arabic_script("۱۲۳"));
        assert!(is_mostly_arabic_script("ناحیه ۱۲"));
    }

    #[test]
    fn latin_majority_is_not_persian() {
        assert!(!is_mostly_arabic_script("Hassanabad یزد"));
    }
}
