//! The offices panel: the list of offices with the district each stands in, the editor of the
//! selected office, and the plan's indicators. Edits become commands on the plan.

use egui::Sense;

use super::bidi_text::BidiLabel;
use super::i18n::{Language, Msg};
use super::map::MapScene;
use super::plan_state::PlanState;
use crate::model::{Command, Office, OfficeEdit, OfficeId, OfficeStatus, Service};

/// A click on a row of the office list.
pub struct OfficeRowClick {
    /// The office's location, to fly to.
    pub lon_lat: [f64; 2],
}

/// The list of offices; returns a clicked row.
pub fn office_list_ui(
    ui: &mut egui::Ui,
    plan: &mut PlanState,
    scene: &MapScene,
    lang: Language,
) -> Option<OfficeRowClick> {
    ui.heading(lang.tr(Msg::Offices));
    if plan.plan.offices.is_empty() {
        ui.add(
            BidiLabel::new(lang.tr(Msg::NoOffices))
                .color(ui.visuals().weak_text_color())
                .wrap(),
        );
        return None;
    }
    let mut clicked = None;
    let mut toggled = None;
    egui::ScrollArea::vertical()
        .id_salt("offices")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for office in &plan.plan.offices {
                let district = scene.layer.district_at(office.lon_lat[0], office.lon_lat[1]);
                let where_ = district
                    .map(|i| scene.layer.label_in(i, lang).into_owned())
                    .unwrap_or_else(|| lang.tr(Msg::OutsideDistricts).into());
                let selected = plan.selected_offices.contains(&office.id);
                // A name that says its district already does not get it twice.
                let text = if office.name.contains(where_.as_str()) {
                    office.name.clone()
                } else {
                    format!("{} — {}", office.name, where_)
                };
                let response = ui.add(
                    BidiLabel::new(&text)
                        .color(if selected {
                            ui.visuals().strong_text_color()
                        } else {
                            ui.visuals().text_color()
                        })
                        .sense(Sense::click()),
                );
                if response.clicked() {
                    // Shift adds to the selection without moving the map.
                    let shift = ui.input(|i| i.modifiers.shift);
                    toggled = Some((office.id, shift));
                    if !shift {
                        clicked = Some(OfficeRowClick {
                            lon_lat: office.lon_lat,
                        });
                    }
                }
            }
        });
    if let Some((id, shift)) = toggled {
        plan.select_office(id, shift);
    }
    clicked
}

/// The plan's indicators.
pub fn indicators_ui(ui: &mut egui::Ui, plan: &PlanState, lang: Language) {
    let s = &plan.coverage.summary;
    let numbers = lang.numbers();
    ui.strong(lang.tr(Msg::Indicators));
    // Say why the figures are dashes or about to change, rather than leave them unexplained.
    let busy = if plan.model_pending() {
        Some(Msg::MeasuringAreas)
    } else if plan.coverage_pending() {
        Some(Msg::UpdatingCoverage)
    } else {
        None
    };
    if let Some(busy) = busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.add(BidiLabel::new(lang.tr(busy)).color(ui.visuals().weak_text_color()));
        });
    }
    egui::Grid::new("indicators").num_columns(2).show(ui, |ui| {
        let mut row = |label: Msg, value: String| {
            ui.add(BidiLabel::new(lang.tr(label)));
            ui.add(BidiLabel::new(&value));
            ui.end_row();
        };
        row(Msg::Offices, numbers.count(s.offices as u64));
        row(
            Msg::PopulationReached,
            s.population_share.map_or("-".into(), |p| numbers.percent(p, 1)),
        );
        row(
            Msg::MarginalReached,
            numbers.ratio(s.marginal_reached as u64, s.marginal_total as u64),
        );
        row(
            Msg::MeanDistance,
            s.mean_nearest_m.map_or("-".into(), |m| numbers.metres(m)),
        );
        row(
            Msg::WorstDistance,
            s.worst_nearest_m.map_or("-".into(), |m| numbers.metres(m)),
        );
    });
}

/// The editor of the selected offices: all fields of one, or what several share.
pub fn office_editor_ui(ui: &mut egui::Ui, plan: &mut PlanState, scene: &MapScene, lang: Language) {
    match plan.single_selected_office() {
        Some(id) => single_office_editor_ui(ui, plan, scene, lang, id),
        None => {
            commit_other_drafts(ui, plan, None);
            several_offices_editor_ui(ui, plan, lang);
        }
    }
}

/// Commits text typed into the office editor that is still waiting for its field to lose focus
/// (the editor is about to disappear: the selection was cleared).
pub fn commit_office_drafts(ui: &egui::Ui, plan: &mut PlanState) {
    commit_other_drafts(ui, plan, None);
}

/// Several selected offices: their count and names, one status for all, delete all. Each edit is
/// one undoable step.
fn several_offices_editor_ui(ui: &mut egui::Ui, plan: &mut PlanState, lang: Language) {
    let selected: Vec<&Office> = plan
        .plan
        .offices
        .iter()
        .filter(|o| plan.selected_offices.contains(&o.id))
        .collect();
    if selected.is_empty() {
        return;
    }
    let count = lang.numbers().count(selected.len() as u64);
    let strong = ui.visuals().strong_text_color();
    ui.add(BidiLabel::new(&format!("{count} {}", lang.tr(Msg::OfficesSelected))).color(strong));
    let common_status = selected
        .iter()
        .map(|o| o.status)
        .try_fold(None, |acc, s| match acc {
            None => Some(Some(s)),
            Some(a) if a == s => Some(Some(a)),
            Some(_) => None,
        })
        .flatten();
    let mut chosen = None;
    ui.horizontal(|ui| {
        let label = ui.label(lang.tr(Msg::StatusOfAll));
        egui::ComboBox::from_id_salt("offices_status")
            .selected_text(common_status.map_or(lang.tr(Msg::Mixed), |s| status_text(s, lang)))
            .show_ui(ui, |ui| {
                for status in OfficeStatus::ALL {
                    if ui
                        .selectable_label(common_status == Some(status), status_text(status, lang))
                        .clicked()
                    {
                        chosen = Some(status);
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    let updates: Vec<Command> = chosen
        .map(|status| {
            selected
                .iter()
                .filter(|o| o.status != status)
                .map(|o| Command::EditOffice(o.id, OfficeEdit::Status(status)))
                .collect()
        })
        .unwrap_or_default();
    for office in &selected {
        ui.add(BidiLabel::new(&office.name));
    }
    let delete = ui.button(lang.tr(Msg::Delete)).clicked();
    if !updates.is_empty() {
        plan.submit(Command::Batch(updates));
    }
    if delete {
        let outcome = plan.remove_selected_offices();
        plan.report(outcome);
    }
}

/// A text field of an office, edited as a draft and committed as one command when it loses
/// focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextField {
    Name,
    Operator,
    Notes,
}

impl TextField {
    fn value(self, office: &Office) -> &str {
        match self {
            Self::Name => &office.name,
            Self::Operator => &office.operator,
            Self::Notes => &office.notes,
        }
    }

    fn edit(self, text: String) -> OfficeEdit {
        match self {
            Self::Name => OfficeEdit::Rename(text),
            Self::Operator => OfficeEdit::Operator(text),
            Self::Notes => OfficeEdit::Notes(text),
        }
    }
}

/// Text being typed into an office's field: only the field's text, so committing it changes only
/// that field (the office may have been moved meanwhile).
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    office: OfficeId,
    field: TextField,
    text: String,
}

fn drafts_id() -> egui::Id {
    egui::Id::unique("office_text_drafts")
}

/// Commits drafts of offices other than `keep` (the editor moved on to another office, so their
/// fields will not report losing focus).
fn commit_other_drafts(ui: &egui::Ui, plan: &mut PlanState, keep: Option<OfficeId>) {
    let drafts: Vec<Draft> = ui.data_mut(|d| {
        let all = d.get_temp_mut_or_default::<Vec<Draft>>(drafts_id());
        let (others, kept): (Vec<Draft>, Vec<Draft>) = all.drain(..).partition(|draft| Some(draft.office) != keep);
        *all = kept;
        others
    });
    for draft in drafts {
        if plan
            .plan
            .office(draft.office)
            .is_some_and(|o| draft.field.value(o) != draft.text)
        {
            plan.submit(Command::EditOffice(draft.office, draft.field.edit(draft.text)));
        }
    }
}

/// One text field of office `id`.
fn office_text_ui(ui: &mut egui::Ui, plan: &mut PlanState, id: OfficeId, field: TextField, label: egui::Id) {
    let Some(current) = plan.plan.office(id).map(|o| field.value(o).to_string()) else {
        return;
    };
    let draft = ui.data(|d| {
        d.get_temp::<Vec<Draft>>(drafts_id())
            .and_then(|all| all.into_iter().find(|x| x.office == id && x.field == field))
    });
    let mut text = draft.map_or(current.clone(), |d| d.text);
    let edit = match field {
        TextField::Notes => egui::TextEdit::multiline(&mut text),
        TextField::Name | TextField::Operator => egui::TextEdit::singleline(&mut text),
    };
    let response = ui.add(edit).labelled_by(label);
    let keep_draft = response.has_focus() && !response.lost_focus();
    ui.data_mut(|d| {
        let all = d.get_temp_mut_or_default::<Vec<Draft>>(drafts_id());
        all.retain(|x| !(x.office == id && x.field == field));
        if keep_draft {
            all.push(Draft {
                office: id,
                field,
                text: text.clone(),
            });
        }
    });
    if response.lost_focus() && text != current {
        plan.submit(Command::EditOffice(id, field.edit(text)));
    }
}

/// The editor of one office. Text fields become a command when they lose focus; status and
/// services at once. Each changes only its own field.
fn single_office_editor_ui(ui: &mut egui::Ui, plan: &mut PlanState, scene: &MapScene, lang: Language, id: OfficeId) {
    commit_other_drafts(ui, plan, Some(id));
    let Some(office) = plan.plan.office(id).cloned() else {
        return;
    };
    // Where it is shown: while it is dragged, where the pointer has it.
    let lon_lat = plan.shown_lon_lat(id).unwrap_or(office.lon_lat);
    ui.strong(lang.tr(Msg::Office));
    if let Some(i) = scene.layer.district_at(lon_lat[0], lon_lat[1]) {
        ui.add(BidiLabel::new(&format!(
            "{}: {}",
            lang.tr(Msg::District),
            scene.layer.label_in(i, lang)
        )));
    }
    let numbers = lang.numbers();
    let weak = ui.visuals().weak_text_color();
    ui.add(
        BidiLabel::new(&format!(
            "{}, {}",
            numbers.fixed(lon_lat[1], 5),
            numbers.fixed(lon_lat[0], 5)
        ))
        .color(weak),
    );
    egui::Grid::new("office_editor").num_columns(2).show(ui, |ui| {
        let label = ui.label(lang.tr(Msg::Name));
        office_text_ui(ui, plan, id, TextField::Name, label.id);
        ui.end_row();
        let label = ui.label(lang.tr(Msg::Status));
        let mut status = office.status;
        egui::ComboBox::from_id_salt("office_status")
            .selected_text(status_text(status, lang))
            .show_ui(ui, |ui| {
                for s in OfficeStatus::ALL {
                    ui.selectable_value(&mut status, s, status_text(s, lang));
                }
            })
            .response
            .labelled_by(label.id);
        if status != office.status {
            plan.send(Command::EditOffice(id, OfficeEdit::Status(status)));
        }
        ui.end_row();
        let label = ui.label(lang.tr(Msg::Operator));
        office_text_ui(ui, plan, id, TextField::Operator, label.id);
        ui.end_row();
    });
    ui.label(lang.tr(Msg::Services));
    let mut services = office.services.clone();
    for service in Service::NAMED {
        let mut on = services.contains(&service);
        if ui.checkbox(&mut on, service_text(&service, lang)).changed() {
            if on {
                services.insert(service);
            } else {
                services.remove(&service);
            }
        }
    }
    if services != office.services {
        plan.send(Command::EditOffice(id, OfficeEdit::Services(services)));
    }
    let label = ui.label(lang.tr(Msg::Notes));
    office_text_ui(ui, plan, id, TextField::Notes, label.id);
    ui.horizontal(|ui| {
        if ui.button(lang.tr(Msg::Delete)).clicked() {
            let outcome = plan.remove_selected_offices();
            plan.report(outcome);
        }
    });
}

fn status_text(status: OfficeStatus, lang: Language) -> &'static str {
    lang.tr(match status {
        OfficeStatus::Proposed => Msg::Proposed,
        OfficeStatus::Approved => Msg::Approved,
        OfficeStatus::Operating => Msg::Operating,
    })
}

fn service_text(service: &Service, lang: Language) -> &'static str {
    lang.tr(match service {
        Service::Consulting => Msg::Consulting,
        Service::UrbanPlanning => Msg::UrbanPlanning,
        Service::Sociology => Msg::Sociology,
        Service::LegalAid => Msg::LegalAid,
        Service::MicroFinance => Msg::MicroFinance,
        Service::Other(_) => Msg::Other,
    })
}
