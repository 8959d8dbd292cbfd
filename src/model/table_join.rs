//! A table joined to the districts: which file, which district property and which table column
//! hold the same key, and how keys compare. The plan keeps this; the join itself is done when the
//! layer loads (each by [`crate::io::apply_join`]), so a changed census table is picked up on reopening.

use std::fmt;
use std::path::PathBuf;

use super::FieldPath;

/// How a district's key and a table row's key are compared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyMatch {
    /// As text, trimmed and by [`crate::text::match_key`] (Persian spellings, digits of any
    /// script): "0205" and "205" differ, as codes do.
    #[default]
    Text,
    /// As numbers: "0205", "۲۰۵" and 205 are one key. Only when the planner says so.
    Number,
}

/// One table joined to the districts by a key.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TableJoin {
    /// The table (CSV, TSV or a spreadsheet: xlsx, xls, ods), absolute or relative to the
    /// working directory (plan files store it relative to themselves).
    pub table: PathBuf,
    /// The district property holding the key.
    pub district_key: FieldPath,
    /// The table column holding the key, by its header (matched by
    /// [`crate::text::match_key`]); `None`: the column named as the district property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_key: Option<String>,
    /// How keys compare.
    #[serde(default)]
    pub key_match: KeyMatch,
    /// The table's text encoding, when its own bytes do not tell (`windows-1256`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// A spreadsheet's sheet, by name; `None`: the first sheet that holds a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl TableJoin {
    /// A join of `table` by `district_key`, the table column of the same name, keys as text.
    ///
    /// ```
    /// let join = mahalleh::model::TableJoin::new("census.csv", "code");
    /// assert_eq!(join.table_column(), "code");
    /// ```
    pub fn new(table: impl Into<PathBuf>, district_key: &str) -> Self {
        Self {
            table: table.into(),
            district_key: FieldPath::new(district_key),
            table_key: None,
            key_match: KeyMatch::Text,
            sheet: None,
            encoding: None,
        }
    }

    /// The name of the table column holding the key.
    pub fn table_column(&self) -> &str {
        self.table_key.as_deref().unwrap_or(self.district_key.as_str())
    }

    /// Parses the command line's `--join-key CODE[=COLUMN]`.
    ///
    /// ```
    /// let join = mahalleh::model::TableJoin::with_key_text("census.csv", "code=کد محله");
    /// assert_eq!(join.district_key.as_str(), "code");
    /// assert_eq!(join.table_column(), "کد محله");
    /// ```
    pub fn with_key_text(table: impl Into<PathBuf>, key: &str) -> Self {
        let (district, column) = match key.split_once('=') {
            Some((d, c)) => (d.trim(), Some(c.trim().to_string())),
            None => (key.trim(), None),
        };
        Self {
            table_key: column.filter(|c| !c.is_empty()),
            ..Self::new(table, district)
        }
    }
}

/// A table row, by its line, and its key as written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TableRowKey {
    /// 1-based line of the row in the table.
    pub line: usize,
    /// The key cell as written (trimmed).
    pub key: String,
}

/// A table column as it reaches the districts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JoinedColumn {
    /// The header in the table.
    pub header: String,
    /// The property it became: the header, or `STEM_header` when a district property has that
    /// name already.
    pub property: String,
}

/// How a join went.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct JoinReport {
    /// The table.
    pub table: PathBuf,
    /// The encoding used and why.
    pub encoding: String,
    /// Data rows in the table.
    pub rows: usize,
    /// Districts that found a row.
    pub matched_districts: usize,
    /// Districts in the layer.
    pub districts: usize,
    /// The columns added, the key column left out.
    pub columns: Vec<JoinedColumn>,
    /// Rows whose key no district has.
    pub rows_without_district: Vec<TableRowKey>,
    /// Rows with the key of an earlier row: the earlier row is joined, these are not.
    pub duplicate_rows: Vec<TableRowKey>,
    /// Rows with an empty key cell (or, for number keys, one that is not a number), by line.
    pub rows_without_key: Vec<TableRowKey>,
    /// Districts no row matched, by feature index.
    pub districts_without_row: Vec<usize>,
}

impl fmt::Display for JoinReport {
    /// One paragraph for a terminal: counts, then the first few unmatched rows and districts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 8;
        write!(
            f,
            "joined {} ({} rows, {}): {} of {} districts matched",
            self.table.display(),
            self.rows,
            self.encoding,
            self.matched_districts,
            self.districts
        )?;
        let rows = |f: &mut fmt::Formatter<'_>, what: &str, list: &[TableRowKey]| -> fmt::Result {
            if list.is_empty() {
                return Ok(());
            }
            write!(f, "\n  {} {what}:", list.len())?;
            for r in list.iter().take(SHOWN) {
                write!(f, " line {} ({:?})", r.line, r.key)?;
            }
            if list.len() > SHOWN {
                write!(f, " …")?;
            }
            Ok(())
        };
        rows(f, "table rows with no district", &self.rows_without_district)?;
        rows(f, "rows repeating an earlier key (not joined)", &self.duplicate_rows)?;
        rows(f, "rows without a key", &self.rows_without_key)?;
        if !self.districts_without_row.is_empty() {
            write!(
                f,
                "\n  {} districts with no row: features",
                self.districts_without_row.len()
            )?;
            for i in self.districts_without_row.iter().take(SHOWN) {
                write!(f, " {i}")?;
            }
            if self.districts_without_row.len() > SHOWN {
                write!(f, " …")?;
            }
        }
        let renamed: Vec<&JoinedColumn> = self.columns.iter().filter(|c| c.header != c.property).collect();
        for c in renamed {
            write!(
                f,
                "\n  column {:?} added as {:?} (a district property has its name)",
                c.header, c.property
            )?;
        }
        Ok(())
    }
}
