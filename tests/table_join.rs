//! Tables joined to real districts, checked against pandas' merge of the same table with the
//! Shapefile's attributes (read by GDAL through pyogrio): which districts found a row, which rows
//! found no district, and the total population a planner would quote.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use mahalleh::io::{LoadOptions, load_district_layer, no_progress};
use mahalleh::model::{FieldPath, KeyMatch, TableJoin};
use mahalleh::workspace::DistrictLayer;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mahalleh-join-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A census-like table for the Tehran neighbourhoods' `code`s: most codes once (some written
/// with a leading zero, as spreadsheets of codes often are), one twice, some missing, and codes
/// no neighbourhood has.
fn census_table(codes: &[i64]) -> String {
    let mut out = String::from("کد محله,جمعیت,نام\n");
    for (k, code) in codes.iter().enumerate() {
        if k % 7 == 3 {
            continue;
        }
        let key = if k % 11 == 5 {
            format!("0{code}")
        } else {
            code.to_string()
        };
        let population = 1000 + (code * 37) % 9000;
        out.push_str(&format!("{key},{population},n{k}\n"));
    }
    out.push_str(&format!("{},1,repeat\n", codes[0]));
    for bogus in [9999001, 9999002, 9999003] {
        out.push_str(&format!("{bogus},5,none\n"));
    }
    out
}

/// pandas' answer for `table` joined to the Shapefile's `code`: (districts matched, rows without a
/// district, population summed over matched districts). Keys compare as text, or as numbers.
fn pandas_join(shapefile: &Path, table: &Path, numbers: bool) -> Option<(usize, usize, i64)> {
    let script = r#"
import sys, pandas as pd, pyogrio
shp, table, numbers = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
d = pyogrio.read_dataframe(shp, read_geometry=False)
t = pd.read_csv(table, dtype=str)
key = "کد محله"
if numbers:
    t["k"] = pd.to_numeric(t[key]).astype("int64")
    d["k"] = d["code"].astype("int64")
else:
    t["k"] = t[key].str.strip()
    d["k"] = d["code"].astype("int64").astype(str)
first = t.drop_duplicates("k", keep="first")
m = d.merge(first, on="k", how="left", indicator=True)
matched = int((m["_merge"] == "both").sum())
rows_without = int((~first["k"].isin(d["k"])).sum())
pop = int(pd.to_numeric(m.loc[m["_merge"] == "both", "جمعیت"]).sum())
print(matched, rows_without, pop)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(shapefile)
        .arg(table)
        .arg(if numbers { "1" } else { "0" })
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8(o.stdout).unwrap();
            let v: Vec<i64> = text.split_whitespace().map(|x| x.parse().unwrap()).collect();
            Some((v[0] as usize, v[1] as usize, v[2]))
        }
        Ok(o) => {
            eprintln!(
                "skipping the pandas comparison: {}",
                String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")
            );
            None
        }
        Err(e) => {
            eprintln!("skipping the pandas comparison: no python3 ({e})");
            None
        }
    }
}

fn load_joined(shapefile: &Path, join: TableJoin) -> DistrictLayer {
    let options = LoadOptions {
        joins: vec![join],
        skip_drawing: true,
        ..LoadOptions::default()
    };
    load_district_layer(shapefile, &options, &no_progress).unwrap()
}

#[test]
fn tehran_census_join_matches_pandas() {
    let Some(shapefile) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    let plain = common::load(&shapefile).unwrap();
    let codes: Vec<i64> = plain
        .districts
        .iter()
        .map(|d| FieldPath::new("code").number_in(&d.properties).unwrap() as i64)
        .collect();
    assert_eq!(codes.len(), 375);
    let table = temp("tehran-census.csv");
    std::fs::write(&table, census_table(&codes)).unwrap();

    for numbers in [false, true] {
        let join = TableJoin {
            key_match: if numbers { KeyMatch::Number } else { KeyMatch::Text },
            ..TableJoin::with_key_text(&table, "code=کد محله")
        };
        let layer = load_joined(&shapefile, join);
        assert!(layer.report.failed_joins.is_empty(), "{:?}", layer.report.failed_joins);
        let report = &layer.report.joins[0];
        let population = FieldPath::new("جمعیت");
        let total: i64 = layer
            .districts
            .iter()
            .filter_map(|d| population.number_in(&d.properties))
            .map(|p| p as i64)
            .sum();
        // Our own expectations, from how the table was made.
        let skipped = (0..375).filter(|k| k % 7 == 3).count();
        let zero_led = (0..375).filter(|k| k % 11 == 5 && k % 7 != 3).count();
        let expected = if numbers {
            375 - skipped
        } else {
            375 - skipped - zero_led
        };
        assert_eq!(report.matched_districts, expected, "numbers: {numbers}\n{report}");
        assert_eq!(report.duplicate_rows.len(), 1);
        assert_eq!(report.districts_without_row.len(), 375 - expected);
        // Labels stay the file's, the joined name went in as «نام».
        assert_eq!(layer.label_field().unwrap().path.as_str(), "NAME_MAHAL");
        if let Some((matched, rows_without, pop)) = pandas_join(&shapefile, &table, numbers) {
            assert_eq!(report.matched_districts, matched, "numbers: {numbers}");
            assert_eq!(report.rows_without_district.len(), rows_without, "numbers: {numbers}");
            assert_eq!(total, pop, "numbers: {numbers}");
        }
    }
}

fn mahalleh(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_command_line_joins_reports_and_refuses_a_wrong_key() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let layer = common::load(&sample).unwrap();
    let names = common::texts_of(&layer, "name");
    // Keyed by name, typed on an Arabic keyboard (ي, ك) for some rows, one name unknown.
    let mut text = String::from("نام محله\tشاخص محرومیت\n");
    for (k, name) in names.iter().enumerate().take(40) {
        let typed = if k % 2 == 0 {
            name.replace('ی', "ي").replace('ک', "ك")
        } else {
            name.clone()
        };
        text.push_str(&format!("{typed}\t{}\n", k % 5));
    }
    text.push_str("محله‌ی ناموجود\t3\n");
    let table = temp("deprivation.tsv");
    std::fs::write(&table, text).unwrap();

    let out = temp("deprivation.svg");
    let o = mahalleh(&[
        "export",
        "--districts",
        sample.to_str().unwrap(),
        "--join",
        table.to_str().unwrap(),
        "--join-key",
        "name=نام محله",
        "--style-by",
        "شاخص محرومیت",
        "--method",
        "equal",
        "--classes",
        "4",
        "--lang",
        "en",
        "-o",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("40 of 59 districts matched"), "{stderr}");
    assert!(stderr.contains("1 table rows with no district"), "{stderr}");
    assert!(stderr.contains("19 districts with no row"), "{stderr}");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains("No data"),
        "19 districts without a value are in the legend"
    );

    // A key column the table does not have: one message naming it and the columns it has.
    let o = mahalleh(&[
        "info",
        sample.to_str().unwrap(),
        "--join",
        table.to_str().unwrap(),
        "--join-key",
        "name=کد",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        stderr.contains("no column \"کد\" (it has: نام محله, شاخص محرومیت)"),
        "{stderr}"
    );
}

#[test]
fn a_plan_keeps_its_join_and_applies_it_when_it_opens() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let dir = temp("plan");
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join("pop.csv");
    let ids = common::texts_of(&common::load(&sample).unwrap(), "id");
    std::fs::write(&table, format!("id,pop2025\n{},100\n{},200\n", ids[0], ids[1])).unwrap();

    let mut plan = mahalleh::model::Plan::default();
    plan.apply(mahalleh::model::Command::SetDistricts(Some(
        mahalleh::model::DistrictsSource::file(&sample),
    )))
    .unwrap();
    plan.apply(mahalleh::model::Command::SetJoins(vec![TableJoin::new(&table, "id")]))
        .unwrap();
    let plan_path = dir.join("plan.mahalleh");
    mahalleh::io::save_plan(&mahalleh::io::PlanDocument::new(plan, None), &plan_path).unwrap();
    let saved = std::fs::read_to_string(&plan_path).unwrap();
    assert!(saved.contains("\"table\": \"pop.csv\""), "{saved}");

    let o = mahalleh(&[
        "export",
        plan_path.to_str().unwrap(),
        "--style-by",
        "pop2025",
        "--breaks",
        "150",
        "-o",
        dir.join("p.svg").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("2 of 59 districts matched"), "{stderr}");
}

/// pandas' answer for the fixture workbook joined to the sample's `id`: (districts matched,
/// population summed over them), keys trimmed as ours are.
fn pandas_excel_join(sample: &Path, workbook: &Path) -> Option<(usize, i64)> {
    let script = r#"
import sys, json, pandas as pd
d = pd.DataFrame([f["properties"] for f in json.load(open(sys.argv[1]))["features"]])
t = pd.read_excel(sys.argv[2], dtype=str)
t["k"] = t["کد محله"].str.strip()
m = d.merge(t.drop_duplicates("k"), left_on="id", right_on="k", how="inner")
print(len(m), int(pd.to_numeric(m["جمعیت ۱۳۹۵"]).sum()))
"#;
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(sample)
        .arg(workbook)
        .output()
        .ok()?;
    if !o.status.success() {
        eprintln!(
            "skipping the pandas comparison: {}",
            String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")
        );
        return None;
    }
    let text = String::from_utf8(o.stdout).unwrap();
    let v: Vec<i64> = text.split_whitespace().map(|x| x.parse().unwrap()).collect();
    Some((v[0] as usize, v[1]))
}

#[test]
fn a_census_workbook_joins_like_a_csv() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let workbook = common::fixture("census-sample.xlsx");
    let layer = load_joined(&sample, TableJoin::with_key_text(&workbook, "id=کد محله"));
    assert!(layer.report.failed_joins.is_empty(), "{:?}", layer.report.failed_joins);
    let report = &layer.report.joins[0];
    assert_eq!(report.matched_districts, 30, "{report}");
    assert_eq!(report.rows_without_district.len(), 1);
    assert_eq!(report.rows_without_district[0].line, 33, "the sheet's own row number");
    assert!(report.encoding.contains("سرشماری"), "{}", report.encoding);
    let d = &layer.districts[0].properties;
    assert_eq!(d["جمعیت ۱۳۹۵"], serde_json::json!(1000));
    assert_eq!(d["سهم اجاره‌نشین"], serde_json::json!(0.1));
    assert_eq!(d["کد پستی"], "08916", "a code with a leading zero stays text");
    let total: i64 = layer
        .districts
        .iter()
        .filter_map(|d| FieldPath::new("جمعیت ۱۳۹۵").number_in(&d.properties))
        .map(|p| p as i64)
        .sum();
    assert_eq!(total, (0..30).map(|k| 1000 + 37 * k).sum::<i64>());
    if let Some((matched, pop)) = pandas_excel_join(&sample, &workbook) {
        assert_eq!((report.matched_districts, total), (matched, pop));
    }
}

#[test]
fn a_workbook_sheet_is_chosen_by_name_and_a_notes_sheet_in_front_is_passed_over() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let workbook = common::fixture("census-sheets.xlsx");
    let value_of = |layer: &DistrictLayer, id: &str, field: &str| {
        layer
            .districts
            .iter()
            .find(|d| d.properties.get("id").and_then(|v| v.as_str()) == Some(id))
            .and_then(|d| FieldPath::new(field).number_in(&d.properties))
    };
    // No sheet named: the notes sheet (one cell a row) is passed over for «جمعیت».
    let first = load_joined(&sample, TableJoin::with_key_text(&workbook, "id=کد محله"));
    assert!(first.report.failed_joins.is_empty(), "{:?}", first.report.failed_joins);
    assert_eq!(first.report.joins[0].matched_districts, 5);
    assert!(first.report.joins[0].encoding.contains("«جمعیت»"));
    assert_eq!(value_of(&first, "YZD-02", "جمعیت"), Some(2020.0));
    let income = TableJoin {
        sheet: Some("Income".into()),
        ..TableJoin::with_key_text(&workbook, "id=code")
    };
    let layer = load_joined(&sample, income);
    assert_eq!(layer.report.joins[0].matched_districts, 3);
    assert_eq!(value_of(&layer, "YZD-03", "income"), Some(53.0));
    // A sheet the workbook lacks is the join's failure, naming the sheets there are.
    let missing = TableJoin {
        sheet: Some("درآمد".into()),
        ..TableJoin::with_key_text(&workbook, "id=code")
    };
    let layer = load_joined(&sample, missing);
    let message = &layer.report.failed_joins[0].message;
    assert!(
        message.contains("no sheet «درآمد»") && message.contains("«Income»"),
        "{message}"
    );
}

#[test]
fn the_command_line_joins_the_sheet_asked_for() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let workbook = common::fixture("census-sheets.xlsx");
    let o = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .args(["info", sample.to_str().unwrap(), "--join", workbook.to_str().unwrap()])
        .args(["--join-key", "id=code", "--join-sheet", "income"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("sheet «Income»") && stderr.contains("3 of 59 districts matched"),
        "{stderr}"
    );
}
