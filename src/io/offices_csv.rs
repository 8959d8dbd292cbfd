//! Offices from a spreadsheet: one row an office, at its longitude and latitude columns (`lon`,
//! `longitude`, `x`, «طول جغرافیایی», …) or a WKT `POINT` column, named by `name` or «نام»;
//! status, operator and notes columns are read when there. Numbers may be written with Persian
//! digits and «٫».

use std::path::Path;

use super::OfficesError;
use super::offices_geojson::{OfficeIds, name_or_number};
use super::read::csv::{LAT_COLUMNS, LON_COLUMNS};
use super::read::csv_table::{CsvRow, read_csv_table};
use crate::model::{Office, OfficeStatus};
use crate::text::match_key;
use crate::text::numbers::parse_number;

const NAME_COLUMNS: &[&str] = &["name", "name:fa", "نام", "نام دفتر", "title", "عنوان"];
const ID_COLUMNS: &[&str] = &["id", "شناسه"];
const STATUS_COLUMNS: &[&str] = &["status", "وضعیت"];
const OPERATOR_COLUMNS: &[&str] = &["operator", "مجری", "بهره بردار"];
const NOTES_COLUMNS: &[&str] = &["notes", "note", "یادداشت", "توضیحات"];
const POINT_COLUMNS: &[&str] = &["WKT", "wkt_geom", "geometry", "geom"];

/// Reads offices from CSV (or TSV, by `tab`) bytes; `path` is for messages.
///
/// ```
/// let text = "نام,طول جغرافیایی,عرض جغرافیایی\nدفتر اسکان,۵۴٫۴۳,۳۱٫۹۴\n";
/// let offices = mahalleh::io::offices_from_csv(text.as_bytes(), "o.csv".as_ref(), false).unwrap();
/// assert_eq!(offices[0].name, "دفتر اسکان");
/// assert_eq!(offices[0].lon_lat, [54.43, 31.94]);
/// ```
pub fn offices_from_csv(bytes: &[u8], path: &Path, tab: bool) -> Result<Vec<Office>, OfficesError> {
    let table = read_csv_table(bytes, None, tab).map_err(|message| OfficesError::Table {
        message,
        path: path.into(),
    })?;
    let position = match (
        table.column(LON_COLUMNS).zip(table.column(LAT_COLUMNS)),
        table.column(POINT_COLUMNS),
    ) {
        (Some((lon, lat)), _) => Position::LonLat(lon, lat),
        (None, Some(wkt)) => Position::Wkt(wkt),
        (None, None) => {
            return Err(OfficesError::Table {
                message: format!(
                    "no position columns: offices need longitude and latitude columns (lon, lat or «طول جغرافیایی», «عرض جغرافیایی») or a WKT POINT column; the columns are: {}",
                    table.header_list()
                ),
                path: path.into(),
            });
        }
    };
    let text = |row: &CsvRow, names: &[&str]| -> String {
        table
            .column(names)
            .map(|c| row.fields[c].trim().to_string())
            .unwrap_or_default()
    };
    let mut ids = OfficeIds::default();
    let mut offices = Vec::with_capacity(table.rows.len());
    for (index, row) in table.rows.iter().enumerate() {
        let bad = |message: String| OfficesError::BadRow {
            line: row.line,
            message,
            path: path.into(),
        };
        let lon_lat = match position {
            Position::LonLat(lon, lat) => {
                let number = |c: usize| {
                    parse_number(&row.fields[c])
                        .ok_or_else(|| bad(format!("{} «{}» is not a number", table.headers[c], row.fields[c])))
                };
                [number(lon)?, number(lat)?]
            }
            Position::Wkt(c) => point_of_wkt(&row.fields[c])
                .ok_or_else(|| bad(format!("{} «{}» is not a WKT POINT", table.headers[c], row.fields[c])))?,
        };
        if !(-180.0..=180.0).contains(&lon_lat[0]) || !(-90.0..=90.0).contains(&lon_lat[1]) {
            return Err(bad(format!(
                "({}, {}) is not a longitude/latitude; offices are read in WGS 84 degrees",
                lon_lat[0], lon_lat[1]
            )));
        }
        let wanted = parse_number(&text(row, ID_COLUMNS))
            .filter(|id| id.fract() == 0.0 && *id >= 1.0)
            .map(|id| id as u64);
        offices.push(Office {
            id: ids.take(wanted),
            name: name_or_number(text(row, NAME_COLUMNS), index),
            lon_lat,
            status: status_from_text(&text(row, STATUS_COLUMNS)),
            services: Default::default(),
            operator: text(row, OPERATOR_COLUMNS),
            notes: text(row, NOTES_COLUMNS),
        });
    }
    Ok(offices)
}

/// Where a row's position is.
#[derive(Clone, Copy)]
enum Position {
    /// Longitude and latitude columns.
    LonLat(usize, usize),
    /// A WKT POINT column.
    Wkt(usize),
}

/// A status written in English or Persian; anything else is proposed.
fn status_from_text(text: &str) -> OfficeStatus {
    match match_key(text).as_str() {
        "approved" | "مصوب" => OfficeStatus::Approved,
        "operating" | "open" | "فعال" => OfficeStatus::Operating,
        _ => OfficeStatus::Proposed,
    }
}

fn point_of_wkt(text: &str) -> Option<[f64; 2]> {
    match text.trim().parse::<wkt::Wkt<f64>>().ok()? {
        wkt::Wkt::Point(p) => p.coord().map(|c| [c.x, c.y]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OfficeId;

    #[test]
    fn english_persian_and_wkt_positions() {
        let text = "id;name;lon;lat;status\n3;a;54.3;31.9;approved\n3;b;54.4;31.8;\n";
        let o = offices_from_csv(text.as_bytes(), "o.csv".as_ref(), false).unwrap();
        assert_eq!(o.len(), 2);
        assert_eq!(
            (o[0].id, o[1].id),
            (OfficeId(3), OfficeId(1)),
            "a taken id is not reused"
        );
        assert_eq!(o[0].status, OfficeStatus::Approved);
        let text = "name,WKT\nدفتر,POINT (54.3 31.9)\n";
        let o = offices_from_csv(text.as_bytes(), "o.csv".as_ref(), false).unwrap();
        assert_eq!(o[0].lon_lat, [54.3, 31.9]);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let e = offices_from_csv("name,lon,lat\na,54,31\nb,x,31\n".as_bytes(), "o.csv".as_ref(), false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 3 of the offices file: lon «x» is not a number: o.csv"
        );
        let e = offices_from_csv("name,x,y\na,250000,3500000\n".as_bytes(), "o.csv".as_ref(), false).unwrap_err();
        assert!(
            e.to_string().contains("line 2") && e.to_string().contains("WGS 84 degrees"),
            "{e}"
        );
        let e = offices_from_csv("name,city\na,b\n".as_bytes(), "o.csv".as_ref(), false).unwrap_err();
        assert!(e.to_string().contains("the columns are: name, city"), "{e}");
    }
}
