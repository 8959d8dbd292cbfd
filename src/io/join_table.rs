//! Joining a table (a census table of population by neighbourhood code, a deprivation index; CSV,
//! TSV or a spreadsheet) to
//! the districts by a key: each matched district gains the row's columns as properties, typed as
//! numbers where they read as numbers, and a report lists the rows and districts left unmatched.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::read::csv_table::{CsvTable, read_csv_table};
use super::read::dbf::encoding_from_label;
use super::read::spreadsheet_table::{is_spreadsheet, read_spreadsheet_table};
use crate::model::{District, JoinReport, JoinedColumn, KeyMatch, TableJoin, TableRowKey};
use crate::text::match_key;
use crate::text::numbers::{is_zero_padded, parse_number};

/// Why a table could not be joined; the districts are then unchanged.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// The operating system refused.
    #[error("cannot read the table ({source}): {}", path.display())]
    Read {
        /// The table.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Not a readable table.
    #[error("not a readable table ({message}): {}", path.display())]
    Table {
        /// The table.
        path: PathBuf,
        /// What is wrong, with its line.
        message: String,
    },
    /// An encoding name no encoding has.
    #[error("unknown text encoding {name:?} for the table: {}", path.display())]
    Encoding {
        /// The name given.
        name: String,
        /// The table.
        path: PathBuf,
    },
    /// The key column is not in the table.
    #[error("the table has no column {column:?} (it has: {headers}): {}", path.display())]
    NoKeyColumn {
        /// The column asked for.
        column: String,
        /// The table's headers.
        headers: String,
        /// The table.
        path: PathBuf,
    },
    /// No district has a value for the key property.
    #[error("no district has a value for the key property {field:?}")]
    NoDistrictKey {
        /// The property.
        field: String,
    },
}

/// Reads `join.table` and joins it to `districts`.
pub fn apply_join(districts: &mut [District], join: &TableJoin) -> Result<JoinReport, JoinError> {
    let table = read_join_table(&join.table, join.encoding.as_deref(), join.sheet.as_deref())?;
    join_table(districts, &table, join, &join.table)
}

/// Reads a table to join: a spreadsheet (.xlsx, .xls, .xlsb, .ods: the `sheet` named, else the
/// first that holds a table) or delimited text (.tsv by tabs, else the delimiter the header line
/// shows); `encoding` is for text whose bytes do not tell.
pub fn read_join_table(path: &Path, encoding: Option<&str>, sheet: Option<&str>) -> Result<CsvTable, JoinError> {
    let bytes = std::fs::read(path).map_err(|source| JoinError::Read {
        path: path.into(),
        source,
    })?;
    let table = if is_spreadsheet(path) {
        read_spreadsheet_table(&bytes, sheet)
    } else {
        let encoding = match encoding {
            Some(name) => Some(encoding_from_label(name).ok_or_else(|| JoinError::Encoding {
                name: name.to_string(),
                path: path.into(),
            })?),
            None => None,
        };
        let tab = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
        read_csv_table(&bytes, encoding, tab)
    };
    table.map_err(|message| JoinError::Table {
        path: path.into(),
        message,
    })
}

/// Joins a table already read; `path` names it in the report and messages.
pub fn join_table(
    districts: &mut [District],
    table: &CsvTable,
    join: &TableJoin,
    path: &Path,
) -> Result<JoinReport, JoinError> {
    let column = join.table_column();
    let key_column = table.column(&[column]).ok_or_else(|| JoinError::NoKeyColumn {
        column: column.to_string(),
        headers: table.header_list(),
        path: path.into(),
    })?;
    let district_keys: Vec<Option<String>> = districts
        .iter()
        .map(|d| {
            let value = join.district_key.value_in(&d.properties)?;
            value_key(value, join.key_match)
        })
        .collect();
    if district_keys.iter().all(Option::is_none) {
        return Err(JoinError::NoDistrictKey {
            field: join.district_key.to_string(),
        });
    }
    let columns = joined_columns(districts, table, key_column, path);

    let mut report = JoinReport {
        table: path.into(),
        encoding: table.encoding.clone(),
        rows: table.rows.len(),
        matched_districts: 0,
        districts: districts.len(),
        columns: columns.iter().map(|(_, c)| c.clone()).collect(),
        rows_without_district: Vec::new(),
        duplicate_rows: Vec::new(),
        rows_without_key: Vec::new(),
        districts_without_row: Vec::new(),
    };
    // Row of each key; the first row with a key wins.
    let mut row_of_key: HashMap<String, usize> = HashMap::with_capacity(table.rows.len());
    for (r, row) in table.rows.iter().enumerate() {
        let written = row.fields[key_column].trim();
        let listed = TableRowKey {
            line: row.line,
            key: written.to_string(),
        };
        match text_key(written, join.key_match) {
            None => report.rows_without_key.push(listed),
            Some(key) => {
                if let std::collections::hash_map::Entry::Vacant(slot) = row_of_key.entry(key) {
                    slot.insert(r);
                } else {
                    report.duplicate_rows.push(listed);
                }
            }
        }
    }
    let mut used_rows = vec![false; table.rows.len()];
    for (district, key) in districts.iter_mut().zip(&district_keys) {
        let Some(&r) = key.as_ref().and_then(|k| row_of_key.get(k)) else {
            report.districts_without_row.push(district.feature_index);
            continue;
        };
        used_rows[r] = true;
        report.matched_districts += 1;
        let row = &table.rows[r];
        for (c, joined) in &columns {
            district
                .properties
                .insert(joined.property.clone(), cell_value(&row.fields[*c]));
        }
    }
    report.rows_without_district = row_of_key
        .values()
        .filter(|&&r| !used_rows[r])
        .map(|&r| TableRowKey {
            line: table.rows[r].line,
            key: table.rows[r].fields[key_column].trim().to_string(),
        })
        .collect();
    report.rows_without_district.sort_by_key(|r| r.line);
    Ok(report)
}

/// The table's columns but the key, each with the property it becomes.
fn joined_columns(
    districts: &[District],
    table: &CsvTable,
    key_column: usize,
    path: &Path,
) -> Vec<(usize, JoinedColumn)> {
    let mut taken: BTreeSet<String> = districts.iter().flat_map(|d| d.properties.keys().cloned()).collect();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace('.', "_"))
        .unwrap_or_else(|| "table".into());
    let mut out = Vec::new();
    for (c, header) in table.headers.iter().enumerate() {
        if c == key_column {
            continue;
        }
        let header = if header.is_empty() {
            format!("column {}", c + 1)
        } else {
            header.clone()
        };
        let mut property = header.clone();
        if taken.contains(&property) {
            property = format!("{stem}_{header}");
        }
        let base = property.clone();
        let mut n = 2;
        while taken.contains(&property) {
            property = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(property.clone());
        out.push((c, JoinedColumn { header, property }));
    }
    out
}

/// The key a district's property value gives.
fn value_key(value: &Value, key_match: KeyMatch) -> Option<String> {
    match value {
        Value::String(s) => text_key(s.trim(), key_match),
        Value::Number(n) => {
            let x = n.as_f64()?;
            match key_match {
                KeyMatch::Number => Some(number_key(x)),
                // A code stored as a number (205) matches the text "205" (never "0205").
                KeyMatch::Text => Some(match_key(&number_key(x))),
            }
        }
        Value::Bool(b) => text_key(&b.to_string(), key_match),
        _ => None,
    }
}

/// The key a written cell gives.
fn text_key(written: &str, key_match: KeyMatch) -> Option<String> {
    if written.is_empty() {
        return None;
    }
    match key_match {
        KeyMatch::Text => Some(match_key(written)),
        KeyMatch::Number => parse_number(written).map(number_key),
    }
}

/// One text for one number: integers without a fraction, others in Rust's shortest form.
fn number_key(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A cell as a property value: empty is no value (null), a number is a number (Persian digits
/// and separators too), other text is kept as written. Codes with a leading zero ("0205") stay
/// text, so nothing a planner reads changes.
fn cell_value(cell: &str) -> Value {
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        return Value::Null;
    }
    if !is_zero_padded(trimmed)
        && let Some(x) = parse_number(trimmed)
        && let Some(n) = serde_json::Number::from_f64(x)
    {
        if x.fract() == 0.0 && x.abs() < 9e15 {
            return Value::from(x as i64);
        }
        return Value::Number(n);
    }
    Value::String(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, polygon};

    fn district(i: usize, props: Value) -> District {
        let square = polygon![(x: 54.0, y: 32.0), (x: 54.01, y: 32.0), (x: 54.01, y: 32.01), (x: 54.0, y: 32.01)];
        let Value::Object(map) = props else { panic!("object") };
        District::new(i, MultiPolygon::new(vec![square]), map).unwrap()
    }

    fn table(text: &str) -> CsvTable {
        read_csv_table(text.as_bytes(), None, false).unwrap()
    }

    #[test]
    fn rows_join_by_normalised_text_keys_and_the_rest_is_reported() {
        let fresh = || {
            vec![
                district(0, serde_json::json!({"name": "كشتارگاه", "code": "0205"})),
                district(1, serde_json::json!({"name": "حسن‌آباد", "code": "0301"})),
                district(2, serde_json::json!({"name": "اسکان", "code": 12})),
                district(3, serde_json::json!({"name": "بی‌کد"})),
            ]
        };
        let mut ds = fresh();
        let t = table("کد,جمعیت,name,یادداشت\n205,100,x,\n0301,۲٬۵۰۰,y,تازه\n12,7,z,\n0301,9,w,\n999,1,q,\n,5,e,\n");
        let mut join = TableJoin::with_key_text("census.csv", "code=کد");
        let report = join_table(&mut ds, &t, &join, Path::new("census.csv")).unwrap();
        assert_eq!(report.matched_districts, 2, "{report}");
        assert!(ds[0].properties.get("جمعیت").is_none(), "0205 is not 205 as text");
        assert_eq!(ds[1].properties["جمعیت"], serde_json::json!(2500));
        assert_eq!(ds[1].properties["یادداشت"], "تازه");
        assert_eq!(
            ds[1].properties["census_name"], "y",
            "renamed, the district's own name kept"
        );
        assert_eq!(ds[1].properties["name"], "حسن‌آباد");
        assert_eq!(
            ds[2].properties["جمعیت"],
            serde_json::json!(7),
            "a number key matches its text"
        );
        assert_eq!(ds[2].properties["یادداشت"], Value::Null, "an empty cell is no value");
        assert_eq!(report.districts_without_row, [0, 3]);
        let lines = |v: &[TableRowKey]| v.iter().map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines(&report.rows_without_district), [2, 6]);
        assert_eq!(lines(&report.duplicate_rows), [5]);
        assert_eq!(lines(&report.rows_without_key), [7]);
        assert_eq!(report.rows_without_district[1].key, "999");

        // As numbers, 0205 is 205.
        join.key_match = KeyMatch::Number;
        let mut ds = fresh();
        let report = join_table(&mut ds, &t, &join, Path::new("census.csv")).unwrap();
        assert_eq!(report.matched_districts, 3);
        assert_eq!(ds[0].properties["جمعیت"], serde_json::json!(100));
        assert_eq!(report.districts_without_row, [3]);
    }

    #[test]
    fn persian_spellings_of_a_name_key_match() {
        let mut ds = vec![district(0, serde_json::json!({"name": "حسين آباد"}))];
        let t = table("name,pop\nحسین‌آباد,12\n");
        let report = join_table(&mut ds, &t, &TableJoin::new("t.csv", "name"), Path::new("t.csv")).unwrap();
        assert_eq!(report.matched_districts, 1);
        assert_eq!(ds[0].properties["pop"], serde_json::json!(12));
    }

    #[test]
    fn a_missing_key_column_or_key_property_is_one_clear_error() {
        let mut ds = vec![district(0, serde_json::json!({"code": "1"}))];
        let t = table("id,pop\n1,2\n");
        let e = join_table(&mut ds, &t, &TableJoin::new("t.csv", "code"), Path::new("t.csv")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the table has no column \"code\" (it has: id, pop): t.csv"
        );
        let e = join_table(
            &mut ds,
            &t,
            &TableJoin::with_key_text("t.csv", "nope=id"),
            Path::new("t.csv"),
        )
        .unwrap_err();
        assert!(matches!(e, JoinError::NoDistrictKey { .. }), "{e}");
        assert!(ds[0].properties.get("pop").is_none(), "nothing changed");
    }

    #[test]
    fn cells_are_typed_as_a_planner_reads_them() {
        assert_eq!(cell_value("۱۲٬۲۱۶٫۵"), serde_json::json!(12216.5));
        assert_eq!(cell_value(" 800 "), serde_json::json!(800));
        assert_eq!(cell_value("0205"), "0205");
        assert_eq!(cell_value("۰۲۰۵"), "۰۲۰۵");
        assert_eq!(cell_value("0.5"), serde_json::json!(0.5));
        assert_eq!(cell_value("0"), serde_json::json!(0));
        assert_eq!(cell_value("هشتصد"), "هشتصد");
        assert_eq!(cell_value(""), Value::Null);
    }
}
