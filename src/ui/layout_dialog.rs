//! The layout dialog: the plan's print layout edited beside a live preview, and exported as PDF,
//! SVG or PNG. Each committed edit is one `Command::SetLayout` (so undo covers it); the preview
//! and the exports are rendered on named threads and the window keeps drawing meanwhile.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::i18n::{Language, Msg};
use super::map::MapScene;
use super::number_field::number_drag;
use super::plan_state::PlanState;
use crate::analysis::Coverage;
use crate::export::layout::{
    BasemapOnPage, LayoutBasemap, LayoutFormat, LayoutScene, OpenedBasemap, PageImage, basemap_dpi, compose_svg,
    export_layout, render_image,
};
use crate::model::layout::{Calendar, Layout, LayoutLanguage, MapExtent, Orientation, Paper};
use crate::model::{Command, Plan};
use crate::style::Theme;
use crate::text::dates::GregorianDate;
use crate::workspace::DistrictLayer;

/// Width of the preview image, pixels.
const PREVIEW_WIDTH_PX: f64 = 560.0;

/// What the map shows when the dialog renders: the window's view and selection.
pub struct MapContext {
    /// The visible box, Web Mercator metres.
    pub view_bbox_m: Option<[[f64; 2]; 2]>,
    /// Selected districts.
    pub selected: Vec<usize>,
    /// The districts' thematic colours, when the plan has a style.
    pub theme: Option<Arc<Theme>>,
    /// Counts changes of `theme`.
    pub theme_generation: u64,
    /// The shown reference layers, bottom first, with their data.
    pub reference: Vec<(crate::model::ReferenceLayer, Arc<crate::workspace::FeatureLayer>)>,
    /// How many of `reference`, its first ones, are under the districts.
    pub reference_under: usize,
}

/// Everything a render needs, owned, for a worker thread.
struct Snapshot {
    layer: Arc<DistrictLayer>,
    plan: Plan,
    coverage: Coverage,
    layout: Layout,
    map: MapContext,
}

impl Snapshot {
    fn scene<'a>(&'a self, basemap: Option<BasemapOnPage<'a>>) -> LayoutScene<'a> {
        LayoutScene {
            basemap,
            layer: &self.layer,
            plan: &self.plan,
            coverage: (!self.plan.offices.is_empty()).then_some(&self.coverage),
            view_bbox_m: self.map.view_bbox_m,
            selected: &self.map.selected,
            theme: self.map.theme.as_deref(),
            reference: &self.map.reference,
            reference_under: self.map.reference_under,
        }
    }
}

/// The dialog's state between frames.
#[derive(Default)]
pub struct LayoutDialog {
    /// Shown.
    pub open: bool,
    /// The layout as edited (text fields commit when they lose focus).
    edited: Option<Layout>,
    preview: Option<egui::TextureHandle>,
    /// Pixel size of the preview on show.
    pub preview_size: Option<[u32; 2]>,
    rendered_key: Option<u64>,
    preview_job: Option<(u64, Receiver<Result<PageImage, String>>)>,
    /// PNG resolution for export.
    dpi: Option<f64>,
    export_job: Option<Receiver<Result<PathBuf, String>>>,
    /// The last export's outcome, shown under the buttons.
    pub export_status: Option<String>,
    /// An export whose file was chosen, started at the next frame.
    export_wanted: Option<(LayoutFormat, PathBuf)>,
    /// The plan's basemap, opened by the first preview and shared by the next ones.
    basemap: Arc<OpenedBasemap>,
}

impl LayoutDialog {
    /// The layout being edited (the plan's, or a new one).
    pub fn edited(&self) -> Option<&Layout> {
        self.edited.as_ref()
    }

    /// Opens the dialog on the plan's layout.
    pub fn show(&mut self, plan: &PlanState) {
        self.open = true;
        self.edited = Some(plan.plan.layout.clone().unwrap_or_default());
    }

    /// True while a preview or an export is being rendered.
    pub fn busy(&self) -> bool {
        self.preview_job.is_some() || self.export_job.is_some()
    }

    /// Exports the layout as `format` to `path` (a file dialog chose it).
    pub fn export_to(&mut self, format: LayoutFormat, path: PathBuf) {
        self.export_wanted = Some((format, path));
    }
}

/// Shows the dialog when open; returns the format of an export the user asked for (the caller
/// asks for the file and hands it back through [`LayoutDialog::export_to`]).
pub fn layout_dialog_ui(
    ctx: &egui::Context,
    dialog: &mut LayoutDialog,
    plan: &mut PlanState,
    scene: &MapScene,
    map: MapContext,
    lang: Language,
) -> Option<LayoutFormat> {
    if !dialog.open {
        return None;
    }
    // The plan's layout may have changed under the dialog (undo).
    let committed = plan.plan.layout.clone().unwrap_or_default();
    let mut edited = dialog.edited.take().unwrap_or_else(|| committed.clone());
    let mut commit = false;
    let mut open = dialog.open;
    let mut export = None;
    egui::Window::new(lang.tr(Msg::LayoutTitle))
        .open(&mut open)
        .default_size([960.0, 640.0])
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_max_width(330.0);
                    commit |= settings_ui(ui, &mut edited, lang);
                    ui.separator();
                    export = export_buttons_ui(ui, dialog, lang);
                });
                ui.separator();
                preview_ui(ui, dialog, lang);
            });
        });
    dialog.open = open;
    if commit && edited != committed {
        plan.send(Command::SetLayout(Some(Box::new(edited.clone()))));
    } else if !commit && !ctx.memory(|m| m.focused().is_some()) && edited != committed {
        // No field holds uncommitted typing: follow the plan (an undo changed it).
        edited = committed;
    }
    // The plan and coverage are copied for a worker only when one starts, not every frame.
    let key = preview_key(&edited, plan, &scene.layer, &map);
    let snapshot = || Snapshot {
        layer: Arc::clone(&scene.layer),
        plan: plan.plan.clone(),
        coverage: plan.coverage.clone(),
        layout: edited.clone(),
        map,
    };
    if let Some((format, path)) = dialog.export_wanted.take() {
        start_export(dialog, snapshot(), format, path);
    } else {
        poll_and_start_preview(ctx, dialog, key, snapshot);
    }
    dialog.edited = Some(edited);
    poll_export(ctx, dialog, lang);
    export
}

/// The layout's fields; true when one was committed this frame.
fn settings_ui(ui: &mut egui::Ui, layout: &mut Layout, lang: Language) -> bool {
    let mut commit = false;
    egui::Grid::new("layout_settings").num_columns(2).show(ui, |ui| {
        let label = ui.label(lang.tr(Msg::Paper));
        let paper_text = |p: Paper| match p {
            Paper::A0 => "A0".to_string(),
            Paper::A1 => "A1".into(),
            Paper::A2 => "A2".into(),
            Paper::A3 => "A3".into(),
            Paper::A4 => "A4".into(),
            Paper::Custom { width_mm, height_mm } => format!("{width_mm:.0} × {height_mm:.0} mm"),
        };
        egui::ComboBox::from_id_salt("layout_paper")
            .selected_text(paper_text(layout.paper))
            .show_ui(ui, |ui| {
                for paper in [Paper::A0, Paper::A1, Paper::A2, Paper::A3, Paper::A4] {
                    commit |= ui
                        .selectable_value(&mut layout.paper, paper, paper_text(paper))
                        .changed();
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        ui.label("");
        ui.horizontal(|ui| {
            commit |= ui
                .radio_value(&mut layout.orientation, Orientation::Landscape, lang.tr(Msg::Landscape))
                .changed();
            commit |= ui
                .radio_value(&mut layout.orientation, Orientation::Portrait, lang.tr(Msg::Portrait))
                .changed();
        });
        ui.end_row();
        let label = ui.label(lang.tr(Msg::MarginMm));
        let margin = ui
            .add(number_drag(&mut layout.margin_mm, lang, 1).range(0.0..=50.0).speed(0.5))
            .labelled_by(label.id);
        commit |= margin.drag_stopped() || margin.lost_focus() || (margin.changed() && !margin.dragged());
        ui.end_row();
        for (msg, text) in [
            (Msg::TitleField, &mut layout.title),
            (Msg::Subtitle, &mut layout.subtitle),
            (Msg::Organisation, &mut layout.organisation),
            (Msg::Author, &mut layout.author),
            (Msg::Attribution, &mut layout.attribution),
        ] {
            let label = ui.label(lang.tr(msg));
            commit |= ui.text_edit_singleline(text).labelled_by(label.id).lost_focus();
            ui.end_row();
        }
        let label = ui.label(lang.tr(Msg::LayoutLanguage));
        ui.horizontal(|ui| {
            commit |= ui
                .radio_value(&mut layout.language, LayoutLanguage::Fa, "فارسی")
                .changed();
            commit |= ui
                .radio_value(&mut layout.language, LayoutLanguage::En, "English")
                .changed();
        })
        .response
        .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.tr(Msg::Calendar));
        let calendar_text = |c: Option<Calendar>| {
            lang.tr(match c {
                None => Msg::ByLanguage,
                Some(Calendar::SolarHijri) => Msg::SolarHijri,
                Some(Calendar::Gregorian) => Msg::Gregorian,
            })
        };
        egui::ComboBox::from_id_salt("layout_calendar")
            .selected_text(calendar_text(layout.calendar))
            .show_ui(ui, |ui| {
                for c in [None, Some(Calendar::SolarHijri), Some(Calendar::Gregorian)] {
                    commit |= ui.selectable_value(&mut layout.calendar, c, calendar_text(c)).changed();
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.tr(Msg::MapExtent));
        let extent_text = |e: MapExtent| {
            lang.tr(match e {
                MapExtent::Everything => Msg::Everything,
                MapExtent::CurrentView => Msg::CurrentView,
                MapExtent::AllDistricts => Msg::AllDistricts,
                MapExtent::SelectedDistricts => Msg::SelectedDistricts,
                MapExtent::AllOffices => Msg::AllOffices,
            })
        };
        egui::ComboBox::from_id_salt("layout_extent")
            .selected_text(extent_text(layout.extent))
            .show_ui(ui, |ui| {
                for e in [
                    MapExtent::Everything,
                    MapExtent::CurrentView,
                    MapExtent::AllDistricts,
                    MapExtent::SelectedDistricts,
                    MapExtent::AllOffices,
                ] {
                    commit |= ui.selectable_value(&mut layout.extent, e, extent_text(e)).changed();
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
    });
    commit |= ui
        .checkbox(&mut layout.show_indicators, lang.tr(Msg::ShowIndicators))
        .changed();
    commit |= ui.checkbox(&mut layout.show_labels, lang.tr(Msg::ShowNames)).changed();
    commit
}

/// The export buttons; returns the format asked for.
fn export_buttons_ui(ui: &mut egui::Ui, dialog: &mut LayoutDialog, lang: Language) -> Option<LayoutFormat> {
    let mut chosen = None;
    ui.horizontal(|ui| {
        for (msg, format) in [
            (Msg::ExportPdf, LayoutFormat::Pdf),
            (Msg::ExportSvg, LayoutFormat::Svg),
            (Msg::ExportPng, LayoutFormat::Png),
        ] {
            if ui
                .add_enabled(
                    dialog.export_job.is_none(),
                    egui::Button::new(bidi_widget_text(ui, lang.tr(msg))),
                )
                .clicked()
            {
                chosen = Some(format);
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(bidi_widget_text(ui, lang.tr(Msg::Dpi)));
        let dpi = dialog.dpi.get_or_insert(300.0);
        ui.add(number_drag(dpi, lang, 0).range(50.0..=1200.0).speed(10.0))
            .labelled_by(label.id);
    });
    if dialog.export_job.is_some() {
        ui.spinner();
    }
    if let Some(status) = &dialog.export_status {
        ui.add(BidiLabel::new(status).wrap());
    }
    chosen
}

fn preview_ui(ui: &mut egui::Ui, dialog: &LayoutDialog, lang: Language) {
    match (&dialog.preview, dialog.preview_size) {
        (Some(texture), Some([w, h])) => {
            let size = egui::vec2(w as f32, h as f32) / ui.ctx().pixels_per_point();
            ui.add(egui::Image::new((texture.id(), size)).bg_fill(egui::Color32::WHITE));
        }
        _ => {
            ui.spinner();
            ui.label(lang.tr(Msg::Rendering));
        }
    }
}

/// Takes a finished preview, and starts a new one when what it would show changed.
fn poll_and_start_preview(
    ctx: &egui::Context,
    dialog: &mut LayoutDialog,
    key: u64,
    snapshot: impl FnOnce() -> Snapshot,
) {
    if let Some((key, rx)) = &dialog.preview_job {
        match rx.try_recv() {
            Ok(Ok(image)) => {
                let color = egui::ColorImage::from_rgba_unmultiplied(
                    [image.width as usize, image.height as usize],
                    &image.rgba,
                );
                dialog.preview = Some(ctx.load_texture("layout-preview", color, egui::TextureOptions::LINEAR));
                dialog.preview_size = Some([image.width, image.height]);
                dialog.rendered_key = Some(*key);
                dialog.preview_job = None;
            }
            Ok(Err(e)) => {
                dialog.export_status = Some(e);
                dialog.rendered_key = Some(*key);
                dialog.preview_job = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => dialog.preview_job = None,
        }
    }
    if dialog.rendered_key == Some(key) {
        return;
    }
    let snapshot = snapshot();
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    let opened = Arc::clone(&dialog.basemap);
    let spawned = std::thread::Builder::new()
        .name("layout-preview".into())
        .spawn(move || {
            let layout = &snapshot.layout;
            let dpi = PREVIEW_WIDTH_PX / (layout.page_mm()[0] / 25.4);
            // The preview shows the basemap when it opens; the export says why when it does not.
            let basemap = opened.of_plan(&snapshot.plan).and_then(Result::ok);
            let on_page = basemap.as_deref().map(|basemap| BasemapOnPage { basemap, dpi });
            let svg = compose_svg(&snapshot.scene(on_page), layout, GregorianDate::today());
            let image = render_image(&svg, layout.page_mm(), dpi).map_err(|e| e.to_string());
            let _ = tx.send(image);
            ctx.request_repaint();
        });
    if spawned.is_ok() {
        dialog.preview_job = Some((key, rx));
    }
}

/// A hash of everything the preview shows. The plan counts its own changes, so only the layout
/// being edited (a few fields) is serialised each frame, not the offices.
fn preview_key(layout: &Layout, plan: &PlanState, layer: &Arc<DistrictLayer>, map: &MapContext) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(layout).unwrap_or_default().hash(&mut h);
    plan.revision.hash(&mut h);
    plan.coverage_generation.hash(&mut h);
    layer.data_id().hash(&mut h);
    map.selected.hash(&mut h);
    map.theme_generation.hash(&mut h);
    // The plan's revision covers the layers' settings; their data arrives on its own.
    for (_, data) in &map.reference {
        data.data_id().hash(&mut h);
    }
    if layout.extent == MapExtent::CurrentView {
        for v in map.view_bbox_m.iter().flatten().flatten() {
            v.to_bits().hash(&mut h);
        }
    }
    h.finish()
}

fn start_export(dialog: &mut LayoutDialog, snapshot: Snapshot, format: LayoutFormat, path: PathBuf) {
    let dpi = dialog.dpi.unwrap_or(300.0);
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new().name("layout-export".into()).spawn(move || {
        // Opened afresh: the file may have been made again since the previews opened it.
        let basemap = match LayoutBasemap::of_plan(&snapshot.plan).transpose() {
            Ok(basemap) => basemap,
            Err(e) => {
                let _ = tx.send(Err(e.to_string()));
                return;
            }
        };
        let on_page = basemap.as_ref().map(|basemap| BasemapOnPage {
            basemap,
            dpi: basemap_dpi(format, dpi),
        });
        let result = export_layout(
            &snapshot.scene(on_page),
            &snapshot.layout,
            format,
            dpi,
            GregorianDate::today(),
        )
        .map_err(|e| e.to_string())
        .and_then(|bytes| crate::io::write_atomically(&path, &bytes).map_err(|e| format!("{e}: {}", path.display())))
        .map(|()| path);
        let _ = tx.send(result);
    });
    match spawned {
        Ok(_) => dialog.export_job = Some(rx),
        Err(e) => dialog.export_status = Some(e.to_string()),
    }
}

fn poll_export(ctx: &egui::Context, dialog: &mut LayoutDialog, lang: Language) {
    let Some(rx) = &dialog.export_job else { return };
    match rx.try_recv() {
        Ok(Ok(path)) => {
            dialog.export_status = Some(format!("{}: {}", lang.tr(Msg::Saved), path.display()));
            dialog.export_job = None;
        }
        Ok(Err(e)) => {
            dialog.export_status = Some(e);
            dialog.export_job = None;
        }
        Err(std::sync::mpsc::TryRecvError::Empty) => ctx.request_repaint_after(std::time::Duration::from_millis(100)),
        Err(std::sync::mpsc::TryRecvError::Disconnected) => dialog.export_job = None,
    }
}
