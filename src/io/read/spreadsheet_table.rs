//! A table from a spreadsheet (Excel .xlsx/.xls/.xlsb, OpenDocument .ods), as census offices hand
//! them out: the sheet asked for, else the first one whose first row names two columns or more
//! (a cover or notes sheet in front is passed over), its first row the header. Read with calamine (pure Rust) into the
//! same [`CsvTable`] a delimited file gives, so joins treat both alike; a row's `line` is its row
//! number in the sheet, as the spreadsheet shows it.

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::csv_table::{CsvRow, CsvTable};

/// Whether `path` names a spreadsheet by its extension.
///
/// ```
/// use std::path::Path;
/// assert!(mahalleh::io::read::spreadsheet_table::is_spreadsheet(Path::new("سرشماری.XLSX")));
/// assert!(!mahalleh::io::read::spreadsheet_table::is_spreadsheet(Path::new("census.csv")));
/// ```
pub fn is_spreadsheet(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xls", "xlsb", "ods"]
            .iter()
            .any(|s| e.eq_ignore_ascii_case(s))
    })
}

/// Reads one sheet of the workbook in `bytes`: `sheet` (by name, compared as join keys are:
/// ی/ي, ک/ك, digits and spaces alike), else the first sheet whose first row names two columns or
/// more. The message of
/// an error says what is wrong, and lists the sheets when `sheet` is not among them.
///
/// ```
/// let bytes = std::fs::read("tests/fixtures/census-sheets.xlsx").unwrap();
/// let table = mahalleh::io::read::spreadsheet_table::read_spreadsheet_table(&bytes, Some("جمعیت")).unwrap();
/// assert_eq!(table.sheets, ["توضیحات", "جمعیت", "Income"]);
/// assert_eq!(table.headers[0], "کد محله");
/// ```
pub fn read_spreadsheet_table(bytes: &[u8], sheet: Option<&str>) -> Result<CsvTable, String> {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a spreadsheet calamine can read ({e})"))?;
    let sheets = book.sheet_names();
    if sheets.is_empty() {
        return Err("the workbook has no sheet".into());
    }
    let listed = || sheets.iter().map(|s| format!("«{s}»")).collect::<Vec<_>>().join(", ");
    let (at, range) = match sheet {
        Some(wanted) => {
            let key = crate::text::match_key(wanted);
            let at = sheets
                .iter()
                .position(|s| s == wanted)
                .or_else(|| sheets.iter().position(|s| crate::text::match_key(s) == key))
                .ok_or_else(|| format!("the workbook has no sheet «{wanted}»; its sheets: {}", listed()))?;
            let range = book
                .worksheet_range_at(at)
                .ok_or("the workbook has no sheet")?
                .map_err(|e| format!("sheet «{}» cannot be read ({e})", sheets[at]))?;
            (at, range)
        }
        None => {
            let mut found = None;
            for at in 0..sheets.len() {
                let Some(Ok(range)) = book.worksheet_range_at(at) else {
                    continue;
                };
                // A table to join has a key and a value at least; a title or a note in A1 is
                // one cell.
                let has_header = range
                    .rows()
                    .next()
                    .is_some_and(|cells| cells.iter().filter(|c| !cell_text(c).trim().is_empty()).count() >= 2);
                if has_header {
                    found = Some((at, range));
                    break;
                }
            }
            found.ok_or_else(|| {
                format!(
                    "no sheet of the workbook has a header row of two or more columns; its sheets: {}",
                    listed()
                )
            })?
        }
    };
    let sheet = sheets[at].clone();
    // Row numbers as the spreadsheet shows them: the used range may start below row 1.
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;
    let mut rows_in = range.rows();
    let headers: Vec<String> = match rows_in.next() {
        Some(cells) => cells.iter().map(|c| cell_text(c).trim().to_string()).collect(),
        None => return Err(format!("sheet «{sheet}» is empty: no header row")),
    };
    let mut rows = Vec::new();
    let mut long_rows = Vec::new();
    for (k, cells) in rows_in.enumerate() {
        let line = first_row + 1 + k;
        let mut fields: Vec<String> = cells.iter().map(cell_text).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if fields.iter().skip(headers.len()).any(|f| !f.trim().is_empty()) {
            long_rows.push(line);
        }
        fields.resize(headers.len(), String::new());
        rows.push(CsvRow { line, fields });
    }
    Ok(CsvTable {
        headers,
        rows,
        encoding: format!("spreadsheet, sheet «{sheet}»"),
        delimiter: 0,
        long_rows,
        sheets,
        sheet: Some(sheet),
    })
}

/// A cell as the text a planner sees: whole numbers without a fraction, other numbers in their
/// shortest exact form, text as it is, errors and empty cells empty.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Int(i) => i.to_string(),
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 9e15 => format!("{}", *x as i64),
        Data::Float(x) => x.to_string(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_census_workbook_reads_as_a_table_with_sheet_row_numbers() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/census-sample.xlsx");
        let table = read_spreadsheet_table(&std::fs::read(path).unwrap(), None).unwrap();
        assert_eq!(table.headers, ["کد محله", "جمعیت ۱۳۹۵", "سهم اجاره‌نشین", "کد پستی"]);
        assert_eq!(table.rows.len(), 31, "the empty row is left out");
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[0].fields, ["YZD-01", "1000", "0.1", "08916"]);
        assert_eq!(table.rows[30].line, 33, "after the empty row 32");
        assert!(table.encoding.contains("سرشماری"), "{}", table.encoding);
    }

    #[test]
    fn a_notes_sheet_in_front_is_passed_over_and_a_sheet_is_chosen_by_name() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/census-sheets.xlsx");
        let bytes = std::fs::read(path).unwrap();
        let first = read_spreadsheet_table(&bytes, None).unwrap();
        assert_eq!(
            first.headers,
            ["کد محله", "جمعیت"],
            "the notes sheet has one cell a row"
        );
        assert_eq!(first.rows.len(), 5);
        assert!(first.encoding.contains("«جمعیت»"), "{}", first.encoding);
        assert_eq!(first.sheet.as_deref(), Some("جمعیت"));
        // By name, with an Arabic yeh and another case: matched as join keys are.
        let income = read_spreadsheet_table(&bytes, Some("income")).unwrap();
        assert_eq!(income.headers, ["code", "income"]);
        assert_eq!(income.rows[2].fields, ["YZD-03", "53"]);
        let arabic = read_spreadsheet_table(&bytes, Some("جمعيت")).unwrap();
        assert_eq!(arabic.rows[0].fields, ["YZD-01", "2010"]);
        let e = read_spreadsheet_table(&bytes, Some("درآمد")).unwrap_err();
        assert_eq!(
            e,
            "the workbook has no sheet «درآمد»; its sheets: «توضیحات», «جمعیت», «Income»"
        );
        let notes = read_spreadsheet_table(&bytes, Some("توضیحات")).unwrap();
        assert_eq!(notes.headers.len(), 1, "asked for, a sheet is read whatever it holds");
    }

    #[test]
    fn bytes_that_are_no_workbook_are_one_message() {
        let e = read_spreadsheet_table(b"code,pop\n1,2\n", None).unwrap_err();
        assert!(e.starts_with("not a spreadsheet"), "{e}");
    }
}
