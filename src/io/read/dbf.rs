//! dBASE tables (a Shapefile's `.dbf`): field descriptors, then fixed-width records. Text is
//! decoded with the encoding the `.cpg` names, else the header's language byte, else UTF-8 when
//! every text byte is valid UTF-8, else Windows-1256 (the Iranian default). Bytes that do not
//! decode (values cut inside a character by the field width, common in real files) become U+FFFD
//! with a warning for that record, never a refusal. Numbers, dates and logicals are typed.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1256};
use rayon::prelude::*;
use serde_json::{Map, Number, Value};

use crate::text::numbers::parse_number;

/// Why the table cannot be read at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DbfError {
    /// Shorter than its header says.
    #[error("the table is cut off: {0}")]
    Truncated(String),
    /// Not a dBASE table.
    #[error("not a dBASE table ({0})")]
    NotDbf(String),
}

/// Why the text encoding was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EncodingReason {
    /// The caller asked for it (`--encoding`).
    Requested,
    /// The `.cpg` file says so (its text).
    Cpg(String),
    /// The header's language-driver byte.
    LanguageDriver(u8),
    /// No hint, and every text byte is valid UTF-8.
    ValidUtf8,
    /// No hint and not UTF-8: the Iranian default.
    IranianDefault,
}

/// The encoding text is decoded with, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodingChoice {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Why.
    pub reason: EncodingReason,
}

impl std::fmt::Display for EncodingChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.encoding.name();
        match &self.reason {
            EncodingReason::Requested => write!(f, "{name} (as asked)"),
            EncodingReason::Cpg(text) => write!(f, "{name} (the .cpg says \"{text}\")"),
            EncodingReason::LanguageDriver(b) => write!(f, "{name} (the table's language byte is 0x{b:02X})"),
            EncodingReason::ValidUtf8 => write!(f, "{name} (no .cpg or language byte; the text is valid UTF-8)"),
            EncodingReason::IranianDefault => {
                write!(
                    f,
                    "{name} (no .cpg or language byte and not UTF-8: the Iranian default)"
                )
            }
        }
    }
}

/// One column.
#[derive(Clone, Debug, PartialEq)]
pub struct DbfField {
    /// Its name, decoded.
    pub name: String,
    /// dBASE type letter: C text, N/F number, L logical, D date, ...
    pub kind: u8,
    /// Width in bytes.
    pub width: usize,
    /// Decimal places of a number.
    pub decimals: u8,
    offset: usize,
}

/// A table read whole.
#[derive(Clone, Debug, PartialEq)]
pub struct DbfTable {
    /// The columns.
    pub fields: Vec<DbfField>,
    /// One property map per record, in record order (deleted records included, as `None`).
    pub records: Vec<Option<Map<String, Value>>>,
    /// The text encoding used.
    pub encoding: EncodingChoice,
    /// Per record, the fields whose bytes did not all decode.
    pub undecodable: Vec<(usize, String)>,
    /// The header said more records than the file holds; this many were read.
    pub short_by: Option<usize>,
}

/// Reads a table from its bytes; `cpg` is the `.cpg` file's text, `requested` an encoding the
/// caller insists on.
pub fn read_dbf(bytes: &[u8], cpg: Option<&str>, requested: Option<&'static Encoding>) -> Result<DbfTable, DbfError> {
    if bytes.len() < 32 {
        return Err(DbfError::Truncated(format!("{} bytes, a header needs 32", bytes.len())));
    }
    let le_u32 = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let le_u16 = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let declared = le_u32(4) as usize;
    let header_len = usize::from(le_u16(8));
    let record_len = usize::from(le_u16(10));
    let language = bytes[29];
    if header_len < 33 || record_len == 0 {
        return Err(DbfError::NotDbf(format!(
            "header length {header_len}, record length {record_len}"
        )));
    }
    if header_len > bytes.len() {
        return Err(DbfError::Truncated(format!(
            "the header claims {header_len} bytes, the file has {}",
            bytes.len()
        )));
    }
    // Field descriptors: 32 bytes each up to the 0x0D terminator.
    let mut raw_fields = Vec::new();
    let mut at = 32;
    let mut offset = 1; // after the deletion flag
    while at + 32 <= header_len && bytes[at] != 0x0D {
        let d = &bytes[at..at + 32];
        let name_end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
        let width = usize::from(d[16]);
        raw_fields.push((d[..name_end].to_vec(), d[11], width, d[17], offset));
        offset += width;
        at += 32;
    }
    if offset > record_len {
        return Err(DbfError::NotDbf(format!(
            "fields add up to {offset} bytes, records are {record_len}"
        )));
    }
    let records_bytes = &bytes[header_len..];
    let available = records_bytes.len() / record_len;
    let count = declared.min(available);
    let short_by = (declared > available).then_some(count);
    let record = |r: usize| &records_bytes[r * record_len..(r + 1) * record_len];
    let text_fields: Vec<(usize, usize)> = raw_fields.iter().filter(|f| f.1 == b'C').map(|f| (f.4, f.2)).collect();
    let text_bytes = (0..count).flat_map(|r| {
        let bytes = record(r);
        text_fields
            .iter()
            .map(move |&(at, width)| trim_end(&bytes[at..at + width]))
    });
    let encoding = choose_encoding(requested, cpg, language, text_bytes);
    let fields: Vec<DbfField> = raw_fields
        .iter()
        .map(|(name, kind, width, decimals, offset)| DbfField {
            name: encoding.encoding.decode_without_bom_handling(name).0.trim().to_string(),
            kind: *kind,
            width: *width,
            decimals: *decimals,
            offset: *offset,
        })
        .collect();
    // Records decode independently: on all cores.
    let decoded: Vec<DecodedRecord> = (0..count)
        .into_par_iter()
        .map(|r| {
            let bytes = record(r);
            if bytes[0] == b'*' {
                return (None, Vec::new());
            }
            let mut map = Map::with_capacity(fields.len());
            let mut bad_fields = Vec::new();
            for f in &fields {
                let raw = &bytes[f.offset..f.offset + f.width];
                let (value, bad) = field_value(f, raw, encoding.encoding);
                if bad {
                    bad_fields.push(f.name.clone());
                }
                map.insert(f.name.clone(), value);
            }
            (Some(map), bad_fields)
        })
        .collect();
    let mut undecodable = Vec::new();
    let mut records = Vec::with_capacity(decoded.len());
    for (r, (map, bad_fields)) in decoded.into_iter().enumerate() {
        undecodable.extend(bad_fields.into_iter().map(|name| (r, name)));
        records.push(map);
    }
    Ok(DbfTable {
        fields,
        records,
        encoding,
        undecodable,
        short_by,
    })
}

/// One record's attributes (none when it is marked deleted) and the fields that did not decode.
type DecodedRecord = (Option<Map<String, Value>>, Vec<String>);

/// The encoding by the rules of the module's description.
fn choose_encoding<'a>(
    requested: Option<&'static Encoding>,
    cpg: Option<&str>,
    language: u8,
    mut text: impl Iterator<Item = &'a [u8]>,
) -> EncodingChoice {
    if let Some(encoding) = requested {
        return EncodingChoice {
            encoding,
            reason: EncodingReason::Requested,
        };
    }
    if let Some(text) = cpg.map(str::trim).filter(|t| !t.is_empty())
        && let Some(encoding) = encoding_from_label(text)
    {
        return EncodingChoice {
            encoding,
            reason: EncodingReason::Cpg(text.to_string()),
        };
    }
    if let Some(encoding) = encoding_from_language_byte(language) {
        return EncodingChoice {
            encoding,
            reason: EncodingReason::LanguageDriver(language),
        };
    }
    if text.all(|t| std::str::from_utf8(t).is_ok()) {
        EncodingChoice {
            encoding: UTF_8,
            reason: EncodingReason::ValidUtf8,
        }
    } else {
        EncodingChoice {
            encoding: WINDOWS_1256,
            reason: EncodingReason::IranianDefault,
        }
    }
}

/// An encoding from a `.cpg` or `--encoding` text: "UTF-8", "1256", "CP1256", "ANSI 1256",
/// "windows-1256", and whatever else the WHATWG encoding labels know.
///
/// ```
/// use mahalleh::io::read::dbf::encoding_from_label;
/// for label in ["1256", "CP1256", "ANSI 1256", "windows-1256", "Windows-1256"] {
///     assert_eq!(encoding_from_label(label), Some(encoding_rs::WINDOWS_1256), "{label}");
/// }
/// assert_eq!(encoding_from_label("UTF-8"), Some(encoding_rs::UTF_8));
/// assert_eq!(encoding_from_label("Klingon"), None);
/// ```
pub fn encoding_from_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase();
    let l = l.trim_start_matches("ansi").trim_start_matches("oem").trim();
    let digits = l
        .trim_start_matches("cp")
        .trim_start_matches("windows-")
        .trim_start_matches("windows");
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return match digits {
            "65001" => Some(UTF_8),
            d => Encoding::for_label(format!("windows-{d}").as_bytes())
                .or_else(|| Encoding::for_label(format!("ibm{d}").as_bytes())),
        };
    }
    Encoding::for_label(l.as_bytes())
}

/// The code page of a dBASE language-driver byte, where the byte names one.
fn encoding_from_language_byte(byte: u8) -> Option<&'static Encoding> {
    let label: &[u8] = match byte {
        0x7E => b"windows-1256",
        0x57 | 0x03 => b"windows-1252",
        0xC8 => b"windows-1250",
        0xC9 => b"windows-1251",
        0xCB => b"windows-1253",
        0xCA => b"windows-1254",
        0x7D => b"windows-1255",
        0x4D => b"gbk",
        0x7B => b"shift_jis",
        _ => return None,
    };
    Encoding::for_label(label)
}

/// A field's bytes as a JSON value; true when text bytes did not all decode.
fn field_value(field: &DbfField, raw: &[u8], encoding: &'static Encoding) -> (Value, bool) {
    let ascii = || String::from_utf8_lossy(raw).trim().to_string();
    match field.kind {
        b'N' | b'F' | b'O' | b'I' | b'+' => {
            if field.kind == b'I' || field.kind == b'+' {
                return match raw {
                    [a, b, c, d] => (Value::from(i32::from_le_bytes([*a, *b, *c, *d])), false),
                    _ => (Value::Null, false),
                };
            }
            (number_value(field.decimals, raw), false)
        }
        b'L' => (
            match raw.first() {
                Some(b'T' | b't' | b'Y' | b'y') => Value::Bool(true),
                Some(b'F' | b'f' | b'N' | b'n') => Value::Bool(false),
                _ => Value::Null,
            },
            false,
        ),
        b'D' => {
            let text = ascii();
            let value = if text.len() == 8 && text.chars().all(|c| c.is_ascii_digit()) && text != "00000000" {
                Value::String(format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]))
            } else {
                Value::Null
            };
            (value, false)
        }
        _ => {
            let trimmed = trim_end(raw);
            let start = trimmed.iter().position(|&b| b != b' ').unwrap_or(trimmed.len());
            let (text, bad) = encoding.decode_without_bom_handling(&trimmed[start..]);
            (Value::String(text.into_owned()), bad)
        }
    }
}

/// A numeric field's value: an integer when the field has no decimals and the text is whole,
/// else a float; text that is not a number stays text, and blanks or `*` fill are null.
fn number_value(decimals: u8, raw: &[u8]) -> Value {
    let trimmed = trim_end(raw);
    let trimmed = &trimmed[trimmed.iter().position(|&b| b != b' ').unwrap_or(trimmed.len())..];
    // Most numbers are plain ASCII that Rust parses as they stand; the rest (thousands
    // separators, Persian digits, stray bytes) go the slow way, with the same results.
    if let Ok(text) = std::str::from_utf8(trimmed) {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if decimals == 0
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && let Ok(i) = text.parse::<i64>()
            && i.unsigned_abs() < 9_000_000_000_000_000
        {
            return Value::from(i);
        }
        if let Ok(v) = text.parse::<f64>()
            && v.is_finite()
            && (decimals > 0 || text.contains(['.', 'e', 'E']) || v.fract() != 0.0 || v.abs() >= 9e15)
        {
            return Number::from_f64(v).map_or(Value::Null, Value::Number);
        }
    }
    let text = String::from_utf8_lossy(trimmed).trim().to_string();
    if text.is_empty() || text.chars().all(|c| c == '*' || c == '?') {
        return Value::Null;
    }
    match parse_number(&text) {
        Some(v) if decimals == 0 && !text.contains(['.', 'e', 'E']) && v.fract() == 0.0 && v.abs() < 9e15 => {
            Value::from(v as i64)
        }
        Some(v) => Number::from_f64(v).map_or(Value::Null, Value::Number),
        None => Value::String(text),
    }
}

/// Bytes without trailing spaces and NULs: eight at a time over the padding of wide fields.
fn trim_end(raw: &[u8]) -> &[u8] {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let mut end = raw.len();
    while end >= 8 {
        let Ok(word) = <[u8; 8]>::try_from(&raw[end - 8..end]) else {
            break;
        };
        match u64::from_ne_bytes(word) {
            SPACES | 0 => end -= 8,
            _ => break,
        }
    }
    while end > 0 && matches!(raw[end - 1], b' ' | 0) {
        end -= 1;
    }
    &raw[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table with one text field `name` (width `w`) and one number field `pop`.
    fn table(language: u8, w: u8, rows: &[(&[u8], &str)]) -> Vec<u8> {
        let fields = 2;
        let header_len = 32 + 32 * fields + 1;
        let record_len = 1 + usize::from(w) + 8;
        let mut b = vec![0u8; 32];
        b[0] = 3;
        b[4..8].copy_from_slice(&(rows.len() as u32).to_le_bytes());
        b[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
        b[10..12].copy_from_slice(&(record_len as u16).to_le_bytes());
        b[29] = language;
        for (name, kind, width, dec) in [("name", b'C', w, 0u8), ("pop", b'N', 8, 0)] {
            let mut d = [0u8; 32];
            d[..name.len()].copy_from_slice(name.as_bytes());
            d[11] = kind;
            d[16] = width;
            d[17] = dec;
            b.extend_from_slice(&d);
        }
        b.push(0x0D);
        for (name, pop) in rows {
            b.push(b' ');
            let mut cell = name.to_vec();
            cell.resize(usize::from(w), b' ');
            b.extend_from_slice(&cell);
            b.extend_from_slice(format!("{pop:>8}").as_bytes());
        }
        b.push(0x1A);
        b
    }

    fn cp1256(text: &str) -> Vec<u8> {
        WINDOWS_1256.encode(text).0.into_owned()
    }

    #[test]
    fn numbers_fast_or_slow_give_the_same_values() {
        let v = |decimals: u8, text: &str| number_value(decimals, text.as_bytes());
        assert_eq!(v(0, "    6650"), Value::from(6650));
        assert_eq!(v(0, "-0"), Value::from(0));
        assert_eq!(v(0, "+5"), Value::from(5));
        assert_eq!(v(1, "  12.5"), serde_json::json!(12.5));
        assert_eq!(v(2, "    3"), serde_json::json!(3.0), "decimals make a float");
        assert_eq!(v(0, "1e3"), serde_json::json!(1000.0));
        assert_eq!(v(0, "99999999999999999999"), serde_json::json!(1e20));
        assert_eq!(v(0, "1,234"), Value::from(1234));
        assert_eq!(v(0, "۱۲۳"), Value::from(123));
        assert_eq!(v(0, "*****"), Value::Null);
        assert_eq!(v(0, "        "), Value::Null);
        assert_eq!(v(0, "inf"), Value::from("inf"));
        assert_eq!(v(0, "NaN"), Value::from("NaN"));
        assert_eq!(v(0, "n/a\0\0"), Value::from("n/a"));
    }

    #[test]
    fn padding_is_trimmed_whatever_its_length() {
        for pad in 0..20 {
            for tail in [b' ', 0] {
                let mut raw = b"abc".to_vec();
                raw.extend(std::iter::repeat_n(tail, pad));
                assert_eq!(trim_end(&raw), b"abc", "{pad} x {tail}");
            }
        }
        assert_eq!(trim_end(b"        "), b"");
        assert_eq!(trim_end(b"a \0 \0    \0\0\0"), b"a");
    }

    #[test]
    fn windows_1256_by_cpg_by_language_byte_and_by_default() {
        let name = cp1256("حسن آباد");
        let bytes = table(0, 20, &[(&name, "6650")]);
        let by_cpg = read_dbf(&bytes, Some("1256"), None).unwrap();
        assert_eq!(by_cpg.records[0].as_ref().unwrap()["name"], "حسن آباد");
        assert_eq!(by_cpg.encoding.reason, EncodingReason::Cpg("1256".into()));
        let by_byte = read_dbf(&table(0x7E, 20, &[(&name, "1")]), None, None).unwrap();
        assert_eq!(by_byte.encoding.reason, EncodingReason::LanguageDriver(0x7E));
        assert_eq!(by_byte.records[0].as_ref().unwrap()["name"], "حسن آباد");
        let guessed = read_dbf(&bytes, None, None).unwrap();
        assert_eq!(guessed.encoding.reason, EncodingReason::IranianDefault);
        assert_eq!(guessed.records[0].as_ref().unwrap()["name"], "حسن آباد");
        assert_eq!(guessed.records[0].as_ref().unwrap()["pop"], 6650);
    }

    #[test]
    fn utf8_without_a_hint_and_values_cut_mid_character() {
        let whole = "کشتارگاه".as_bytes();
        // 7 bytes: the fourth Persian letter is cut after its first byte.
        let cut = &whole[..7];
        let bytes = table(0, 16, &[(whole, "1"), (cut, "2")]);
        let t = read_dbf(&bytes, Some("UTF-8"), None).unwrap();
        let second = t.records[1].as_ref().unwrap()["name"].as_str().unwrap().to_string();
        assert!(second.ends_with('\u{FFFD}'), "{second}");
        assert_eq!(t.undecodable, vec![(1, "name".to_string())]);
        // Without a .cpg, the valid UTF-8 is recognised.
        let plain = read_dbf(&table(0, 20, &[("مهرآباد".as_bytes(), "3")]), None, None).unwrap();
        assert_eq!(plain.encoding.reason, EncodingReason::ValidUtf8);
    }

    #[test]
    fn a_table_claiming_more_records_than_it_holds_reads_what_is_there() {
        let mut bytes = table(0, 10, &[(b"a", "1"), (b"b", "2")]);
        bytes[4..8].copy_from_slice(&5u32.to_le_bytes());
        let t = read_dbf(&bytes, None, None).unwrap();
        assert_eq!((t.records.len(), t.short_by), (2, Some(2)));
        assert!(read_dbf(&bytes[..20], None, None).is_err());
        let mut bad = bytes.clone();
        bad[8..10].copy_from_slice(&60_000u16.to_le_bytes());
        assert!(matches!(read_dbf(&bad, None, None), Err(DbfError::Truncated(_))));
    }

    proptest::proptest! {
        /// A .dbf cut anywhere or with any byte changed reads or fails; it never panics.
        #[test]
        fn damaged_dbf_never_panics(cut in 0usize..300, at in 0usize..300, byte: u8) {
            let name = cp1256("اسکان");
            let mut bytes = table(0x7E, 12, &[(&name, "12"), (b"x", "3")]);
            if at < bytes.len() {
                bytes[at] = byte;
            }
            bytes.truncate(cut.min(bytes.len()));
            let _ = read_dbf(&bytes, None, None);
        }
    }
}
