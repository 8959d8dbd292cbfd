//! The joined-tables panel: the tables the plan joins to the districts with how each matched,
//! and the form that joins another one (which district field, which table column, keys as
//! numbers). Changes are one [`Command::SetJoins`] each, so they undo and are saved in the plan;
//! the layer is read again with the tables joined.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::i18n::Language;
use super::plan_state::PlanState;
use crate::io::read_join_table;
use crate::model::{Command, FieldPath, JoinReport, KeyMatch, TableJoin, field_catalogue};
use crate::text::match_key;
use crate::workspace::DistrictLayer;

/// The panel's words.
#[allow(missing_docs)]
pub struct JoinWords {
    pub heading: &'static str,
    pub join_table: &'static str,
    pub district_field: &'static str,
    pub table_column: &'static str,
    pub sheet: &'static str,
    pub reading: &'static str,
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
    reading: "در حال خواندن",
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
    reading: "Reading",
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

/// What the form needs of a table: its header and, for a workbook, its sheets.
struct TableHead {
    headers: Vec<String>,
    sheets: Vec<String>,
    sheet: Option<String>,
}

/// What the panel keeps between frames.
#[derive(Default)]
pub struct JoinPanelState {
    pending: Option<PendingJoin>,
    /// A table being read on a thread (a census workbook can take a while), and the answer to
    /// come.
    reading: Option<(PathBuf, Receiver<Result<TableHead, String>>)>,
    /// Why the last chosen table could not be read.
    pub error: Option<String>,
}

impl JoinPanelState {
    /// A table the planner chose: its header is read on a thread and the form opens on it,
    /// with the district field and column preselected when a column is named like a district
    /// field. `ctx` is woken when the header is in.
    pub fn table_chosen(&mut self, table: PathBuf, ctx: &egui::Context) {
        self.read_table(table, None, ctx);
    }

    /// Starts reading `table` (its `sheet`, for a workbook: `None` is the first that holds a
    /// table).
    fn read_table(&mut self, table: PathBuf, sheet: Option<String>, ctx: &egui::Context) {
        self.error = None;
        self.pending = None;
        let (tx, rx) = channel();
        let (path, ctx) = (table.clone(), ctx.clone());
        let spawned = std::thread::Builder::new().name("join-table".into()).spawn(move || {
            let head = read_join_table(&path, None, sheet.as_deref())
                .map(|t| TableHead {
                    headers: t.headers,
                    sheets: t.sheets,
                    sheet: t.sheet,
                })
                .map_err(|e| e.to_string());
            let _ = tx.send(head);
            ctx.request_repaint();
        });
        match spawned {
            Ok(_) => self.reading = Some((table, rx)),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Takes a header read on its thread: opens the form on it, against `layer`'s fields, or
    /// keeps why it could not be read.
    fn poll(&mut self, layer: &DistrictLayer) {
        let Some((_, rx)) = &self.reading else { return };
        let head = match rx.try_recv() {
            Ok(head) => head,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err("the table could not be read".to_string()),
        };
        let Some((table, _)) = self.reading.take() else { return };
        let head = match head {
            Ok(head) => head,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        let fields: Vec<FieldPath> = field_catalogue(&layer.districts).into_iter().map(|f| f.path).collect();
        let shared = head.headers.iter().enumerate().find_map(|(c, h)| {
            let key = match_key(h);
            fields.iter().position(|f| match_key(f.as_str()) == key).map(|f| (f, c))
        });
        self.pending = Some(PendingJoin {
            table,
            sheets: head.sheets,
            sheet: head.sheet,
            headers: head.headers,
            fields,
            district_field: shared.map(|s| s.0),
            column: shared.map(|s| s.1),
            numbers: false,
        });
    }

    /// Whether the form is open, or a table is being read for it.
    pub fn is_setting_up(&self) -> bool {
        self.pending.is_some() || self.reading.is_some()
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
    state.poll(layer);
    let joins = plan
        .plan
        .districts
        .as_ref()
        .map(|d| d.joins.clone())
        .unwrap_or_default();
    if joins.is_empty() && !state.is_setting_up() {
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
    if let Some((table, _)) = &state.reading {
        ui.horizontal(|ui| {
            ui.spinner();
            let name = table.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            ui.add(BidiLabel::new(&format!("{} \u{2066}{name}\u{2069}…", words.reading)).wrap());
        });
        return false;
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
        state.read_table(table, Some(sheet), ui.ctx());
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
