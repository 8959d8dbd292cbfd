//! The thematic-map options of the verbs that draw districts: `--style-by`, `--classes`,
//! `--method`, `--breaks`, `--palette`, `--categorise-by`. They start from the plan's saved style
//! and change what they name.

use anyhow::Context;

use mahalleh::model::FieldPath;
use mahalleh::style::{ClassMethod, Graduated, StyleValue, ThematicStyle, Theme, palette_named};
use mahalleh::text::numbers::parse_number;
use mahalleh::workspace::DistrictLayer;

/// How districts are coloured by their data.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct StyleArgs {
    /// Colour districts by classes of this number: a property (dotted path), `area_km2` or
    /// `density_per_km2` (population per km², from --population-field).
    #[arg(long, value_name = "FIELD", conflicts_with = "categorise_by")]
    pub style_by: Option<String>,
    /// Colour districts by the distinct texts of this property (e.g. settlement).
    #[arg(long, value_name = "FIELD")]
    pub categorise_by: Option<String>,
    /// Number of classes, 3 to 9.
    #[arg(long, value_parser = clap::value_parser!(u8).range(3..=9))]
    pub classes: Option<u8>,
    /// How classes are found: jenks (natural breaks, Fisher-Jenks), quantile, equal, stddev or
    /// manual (with --breaks).
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
    /// Upper bounds of manual classes, ascending, e.g. 1000,5000,20000 (the greatest value
    /// closes the last class).
    #[arg(long, value_name = "A,B,C")]
    pub breaks: Option<String>,
    /// A ColorBrewer scheme: YlOrRd (default), Blues, Greens, RdBu, ...; `mahalleh palettes`
    /// lists them.
    #[arg(long, value_name = "NAME")]
    pub palette: Option<String>,
    /// Run the scheme's colours the other way (dark for low values).
    #[arg(long)]
    pub reverse_palette: bool,
    /// Draw the plain districts even when the plan has a style.
    #[arg(long, conflicts_with_all = ["style_by", "categorise_by"])]
    pub no_style: bool,
}

impl StyleArgs {
    /// The style to draw with: the plan's `saved` one changed by these options.
    pub fn style(&self, saved: Option<&ThematicStyle>) -> anyhow::Result<Option<ThematicStyle>> {
        if self.no_style {
            return Ok(None);
        }
        if let Some(field) = &self.categorise_by {
            return Ok(Some(ThematicStyle::Categorised {
                field: FieldPath::new(field.trim()),
            }));
        }
        let graduated_options = self.classes.is_some()
            || self.method.is_some()
            || self.breaks.is_some()
            || self.palette.is_some()
            || self.reverse_palette;
        let mut g = match (&self.style_by, saved) {
            (Some(value), Some(ThematicStyle::Graduated(g))) => Graduated {
                value: StyleValue::parse(value),
                ..g.clone()
            },
            (Some(value), _) => Graduated::new(StyleValue::parse(value)),
            (None, Some(ThematicStyle::Graduated(g))) => g.clone(),
            (None, saved) => {
                anyhow::ensure!(
                    !graduated_options,
                    "--classes, --method, --breaks and --palette need --style-by FIELD (or a plan styled by one)"
                );
                return Ok(saved.cloned());
            }
        };
        if let Some(k) = self.classes {
            g.classes = usize::from(k);
        }
        if let Some(breaks) = &self.breaks {
            g.breaks = parse_breaks(breaks)?;
            g.method = ClassMethod::Manual;
        }
        if let Some(method) = &self.method {
            g.method = ClassMethod::parse(method)
                .with_context(|| format!("--method {method}: use jenks, quantile, equal, stddev or manual"))?;
        }
        anyhow::ensure!(
            g.method != ClassMethod::Manual || !g.breaks.is_empty(),
            "--method manual needs --breaks, e.g. --breaks 1000,5000,20000"
        );
        if let Some(name) = &self.palette {
            let palette = palette_named(name).with_context(|| {
                format!("--palette {name}: no such ColorBrewer scheme (`mahalleh palettes` lists them)")
            })?;
            g.palette = palette.name.to_string();
        }
        g.reversed ^= self.reverse_palette;
        Ok(Some(ThematicStyle::Graduated(g)))
    }

    /// The theme of `style` on `layer`, with a message naming the style when it cannot be made.
    pub fn theme(
        style: &ThematicStyle,
        layer: &DistrictLayer,
        population_field: Option<&FieldPath>,
    ) -> anyhow::Result<Theme> {
        style
            .theme(layer, None, population_field)
            .with_context(|| format!("cannot colour the districts of {}", layer.source.display()))
    }
}

/// `1000,5000,20000` (Persian digits and separators too) as ascending numbers.
fn parse_breaks(text: &str) -> anyhow::Result<Vec<f64>> {
    let breaks = text
        .split([',', ';', '،'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(i, s)| {
            parse_number(s)
                .filter(|v| v.is_finite())
                .with_context(|| format!("--breaks: item {} ({s}) is not a number", i + 1))
        })
        .collect::<anyhow::Result<Vec<f64>>>()?;
    anyhow::ensure!(!breaks.is_empty(), "--breaks: give at least one number");
    anyhow::ensure!(breaks.windows(2).all(|w| w[0] < w[1]), "--breaks must rise: {text}");
    Ok(breaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_change_the_saved_style_and_only_what_they_name() {
        let saved = ThematicStyle::Graduated(Graduated {
            palette: "Blues".into(),
            ..Graduated::new(StyleValue::AreaKm2)
        });
        let args = StyleArgs {
            classes: Some(7),
            ..StyleArgs::default()
        };
        let Some(ThematicStyle::Graduated(g)) = args.style(Some(&saved)).unwrap() else {
            unreachable!("graduated")
        };
        assert_eq!(
            (g.classes, g.palette.as_str(), g.value),
            (7, "Blues", StyleValue::AreaKm2)
        );
        let args = StyleArgs {
            style_by: Some("pop".into()),
            breaks: Some("۱۰۰۰, 5000".into()),
            palette: Some("rdbu".into()),
            ..StyleArgs::default()
        };
        let Some(ThematicStyle::Graduated(g)) = args.style(None).unwrap() else {
            unreachable!("graduated")
        };
        assert_eq!(g.method, ClassMethod::Manual);
        assert_eq!(g.breaks, vec![1000.0, 5000.0]);
        assert_eq!(g.palette, "RdBu");
        let none = StyleArgs {
            no_style: true,
            ..StyleArgs::default()
        };
        assert_eq!(none.style(Some(&saved)).unwrap(), None);
    }

    #[test]
    fn bad_options_say_what_is_wrong() {
        let with = |args: StyleArgs| args.style(None).unwrap_err().to_string();
        let by = || Some("pop".to_string());
        assert!(
            with(StyleArgs {
                style_by: by(),
                breaks: Some("10,x".into()),
                ..StyleArgs::default()
            })
            .contains("item 2 (x)")
        );
        assert!(
            with(StyleArgs {
                style_by: by(),
                breaks: Some("10,5".into()),
                ..StyleArgs::default()
            })
            .contains("rise")
        );
        assert!(
            with(StyleArgs {
                style_by: by(),
                method: Some("manual".into()),
                ..StyleArgs::default()
            })
            .contains("--breaks")
        );
        assert!(
            with(StyleArgs {
                style_by: by(),
                palette: Some("Rainbow".into()),
                ..StyleArgs::default()
            })
            .contains("Rainbow")
        );
        assert!(
            with(StyleArgs {
                classes: Some(4),
                ..StyleArgs::default()
            })
            .contains("--style-by")
        );
    }
}
