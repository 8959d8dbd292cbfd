//! The eframe application: a window around the [`Workbench`], with the OpenGL map renderer,
//! remembered settings, frame statistics and quitting.

use std::path::PathBuf;

use super::fonts::install_fonts;
use super::frame_stats::FrameStats;
use super::map::MapRenderer;
use super::workbench::Workbench;

/// How the window starts.
#[derive(Clone, Debug, Default)]
pub struct WindowOptions {
    /// A file to open (else the bundled sample map).
    pub file: Option<PathBuf>,
    /// Where to write frame statistics at exit.
    pub frame_stats: Option<PathBuf>,
    /// Inner size of the window in points.
    pub size: Option<[f32; 2]>,
}

/// Storage key of the recent files list.
const RECENT_KEY: &str = "recent_files";
/// Storage key of the interface language.
const LANGUAGE_KEY: &str = "language";

struct WorkbenchApp {
    bench: Workbench,
    frame_stats: Option<FrameStats>,
    /// The title last sent to the window.
    title: Option<String>,
}

impl eframe::App for WorkbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let Some(stats) = &mut self.frame_stats {
            let interacting = ui.ctx().input(|i| !i.raw.events.is_empty() || i.pointer.any_down());
            let redrawn = self
                .bench
                .map
                .gl
                .lock()
                .map(|mut r| std::mem::take(&mut r.image_redrawn))
                .unwrap_or(false);
            stats.frame_started(frame.info().cpu_usage, redrawn, interacting);
            // Also written now and then, so a run that ends at a quit question still reports.
            if stats.due_for_write()
                && let Err(e) = stats.write()
            {
                eprintln!("mahalleh: cannot write frame statistics: {e}");
            }
            // Measuring: draw back to back, so the time between frames is the frame's own cost.
            ui.ctx().request_repaint();
        }
        // The window's close button asks the same question as Ctrl+Q.
        if ui.ctx().input(|i| i.viewport().close_requested()) && !self.bench.wants_to_close() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.bench.request_quit();
        }
        self.bench.ui(ui);
        if let Some(stats) = &mut self.frame_stats {
            stats.frame_kind(self.bench.map.frame_kind);
        }
        if self.bench.wants_to_close() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        let title = self.bench.title();
        if self.title.as_deref() != Some(title.as_str()) {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = Some(title);
        }
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        // The panels' colour (they are not filled, see `run_window`).
        let panels = if visuals.dark_mode {
            egui::Visuals::dark().panel_fill
        } else {
            egui::Visuals::light().panel_fill
        };
        panels.to_normalized_gamma_f32()
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.bench.recent);
        eframe::set_value(storage, LANGUAGE_KEY, &self.bench.lang);
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        if let (Some(gl), Ok(mut renderer)) = (gl, self.bench.map.gl.lock()) {
            renderer.destroy(gl);
        }
        if let Some(stats) = &mut self.frame_stats
            && let Err(e) = stats.write()
        {
            eprintln!("mahalleh: cannot write frame statistics: {e}");
        }
    }
}

/// Opens the window and runs until it is closed.
pub fn run_window(options: WindowOptions, sample_map: PathBuf) -> Result<(), eframe::Error> {
    let size = options.size.unwrap_or([1400.0, 900.0]);
    let mut viewport = egui::ViewportBuilder::default()
        .with_inner_size(size)
        .with_title("mahalleh")
        .with_drag_and_drop(true);
    if let Some(icon) = super::window_icon::window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let native = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        // Dithering only hides banding in gradients, which this interface does not draw; on
        // software GL it is a noticeable share of every pixel's cost.
        dithering: false,
        // A size given on the command line wins over the size remembered from last time.
        persist_window: options.size.is_none(),
        // With frame statistics on, frames are not held back to the display's refresh, so their
        // times measure the work, not the wait.
        glow_options: eframe::egui_glow::GlowConfiguration {
            vsync: options.frame_stats.is_none(),
            ..Default::default()
        },
        ..Default::default()
    };
    eframe::run_native(
        "mahalleh",
        native,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            // Panels are not filled: the window's clear colour is their colour, and software GL
            // saves blending half a million pixels a frame (the map clears its own rectangle).
            cc.egui_ctx
                .all_styles_mut(|style| style.visuals.panel_fill = egui::Color32::TRANSPARENT);
            let mut bench = Workbench::default();
            if let Some(storage) = cc.storage {
                bench.recent = eframe::get_value(storage, RECENT_KEY).unwrap_or_default();
                bench.lang = eframe::get_value(storage, LANGUAGE_KEY).unwrap_or_default();
            }
            bench.map.renderer = if cc.gl.is_some() {
                MapRenderer::Gl
            } else {
                MapRenderer::Cpu
            };
            bench.recovery_path = eframe::storage_dir("mahalleh").map(|d| d.join("recovery.mahalleh"));
            bench.recovery_offer = bench.recovery_path.clone().filter(|p| p.exists());
            let file = options.file.clone().unwrap_or(sample_map);
            if crate::io::is_plan_file(&file) {
                bench.open_plan(file, &cc.egui_ctx);
            } else {
                bench.open(file, &cc.egui_ctx);
            }
            let frame_stats = options.frame_stats.clone().map(FrameStats::new);
            Ok(Box::new(WorkbenchApp {
                bench,
                frame_stats,
                title: None,
            }))
        }),
    )
}
