//! The `mahalleh` program: the desktop workbench with no verb, a command-line tool with one.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A planning workbench for neighbourhood-centred urban regeneration.
///
/// With no verb, opens the map window on FILE (default: the bundled Yazd sample). With a verb,
/// works without a window.
#[derive(Parser)]
#[command(name = "mahalleh", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A district file (GeoJSON) to open in the window.
    file: Option<PathBuf>,
    /// Write frame-time statistics (JSON: frames, p50_ms, p95_ms, max_ms) here when the window closes.
    #[arg(long, value_name = "PATH")]
    frame_stats: Option<PathBuf>,
    /// Inner window size in points, e.g. 1600x1000.
    #[arg(long, value_name = "WxH")]
    window_size: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Load a district file exactly as the app does and summarise it.
    Info(cli::info::InfoArgs),
    /// Name the district that contains a point, or many points from a CSV file.
    Locate(cli::locate::LocateArgs),
    /// Per-district coverage by facilitation offices, and the plan's indicators.
    Coverage(cli::coverage::CoverageArgs),
    /// Write a synthetic district layer: the bundled sample map or a benchmark file.
    Generate(cli::generate::GenerateArgs),
    /// A map layout as PDF, SVG or PNG, from a plan or a district file.
    Export(cli::export::ExportArgs),
    /// Suggest office sites (p-median, maximal covering, set covering) with the quality of the answer.
    Suggest(cli::suggest::SuggestArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Info(args)) => cli::info::run(&args),
        Some(Command::Locate(args)) => cli::locate::run(&args),
        Some(Command::Coverage(args)) => cli::coverage::run(&args),
        Some(Command::Generate(args)) => cli::generate::run(&args),
        Some(Command::Export(args)) => cli::export::run(&args),
        Some(Command::Suggest(args)) => cli::suggest::run(&args),
        None => cli::window::run(cli.file, cli.frame_stats, cli.window_size.as_deref()),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mahalleh: {e:#}");
            ExitCode::from(2)
        }
    }
}
