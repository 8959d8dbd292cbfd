//! A delimited text table as spreadsheets save it: UTF-8 with or without a byte-order mark, or
//! Windows-1256 from older Persian Excel; comma, semicolon, tab or bar between fields, found from
//! the header line; quoted fields as RFC 4180 has them. Columns are found by name through
//! [`crate::text::match_key`], so «طول‌جغرافیایی» and «طول جغرافیایی» are one column.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1256};

use crate::text::match_key;

/// A table read from delimited text.
#[derive(Debug)]
pub struct CsvTable {
    /// The header line's names, as written.
    pub headers: Vec<String>,
    /// The data rows.
    pub rows: Vec<CsvRow>,
    /// The encoding used and why.
    pub encoding: String,
    /// The byte between fields.
    pub delimiter: u8,
    /// Rows with more fields than the header has names, by line.
    pub long_rows: Vec<usize>,
    /// A workbook's sheets, in order; empty for delimited text.
    pub sheets: Vec<String>,
    /// The sheet the table is, for a workbook.
    pub sheet: Option<String>,
}

/// One data row.
#[derive(Debug)]
pub struct CsvRow {
    /// The 1-based line it starts on.
    pub line: usize,
    /// Its fields; as many as the header has names (missing ones empty).
    pub fields: Vec<String>,
}

/// Reads `bytes` as a table; `encoding` overrides the choice; `tab` says the file is a `.tsv`.
/// The message of an error names the line.
pub fn read_csv_table(bytes: &[u8], encoding: Option<&'static Encoding>, tab: bool) -> Result<CsvTable, String> {
    let (text, encoding) = decode(bytes, encoding);
    let delimiter = if tab { b'\t' } else { sniff_delimiter(&text) };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|h| h.trim().to_string()).collect(),
        Some(Err(e)) => return Err(csv_message(&e)),
        None => return Err("the table is empty: no header line".into()),
    };
    let mut rows = Vec::new();
    let mut long_rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| csv_message(&e))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() > headers.len() {
            long_rows.push(line);
        }
        let mut fields: Vec<String> = record.iter().take(headers.len()).map(str::to_string).collect();
        fields.resize(headers.len(), String::new());
        rows.push(CsvRow { line, fields });
    }
    Ok(CsvTable {
        headers,
        rows,
        encoding,
        delimiter,
        long_rows,
        sheets: Vec::new(),
        sheet: None,
    })
}

impl CsvTable {
    /// The first column whose name matches one of `names` (by [`match_key`]).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let keys: Vec<String> = self.headers.iter().map(|h| match_key(h)).collect();
        names
            .iter()
            .find_map(|name| keys.iter().position(|k| *k == match_key(name)))
    }

    /// The header names, for messages.
    pub fn header_list(&self) -> String {
        self.headers.join(", ")
    }
}

/// The text and the name of its encoding with the reason.
fn decode(bytes: &[u8], requested: Option<&'static Encoding>) -> (String, String) {
    if let Some(encoding) = requested {
        let (text, _) = encoding.decode_without_bom_handling(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
        return (text.into_owned(), format!("{} (as asked)", encoding.name()));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, _) = UTF_8.decode_without_bom_handling(rest);
        return (
            text.into_owned(),
            "UTF-8 (the file starts with a byte-order mark)".into(),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8 (the text is valid UTF-8)".into()),
        Err(_) => {
            let (text, _) = WINDOWS_1256.decode_without_bom_handling(bytes);
            (
                text.into_owned(),
                "windows-1256 (the text is not UTF-8; the Iranian default)".into(),
            )
        }
    }
}

/// The delimiter of the header line: the most frequent of comma, semicolon, tab and bar outside
/// quotes; a comma when there is none.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|c| c.0 == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .filter(|c| c.1 > 0)
        .max_by_key(|c| c.1)
        .map_or(b',', |c| c.0)
}

fn csv_message(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("line {}: {e}", p.line()),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_variants_read_alike() {
        let utf8 = "نام;طول جغرافیایی;عرض\n\"دفتر، یک\";54,1;31\n\n";
        let t = read_csv_table(utf8.as_bytes(), None, false).unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].fields, ["دفتر، یک", "54,1", "31"]);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.column(&["طول‌جغرافیایی"]), Some(1));
        assert!(t.encoding.starts_with("UTF-8 (the text"));

        // As Persian Excel saves it: Windows-1256 has no Persian yeh, so the file has the Arabic one.
        let (cp1256, _, unmappable) = WINDOWS_1256.encode("name,city\nحسن آباد,يزد\n");
        assert!(!unmappable);
        let t = read_csv_table(&cp1256, None, false).unwrap();
        assert!(t.encoding.starts_with("windows-1256"));
        // ...and it matches the Persian spelling by match_key.
        assert!(crate::text::same_text(&t.rows[0].fields[1], "یزد"));

        let t = read_csv_table(b"\xEF\xBB\xBFa\tb\n1\t2\t3\n", None, true).unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.long_rows, [2]);
    }

    #[test]
    fn an_unclosed_quote_or_empty_file_is_an_error_not_a_panic() {
        assert!(read_csv_table(b"", None, false).unwrap_err().contains("empty"));
        // The csv crate takes an unclosed quote to the end of the file: one long last field.
        let t = read_csv_table(b"a,b\n\"x,1\n2,3\n", None, false).unwrap();
        assert_eq!(t.rows.len(), 1);
    }
}
