//! Cost tables from other tools (travel times, network distances) as CSV without a header: one
//! row per demand point, one column per candidate site; and demand weights, one per line.

use std::path::Path;

/// Why a CSV table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CsvTableError {
    /// The operating system refused.
    #[error("cannot read the table ({source}): {}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A cell that is not a number.
    #[error("line {line}, column {column}: \"{text}\" is not a number: {}", path.display())]
    NotANumber {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The cell.
        text: String,
        /// The file.
        path: std::path::PathBuf,
    },
    /// A row of another length than the first.
    #[error("line {line} has {got} columns, the first row has {expected}: {}", path.display())]
    Ragged {
        /// Line, from 1.
        line: usize,
        /// Columns on this line.
        got: usize,
        /// Columns on the first row.
        expected: usize,
        /// The file.
        path: std::path::PathBuf,
    },
}

/// A table of numbers: rows of equal length.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberTable {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub columns: usize,
    /// The numbers, row after row.
    pub values: Vec<f64>,
}

/// Reads a CSV of numbers (comma, semicolon or tab separated; empty lines skipped; `inf` allowed
/// for unreachable).
pub fn read_number_table(path: &Path) -> Result<NumberTable, CsvTableError> {
    let text = std::fs::read_to_string(path).map_err(|source| CsvTableError::Io {
        path: path.into(),
        source,
    })?;
    parse_number_table(&text, path)
}

/// Parses CSV text of numbers; `path` names it in messages.
///
/// ```
/// let t = mahalleh::io::parse_number_table("1,2\n3;inf\n", "t.csv".as_ref()).unwrap();
/// assert_eq!((t.rows, t.columns), (2, 2));
/// assert!(t.values[3].is_infinite());
/// ```
pub fn parse_number_table(text: &str, path: &Path) -> Result<NumberTable, CsvTableError> {
    let mut values = Vec::new();
    let mut columns = None;
    let mut rows = 0;
    for (index, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split([',', ';', '\t']).collect();
        let expected = *columns.get_or_insert(cells.len());
        if cells.len() != expected {
            return Err(CsvTableError::Ragged {
                line: index + 1,
                got: cells.len(),
                expected,
                path: path.into(),
            });
        }
        for (c, cell) in cells.iter().enumerate() {
            let v: f64 = cell.trim().parse().map_err(|_| CsvTableError::NotANumber {
                line: index + 1,
                column: c + 1,
                text: cell.trim().to_string(),
                path: path.into(),
            })?;
            values.push(v);
        }
        rows += 1;
    }
    Ok(NumberTable {
        rows,
        columns: columns.unwrap_or(0),
        values,
    })
}
