//! Persian numerals: files keep ASCII digits, Persian text shows U+06F0..U+06F9; text read from
//! files and typed by people may use ASCII, Persian or Arabic-Indic (U+0660..U+0669) digits.

/// The ASCII digit that `c` writes, when `c` is an ASCII, Persian (۰..۹) or Arabic-Indic (٠..٩)
/// digit.
///
/// ```
/// use mahalleh::text::ascii_digit;
/// assert_eq!(ascii_digit('۷'), Some('7'));
/// assert_eq!(ascii_digit('٣'), Some('3'));
/// assert_eq!(ascii_digit('4'), Some('4'));
/// assert_eq!(ascii_digit('x'), None);
/// ```
pub fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => return Some(c),
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{0660}'..='\u{0669}' => 0x0660,
        _ => return None,
    };
    char::from_digit(c as u32 - zero, 10)
}

/// ASCII digits as Persian digits (U+06F0..), the decimal point as the Persian separator.
pub fn persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
            '.' => '\u{066B}',
            c => c,
        })
        .collect()
}
