//! `mahalleh generate`: write the bundled sample map or a benchmark layer.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// Options of `mahalleh generate`.
#[derive(clap::Args)]
pub struct GenerateArgs {
    /// What to write.
    #[arg(value_enum)]
    pub what: What,
    /// The file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Polygons in a benchmark layer.
    #[arg(long, default_value_t = 100_000)]
    pub polygons: usize,
}

/// The synthetic layers.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum What {
    /// The illustrative Yazd and Meybod neighbourhoods in maps/.
    Sample,
    /// A large grid of irregular neighbourhoods with holes, for benchmarks.
    Bench,
}

/// Runs the verb.
pub fn run(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let text = match args.what {
        What::Sample => mahalleh::synth::sample_map_geojson(),
        What::Bench => mahalleh::synth::bench_layer_geojson(args.polygons),
    };
    std::fs::write(&args.out, text).with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}
