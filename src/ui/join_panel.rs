//! The joined-tables panel: the tables the plan joins to the districts with how each matched,
//! and the form that joins another one (which district field, which table column, keys as
//! numbers). Changes are one [`Command::SetJoins`] each, so they undo and are saved in the plan;
//! the layer is read again with the tables joined.

use std::path::PathBuf;
use std::sync::Arc;

use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::i18n::Language;
use super::plan_state::PlanState;
use crate::io::read_join_table;
use crate::model::{Command, DistrictLayer, FieldPath, JoinReport, KeyMatch, TableJoin, field_catalogue};
use crate::text::match_key;

/// The panel's words.
#[allow(missing_docs)]
pub struct JoinWords {
    pub heading: &'static str,
    pub join_table: &'static str,
    pub district_field: &'static str,
    pub table_column: &'static str,
    pub sheet: &'static str,
    pub keys_are_numbers: &'static str,
    pub join: &'static str,
    pub cancel: &'static str,
    pub remove: &'static str,
    pub none: &'static str,
    pub choose: &'static str,
}

const FA: JoinWords = JoinWords {
    heading: "جدول‌های پیوسته",
    join_table: "پیوستن جدول…",
    district_field: "فیلد محله",
    table_column: "ستون جدول",
    sheet: "برگه",
    keys_are_numbers: "کلیدها عددند (۰۲۰۵ = ۲۰۵)",
    join: "پیوستن",
    cancel: "انصراف",
    remove: "برداشتن",
    none: "جدولی پیوسته نیست.",
    choose: "انتخاب کنید",
};

const EN: JoinWords = JoinWords {
    heading: "Joined tables",
    join_table: "Join a table…",
    district_field: "District field",
    table_column: "Table column",
    sheet: "Sheet",
    keys_are_numbers: "Keys are numbers (0205 = 205)",
    join: "Join",
    cancel: "Cancel",
    remove: "Remove",
    none: "No table is joined.",
    choose: "choose",
};

/// The panel's words in `lang`.
pub fn join_words(lang: Language) -> &'static JoinWords {
    match lang {
        Language::Fa => &FA,
        Language::En => &EN,
    }
}

/// One line saying how a join matched, in `lang`.
pub fn join_summary(report: &JoinReport, lang: Language) -> String {
    let n = lang.numbers();
    let count = |x: usize| n.count(x as u64);
    let (matched, total) = (count(report.matched_districts), count(report.districts));
    let rows = count(report.rows_without_district.len());
    let districts = count(report.districts_without_row.len());
    match lang {
        Language::Fa => format!("{matched} از {total} محله پیوست؛ {rows} ردیف بی‌محله؛ {districts} محله بی‌ردیف"),
        Language::En => format!(
            "{matched} of {total} districts matched; {rows} rows without a district; {districts} districts without a row"
        ),
    }
}

/// A table chosen and being set up.
struct PendingJoin {
    table: PathBuf,
    /// A workbook's sheets, and the one read (`None` for delimited text).
    sheets: Vec<String>,
    sheet: Option<String>,
    headers: Vec<String>,
    fields: Vec<FieldPath>,
    district_field: Option<usize>,
    column: Option<usize>,
    numbers: bool,
}

/// What the panel keeps between frames.
#[derive(Default)]
pub struct JoinPanelState {
    pending: Option<PendingJoin>,
    /// Why the last chosen table could not be read.
    pub error: Option<String>,
}

impl JoinPanelState {
    /// A table the planner chose: its header is read and the form opens, with the district
    /// field and column preselected when a column is named like a district field.
    pub fn table_chosen(&mut self, table: PathBuf, layer: &DistrictLayer) {
        self.read_table(table, None, layer);
    }

    /// Reads `table` (its `sheet`, for a workbook: `None` is the first that holds a table) and
    /// opens the form on it.
    fn read_table(&mut self, table: PathBuf, sheet: Option<&str>, layer: &DistrictLayer) {
        self.error = None;
        let read = match read_join_table(&table, None, sheet) {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        let headers = read.headers;
        let fields: Vec<FieldPath> = field_catalogue(&layer.districts).into_iter().map(|f| f.path).collect();
        let shared = headers.iter().enumerate().find_map(|(c, h)| {
            let key = match_key(h);
            fields.iter().position(|f| match_key(f.as_str()) == key).map(|f| (f, c))
        });
        self.pending = Some(PendingJoin {
            table,
            sheets: read.sheets,
            sheet: read.sheet,
            headers,
            fields,
            district_field: shared.map(|s| s.0),
            column: shared.map(|s| s.1),
            numbers: false,
        });
    }

    /// Whether the form is open.
    pub fn is_setting_up(&self) -> bool {
        self.pending.is_some()
    }
}

/// The panel; returns true when the planner asked to choose a table file.
pub fn join_panel_ui(
    ui: &mut egui::Ui,
    state: &mut JoinPanelState,
    plan: &mut PlanState,
    layer: &Arc<DistrictLayer>,
    lang: Language,
) -> bool {
    let words = join_words(lang);
    let joins = plan
        .plan
        .districts
        .as_ref()
        .map(|d| d.joins.clone())
        .unwrap_or_default();
    if joins.is_empty() && state.pending.is_none() {
        ui.add(BidiLabel::new(words.none).color(ui.visuals().weak_text_color()));
    }
    let mut remove = None;
    for (k, join) in joins.iter().enumerate() {
        let name = join
            .table
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ui.horizontal(|ui| {
            // Each part isolated, so a Persian file or column name does not turn the line round; the
            // file name left to right, as paths read.
            let sheet = join
                .sheet
                .as_ref()
                .map(|s| format!(" «\u{2068}{s}\u{2069}»"))
                .unwrap_or_default();
            let line = format!(
                "\u{2066}{name}\u{2069}{sheet}: \u{2068}{}\u{2069} = \u{2068}{}\u{2069}",
                join.district_key,
                join.table_column()
            );
            ui.add(BidiLabel::new(&line));
            if ui.small_button(bidi_widget_text(ui, words.remove)).clicked() {
                remove = Some(k);
            }
        });
        if let Some(report) = layer.report.joins.iter().find(|r| r.table == join.table) {
            ui.add(
                BidiLabel::new(&join_summary(report, lang))
                    .color(ui.visuals().weak_text_color())
                    .wrap(),
            );
        } else if let Some(failed) = layer.report.failed_joins.iter().find(|f| f.table == join.table) {
            ui.add(
                BidiLabel::new(&failed.message)
                    .color(ui.visuals().error_fg_color)
                    .wrap(),
            );
        }
    }
    if let Some(k) = remove {
        let mut kept = joins.clone();
        kept.remove(k);
        plan.send(Command::SetJoins(kept));
    }
    if let Some(error) = &state.error {
        ui.add(BidiLabel::new(error).color(ui.visuals().error_fg_color).wrap());
    }
    let Some(pending) = &mut state.pending else {
        return ui.button(bidi_widget_text(ui, words.join_table)).clicked();
    };
    let mut done = false;
    ui.add(BidiLabel::new(&pending.table.display().to_string()).wrap());
    let mut other_sheet = None;
    if pending.sheets.len() > 1 {
        ui.horizontal(|ui| {
            ui.add(BidiLabel::new(words.sheet));
            let shown = pending.sheet.clone().unwrap_or_default();
            egui::ComboBox::from_id_salt("join-sheet")
                .selected_text(bidi_widget_text(ui, &shown))
                .show_ui(ui, |ui| {
                    for name in &pending.sheets {
                        let text = bidi_widget_text(ui, name);
                        if ui
                            .selectable_label(pending.sheet.as_ref() == Some(name), text)
                            .clicked()
                            && pending.sheet.as_ref() != Some(name)
                        {
                            other_sheet = Some(name.clone());
                        }
                    }
                });
        });
    }
    if let Some(sheet) = other_sheet {
        let table = pending.table.clone();
        state.read_table(table, Some(&sheet), layer);
        return false;
    }
    let chosen_text = |list: &[String], at: Option<usize>| {
        at.and_then(|i| list.get(i).cloned())
            .unwrap_or_else(|| words.choose.to_string())
    };
    let field_names: Vec<String> = pending.fields.iter().map(|f| f.to_string()).collect();
    ui.horizontal(|ui| {
        ui.add(BidiLabel::new(words.district_field));
        egui::ComboBox::from_id_salt("join-district-field")
            .selected_text(bidi_widget_text(ui, &chosen_text(&field_names, pending.district_field)))
            .show_ui(ui, |ui| {
                for (i, name) in field_names.iter().enumerate() {
                    let text = bidi_widget_text(ui, name);
                    if ui.selectable_label(pending.district_field == Some(i), text).clicked() {
                        pending.district_field = Some(i);
                    }
                }
            });
    });
    ui.horizontal(|ui| {
        ui.add(BidiLabel::new(words.table_column));
        egui::ComboBox::from_id_salt("join-table-column")
            .selected_text(bidi_widget_text(ui, &chosen_text(&pending.headers, pending.column)))
            .show_ui(ui, |ui| {
                for (i, name) in pending.headers.iter().enumerate() {
                    let text = bidi_widget_text(ui, name);
                    if ui.selectable_label(pending.column == Some(i), text).clicked() {
                        pending.column = Some(i);
                    }
                }
            });
    });
    ui.checkbox(&mut pending.numbers, bidi_widget_text(ui, words.keys_are_numbers));
    ui.horizontal(|ui| {
        let ready = pending.district_field.is_some() && pending.column.is_some();
        if ui
            .add_enabled(ready, egui::Button::new(bidi_widget_text(ui, words.join)))
            .clicked()
            && let (Some(f), Some(c)) = (pending.district_field, pending.column)
        {
            let join = TableJoin {
                table_key: Some(pending.headers[c].clone()),
                key_match: if pending.numbers {
                    KeyMatch::Number
                } else {
                    KeyMatch::Text
                },
                sheet: pending.sheet.clone(),
                ..TableJoin::new(pending.table.clone(), pending.fields[f].as_str())
            };
            let mut all = joins.clone();
            all.push(join);
            plan.send(Command::SetJoins(all));
            done = true;
        }
        if ui.button(bidi_widget_text(ui, words.cancel)).clicked() {
            done = true;
        }
    });
    if done {
        state.pending = None;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TableRowKey;

    #[test]
    fn the_summary_counts_in_each_language() {
        let report = JoinReport {
            table: "t.csv".into(),
            encoding: "UTF-8".into(),
            rows: 41,
            matched_districts: 40,
            districts: 59,
            columns: Vec::new(),
            rows_without_district: vec![TableRowKey {
                line: 42,
                key: "x".into(),
            }],
            duplicate_rows: Vec::new(),
            rows_without_key: Vec::new(),
            districts_without_row: (0..19).collect(),
        };
        assert_eq!(
            join_summary(&report, Language::En),
            "40 of 59 districts matched; 1 rows without a district; 19 districts without a row"
        );
        assert!(join_summary(&report, Language::Fa).starts_with("۴۰ از ۵۹"));
    }
}
