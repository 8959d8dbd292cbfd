//! `mahalleh palettes`: the colour schemes `--palette` takes, with their kind, whether they are
//! safe for colour-blind readers and their colours.

use std::io::Write;
use std::process::ExitCode;

use mahalleh::style::{MAX_CLASSES, PaletteKind, palettes};

/// Options of `mahalleh palettes`.
#[derive(clap::Args)]
pub struct PalettesArgs {
    /// Show each scheme's colours for this many classes (3 to 9).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(3..=9))]
    pub classes: u8,
}

/// Runs the verb: one line per scheme, tab-separated.
pub fn run(args: &PalettesArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "name\tkind\tcolour_blind_safe\tcolours ({} classes)", args.classes)?;
    for p in palettes() {
        let kind = match p.kind {
            PaletteKind::Sequential => "sequential",
            PaletteKind::Diverging => "diverging",
        };
        let colours: Vec<String> = p
            .colours(usize::from(args.classes).min(MAX_CLASSES))
            .iter()
            .map(|[r, g, b]| format!("#{r:02x}{g:02x}{b:02x}"))
            .collect();
        let safe = if p.colour_blind_safe { "yes" } else { "no" };
        writeln!(out, "{}\t{kind}\t{safe}\t{}", p.name, colours.join(" "))?;
    }
    Ok(ExitCode::SUCCESS)
}
