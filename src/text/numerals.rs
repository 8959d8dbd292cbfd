//! Persian numerals: files keep ASCII digits, Persian text shows U+06F0..U+06F9.

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
