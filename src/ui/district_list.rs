//! The district list: search in Persian or Latin, sort, click to select and zoom.

use std::collections::BTreeSet;

use egui::{Color32, FontId, Sense};

use super::bidi_text::{BidiLabel, bidi_layout_job};
use super::i18n::{Language, Msg};
use super::map::MapScene;
use crate::model::FieldPath;
use crate::text::BaseDirection;
use crate::text::match_key;

/// How the list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// As in the file.
    #[default]
    FileOrder,
    /// By label.
    Name,
    /// By population, largest first.
    Population,
}

/// List state kept between frames.
#[derive(Default)]
pub struct DistrictListState {
    /// The search text, as typed.
    pub query: String,
    /// The sort order.
    pub sort: SortKey,
    /// Rows shown, as district indices, for the current query and sort.
    rows: Vec<usize>,
    /// What `rows` was computed for.
    computed_for: Option<(String, SortKey, usize, Language)>,
    /// A district to bring into view at the next frame (selected on the map).
    scroll_to: Option<usize>,
    /// The list's visible height last frame, points.
    viewport_height: f32,
}

/// A click on a row: select this district (adding when shift is held) and zoom to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowClick {
    /// The district.
    pub district: usize,
    /// Shift was held.
    pub add: bool,
}

impl DistrictListState {
    /// Scrolls the list to `district` at the next frame (when the search shows it).
    pub fn scroll_to(&mut self, district: usize) {
        self.scroll_to = Some(district);
    }

    /// The districts shown for the current query and sort.
    pub fn rows(&mut self, scene: &MapScene, lang: Language) -> &[usize] {
        let key = (self.query.clone(), self.sort, scene.layer.districts.len(), lang);
        if self.computed_for.as_ref() != Some(&key) {
            let needle = match_key(&self.query);
            let mut rows: Vec<usize> = if needle.is_empty() {
                (0..scene.layer.districts.len()).collect()
            } else {
                let keys = scene.search_keys();
                (0..scene.layer.districts.len())
                    .filter(|&i| keys[i].contains(&needle))
                    .collect()
            };
            match self.sort {
                SortKey::FileOrder => {}
                SortKey::Name => rows.sort_by_cached_key(|&i| (scene.layer.label_in(i, lang).to_lowercase(), i)),
                SortKey::Population => {
                    let population = FieldPath::new("population");
                    let value = |i: usize| {
                        population
                            .number_in(&scene.layer.districts[i].properties)
                            .unwrap_or(-1.0)
                    };
                    rows.sort_by(|&a, &b| value(b).total_cmp(&value(a)).then(a.cmp(&b)));
                }
            }
            self.rows = rows;
            self.computed_for = Some(key);
        }
        &self.rows
    }
}

/// Shows the list; returns a row click.
pub fn district_list_ui(
    ui: &mut egui::Ui,
    state: &mut DistrictListState,
    scene: &MapScene,
    selection: &BTreeSet<usize>,
    lang: Language,
) -> Option<RowClick> {
    ui.heading(lang.tr(Msg::Districts));
    ui.add(
        egui::TextEdit::singleline(&mut state.query)
            .hint_text(lang.tr(Msg::Search))
            .desired_width(f32::INFINITY),
    );
    ui.horizontal(|ui| {
        for (key, msg) in [
            (SortKey::FileOrder, Msg::SortByFileOrder),
            (SortKey::Name, Msg::SortByName),
            (SortKey::Population, Msg::SortByPopulation),
        ] {
            ui.selectable_value(&mut state.sort, key, lang.tr(msg));
        }
    });
    let total = scene.layer.districts.len();
    // Taken for the frame and put back, not copied: a layer can have 100,000 rows.
    state.rows(scene, lang);
    let rows = std::mem::take(&mut state.rows);
    ui.add(BidiLabel::new(&lang.numbers().ratio(rows.len() as u64, total as u64)));
    ui.separator();
    let row_height = 22.0;
    let mut clicked = None;
    let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if let Some(target) = state.scroll_to.take()
        && let Some(position) = rows.iter().position(|&i| i == target)
    {
        // In the middle of the list's height; show_rows spaces rows by the row height plus the
        // item spacing.
        let spacing = ui.spacing().item_spacing.y;
        let offset = position as f32 * (row_height + spacing) - state.viewport_height / 2.0;
        area = area.vertical_scroll_offset(offset.max(0.0));
    }
    let output = area.show_rows(ui, row_height, rows.len(), |ui, range| {
        for &i in &rows[range] {
            let label = scene.layer.label_in(i, lang);
            let selected = selection.contains(&i);
            let (rect, response) = ui.allocate_exact_size(egui::vec2(ui.available_width(), row_height), Sense::click());
            let response = response.on_hover_cursor(egui::CursorIcon::PointingHand);
            response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, label.as_ref()));
            let visuals = ui.style().interact_selectable(&response, selected);
            if selected || response.hovered() {
                ui.painter().rect_filled(rect, 3.0, visuals.weak_bg_fill);
            }
            let job = bidi_layout_job(
                &label,
                FontId::proportional(15.0),
                visuals.text_color(),
                BaseDirection::Auto,
            );
            let galley = ui.painter().layout_job(job);
            let text_pos = egui::pos2(rect.left() + 6.0, rect.center().y - galley.size().y / 2.0);
            ui.painter()
                .with_clip_rect(rect)
                .galley(text_pos, galley, Color32::PLACEHOLDER);
            if response.clicked() {
                clicked = Some(RowClick {
                    district: i,
                    add: ui.input(|inp| inp.modifiers.shift),
                });
            }
        }
    });
    state.viewport_height = output.inner_rect.height();
    state.rows = rows;
    clicked
}
