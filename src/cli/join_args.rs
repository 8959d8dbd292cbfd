//! The table-join options every verb that reads districts shares: `--join TABLE --join-key
//! FIELD[=COLUMN]`.

use std::path::PathBuf;

use mahalleh::model::{KeyMatch, LoadReport, TableJoin};

/// Tables to join to the districts.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct JoinArgs {
    /// Join this table (CSV, TSV, or the first sheet of an xlsx/xls/ods: a census table, an
    /// index) to the districts by --join-key; its columns become district properties. Repeat
    /// for several tables.
    #[arg(long, value_name = "TABLE")]
    pub join: Vec<PathBuf>,
    /// The key of each --join: the district property, then `=` and the table column when its
    /// name differs (code=«کد محله»). One key serves every table.
    #[arg(long, value_name = "FIELD[=COLUMN]")]
    pub join_key: Vec<String>,
    /// Compare join keys as numbers, so "0205" matches 205 (as text they differ).
    #[arg(long)]
    pub join_numbers: bool,
    /// The joined tables' text encoding when their bytes do not tell (e.g. windows-1256).
    #[arg(long, value_name = "NAME")]
    pub join_encoding: Option<String>,
    /// The sheet of each spreadsheet --join, by name (without it, the first sheet that holds a
    /// table). One serves every table, or give one per table.
    #[arg(long, value_name = "SHEET")]
    pub join_sheet: Vec<String>,
}

impl JoinArgs {
    /// The joins asked for, in order.
    pub fn joins(&self) -> anyhow::Result<Vec<TableJoin>> {
        if self.join.is_empty() {
            anyhow::ensure!(self.join_key.is_empty(), "--join-key needs a --join TABLE");
            return Ok(Vec::new());
        }
        let keys: Vec<&String> = match self.join_key.len() {
            0 => anyhow::bail!("--join needs --join-key FIELD[=COLUMN]: the district property that matches the table"),
            1 => vec![&self.join_key[0]; self.join.len()],
            n if n == self.join.len() => self.join_key.iter().collect(),
            n => anyhow::bail!(
                "{} --join tables but {n} --join-key options: give one key, or one per table",
                self.join.len()
            ),
        };
        let sheets: Vec<Option<&String>> = match self.join_sheet.len() {
            0 => vec![None; self.join.len()],
            1 => vec![self.join_sheet.first(); self.join.len()],
            n if n == self.join.len() => self.join_sheet.iter().map(Some).collect(),
            n => anyhow::bail!(
                "{} --join tables but {n} --join-sheet options: give one sheet, or one per table",
                self.join.len()
            ),
        };
        Ok(self
            .join
            .iter()
            .zip(keys)
            .zip(sheets)
            .map(|((table, key), sheet)| TableJoin {
                key_match: if self.join_numbers {
                    KeyMatch::Number
                } else {
                    KeyMatch::Text
                },
                encoding: self.join_encoding.clone(),
                sheet: sheet.cloned(),
                ..TableJoin::with_key_text(table, key)
            })
            .collect())
    }
}

/// Prints how each join went to stderr; a join that failed is an error, since the numbers would
/// be made without the table the planner asked for.
pub fn report_joins(report: &LoadReport) -> anyhow::Result<()> {
    for joined in &report.joins {
        eprintln!("{joined}");
    }
    if let Some(failed) = report.failed_joins.first() {
        anyhow::bail!("{}", failed.message);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_serves_every_table_and_counts_must_agree() {
        let args = JoinArgs {
            join: vec!["a.csv".into(), "b.csv".into()],
            join_key: vec!["code=کد".into()],
            join_numbers: true,
            join_encoding: None,
            join_sheet: vec!["جمعیت".into()],
        };
        let joins = args.joins().unwrap();
        assert_eq!(joins.len(), 2);
        assert_eq!(joins[1].table_column(), "کد");
        assert_eq!(joins[1].key_match, KeyMatch::Number);
        assert_eq!(joins[1].sheet.as_deref(), Some("جمعیت"), "one sheet serves every table");
        let three_sheets = JoinArgs {
            join_sheet: vec!["a".into(), "b".into(), "c".into()],
            ..args.clone()
        };
        assert!(three_sheets.joins().unwrap_err().to_string().contains("3 --join-sheet"));
        let args = JoinArgs {
            join_key: vec!["a".into(), "b".into(), "c".into()],
            ..args
        };
        assert!(args.joins().unwrap_err().to_string().contains("2 --join tables but 3"));
        let args = JoinArgs {
            join: Vec::new(),
            ..args
        };
        assert!(args.joins().is_err());
    }
}
