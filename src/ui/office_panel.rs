//! The offices panel: the list of offices with the district each stands in, the editor of the
//! selected office, and the plan's indicators. Edits become commands on the plan.

use egui::{RichText, Sense};

use super::bidi_text::BidiLabel;
use super::i18n::{Language, Msg};
use super::map::MapScene;
use super::plan_state::PlanState;
use crate::model::{Command, Office, OfficeId, OfficeStatus, Service};
use crate::text::persian_digits;

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
                    .map(|i| scene.layer.label(i).into_owned())
                    .unwrap_or_else(|| lang.tr(Msg::OutsideDistricts).into());
                let selected = plan.selected_offices.contains(&office.id);
                let text = format!("{} — {}", office.name, where_);
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
    let persian = lang == Language::Fa;
    let digits = |t: String| if persian { persian_digits(&t) } else { t };
    ui.strong(lang.tr(Msg::Indicators));
    let metres = |m: f64| {
        if persian {
            format!("{m:.0} متر")
        } else {
            format!("{m:.0} m")
        }
    };
    egui::Grid::new("indicators").num_columns(2).show(ui, |ui| {
        let mut row = |label: Msg, value: String| {
            ui.add(BidiLabel::new(lang.tr(label)));
            ui.add(BidiLabel::new(&digits(value)));
            ui.end_row();
        };
        row(Msg::Offices, s.offices.to_string());
        row(
            Msg::PopulationReached,
            s.population_share.map_or("-".into(), |p| format!("{:.1}%", p * 100.0)),
        );
        row(
            Msg::MarginalReached,
            format!("{} / {}", s.marginal_reached, s.marginal_total),
        );
        row(Msg::MeanDistance, s.mean_nearest_m.map_or("-".into(), metres));
        row(Msg::WorstDistance, s.worst_nearest_m.map_or("-".into(), metres));
    });
}

/// The editor of the selected offices: all fields of one, or what several share.
pub fn office_editor_ui(ui: &mut egui::Ui, plan: &mut PlanState, scene: &MapScene, lang: Language) {
    match plan.single_selected_office() {
        Some(id) => single_office_editor_ui(ui, plan, scene, lang, id),
        None => several_offices_editor_ui(ui, plan, lang),
    }
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
    let count = selected.len().to_string();
    let count = if lang == Language::Fa {
        persian_digits(&count)
    } else {
        count
    };
    ui.strong(format!("{count} {}", lang.tr(Msg::OfficesSelected)));
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
                .map(|o| Command::UpdateOffice(Office { status, ..(*o).clone() }))
                .collect()
        })
        .unwrap_or_default();
    for office in &selected {
        ui.add(BidiLabel::new(&office.name));
    }
    let delete = ui.button(lang.tr(Msg::Delete)).clicked();
    if !updates.is_empty() {
        let _ = plan.apply(Command::Batch(updates));
    }
    if delete {
        let _ = plan.remove_selected_offices();
    }
}

/// The editor of one office. Text fields become a command when they lose focus; status and
/// services at once.
fn single_office_editor_ui(ui: &mut egui::Ui, plan: &mut PlanState, scene: &MapScene, lang: Language, id: OfficeId) {
    let Some(office) = plan.plan.office(id).cloned() else {
        return;
    };
    let edit_id = egui::Id::unique(("office_edit", id.0));
    let mut edited: Office = ui
        .data(|d| d.get_temp(edit_id))
        .filter(|e: &Office| e.id == id)
        .unwrap_or_else(|| office.clone());
    let mut commit = false;
    ui.strong(lang.tr(Msg::Office));
    if let Some(i) = scene.layer.district_at(office.lon_lat[0], office.lon_lat[1]) {
        ui.add(BidiLabel::new(&format!(
            "{}: {}",
            lang.tr(Msg::District),
            scene.layer.label(i)
        )));
    }
    ui.label(
        RichText::new(format!("{:.5}, {:.5}", office.lon_lat[1], office.lon_lat[0]))
            .monospace()
            .weak(),
    );
    egui::Grid::new("office_editor").num_columns(2).show(ui, |ui| {
        let label = ui.label(lang.tr(Msg::Name));
        commit |= ui
            .text_edit_singleline(&mut edited.name)
            .labelled_by(label.id)
            .lost_focus();
        ui.end_row();
        let label = ui.label(lang.tr(Msg::Status));
        egui::ComboBox::from_id_salt("office_status")
            .selected_text(status_text(edited.status, lang))
            .show_ui(ui, |ui| {
                for status in OfficeStatus::ALL {
                    commit |= ui
                        .selectable_value(&mut edited.status, status, status_text(status, lang))
                        .changed();
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.tr(Msg::Operator));
        commit |= ui
            .text_edit_singleline(&mut edited.operator)
            .labelled_by(label.id)
            .lost_focus();
        ui.end_row();
    });
    ui.label(lang.tr(Msg::Services));
    for service in Service::NAMED {
        let mut on = edited.services.contains(&service);
        if ui.checkbox(&mut on, service_text(&service, lang)).changed() {
            if on {
                edited.services.insert(service);
            } else {
                edited.services.remove(&service);
            }
            commit = true;
        }
    }
    let label = ui.label(lang.tr(Msg::Notes));
    commit |= ui
        .text_edit_multiline(&mut edited.notes)
        .labelled_by(label.id)
        .lost_focus();
    ui.horizontal(|ui| {
        if ui.button(lang.tr(Msg::Delete)).clicked() {
            let _ = plan.remove_selected_offices();
        }
    });
    if commit && edited != office {
        let _ = plan.apply(Command::UpdateOffice(edited.clone()));
    }
    ui.data_mut(|d| d.insert_temp(edit_id, edited));
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
