//! The `mahalleh` program: the desktop workbench with no verb, a command-line tool with one.
// On Windows a double-clicked workbench opens no console window behind it; the verbs attach to
// the console they were typed in (see `attach_parent_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

mod allocator;
mod cli;

/// mimalloc for small blocks, faster for the loads' many small buffers (Cargo.toml); the
/// system's allocator for large ones, which it returns to the system at once (`allocator.rs`).
#[global_allocator]
static ALLOCATOR: allocator::SplitAllocator = allocator::SplitAllocator;

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
    /// A district file (GeoJSON) or plan (.mahalleh) to open in the window.
    file: Option<PathBuf>,
    /// Anything after the file: a mistyped verb's arguments, reported as such.
    #[arg(hide = true)]
    rest: Vec<std::ffi::OsString>,
    /// Write frame-time statistics (JSON: frames, p50_ms, p95_ms, max_ms, and the same by kind of
    /// frame: moving, resting, settled, image_redrawn, from_snapshot) here when the window closes.
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
    /// Write a district layer as GeoJSON, GeoPackage or Shapefile (WGS 84), read from any format.
    Convert(cli::convert::ConvertArgs),
    /// The geodesic length of a path of LON,LAT points, and the area of the polygon they close.
    Measure(cli::measure::MeasureArgs),
    /// List the ColorBrewer colour schemes that thematic maps (--palette) can use.
    Palettes(cli::palettes::PalettesArgs),
}

/// What the window is asked to open, checked before a window appears: a word that is not a file
/// is a mistyped verb, and a path that does not exist is said so here rather than in a window.
fn check_window_file(file: Option<&std::path::Path>, rest: &[std::ffi::OsString]) -> anyhow::Result<()> {
    let Some(path) = file else { return Ok(()) };
    if path.exists() {
        anyhow::ensure!(
            rest.is_empty(),
            "the window opens one file; unexpected: {}",
            rest.iter().map(|r| r.to_string_lossy()).collect::<Vec<_>>().join(" ")
        );
        return Ok(());
    }
    let text = path.to_string_lossy();
    let looks_like_a_verb = !text.contains(['/', '\\', '.']);
    if looks_like_a_verb {
        use clap::CommandFactory;
        let verbs: Vec<String> = Cli::command()
            .get_subcommands()
            .filter(|c| c.get_name() != "help")
            .map(|c| c.get_name().to_string())
            .collect();
        anyhow::bail!(
            "unknown command '{text}'; the commands are: {} (or give a district or plan file to open it in the window)",
            verbs.join(", ")
        );
    }
    anyhow::bail!("no such file: {}", path.display())
}

fn main() -> ExitCode {
    allocator::tune();
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    #[cfg(windows)]
    attach_parent_console();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Info(args)) => cli::info::run(&args),
        Some(Command::Locate(args)) => cli::locate::run(&args),
        Some(Command::Coverage(args)) => cli::coverage::run(&args),
        Some(Command::Generate(args)) => cli::generate::run(&args),
        Some(Command::Export(args)) => cli::export::run(&args),
        Some(Command::Suggest(args)) => cli::suggest::run(&args),
        Some(Command::Convert(args)) => cli::convert::run(&args),
        Some(Command::Measure(args)) => cli::measure::run(&args),
        Some(Command::Palettes(args)) => cli::palettes::run(&args),
        None => check_window_file(cli.file.as_deref(), &cli.rest)
            .and_then(|()| cli::window::run(cli.file, cli.frame_stats, cli.window_size.as_deref())),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mahalleh: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Attaches to the console of the program that started this one (cmd, PowerShell), if any, so
/// that a verb's output and any error reach it: a `windows_subsystem = "windows"` program has no
/// console of its own. Started by double-click there is none, and this does nothing.
#[cfg(windows)]
fn attach_parent_console() {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn AttachConsole(process_id: u32) -> i32;
    }
    /// `ATTACH_PARENT_PROCESS` in the Windows API: `(DWORD)-1`.
    const PARENT_PROCESS: u32 = u32::MAX;
    // SAFETY: AttachConsole takes a process id by value and only fails (returning 0) when there
    // is no parent console or one is attached already; both leave the process as it was.
    unsafe {
        AttachConsole(PARENT_PROCESS);
    }
}
