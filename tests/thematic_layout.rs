//! Choropleths in layouts and on the command line: the districts drawn in their classes'
//! colours (in the SVG and in the rendered pixels), the legend with the field's name and class
//! ranges in Persian digits, `mahalleh export --style-by`, and a style saved in a plan.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use mahalleh::export::layout::{LayoutScene, compose, render_png};
use mahalleh::map::palette;
use mahalleh::model::layout::{Layout, LayoutLanguage, MapExtent};
use mahalleh::model::{DistrictsSource, FieldPath, Plan};
use mahalleh::style::{ClassMethod, Graduated, StyleValue, ThematicStyle, palette_named};
use mahalleh::text::Numbers;
use mahalleh::text::dates::GregorianDate;
use mahalleh::workspace::DistrictLayer;
use resvg::tiny_skia::Pixmap;

const TODAY: GregorianDate = GregorianDate {
    year: 2026,
    month: 12,
    day: 3,
};

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson")
}

fn hex([r, g, b]: palette::Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Pixels within 2 of `rgb` in every channel, in the box (page points).
fn pixels_of(pixmap: &Pixmap, page_w_pt: f64, region: [[f64; 2]; 2], rgb: palette::Rgb) -> usize {
    let scale = f64::from(pixmap.width()) / page_w_pt;
    let mut n = 0;
    for y in (region[0][1] * scale) as u32..((region[1][1] * scale) as u32).min(pixmap.height()) {
        for x in (region[0][0] * scale) as u32..((region[1][0] * scale) as u32).min(pixmap.width()) {
            let p = pixmap.pixel(x, y).unwrap();
            let near = |a: u8, b: u8| a.abs_diff(b) <= 2;
            n += usize::from(near(p.red(), rgb[0]) && near(p.green(), rgb[1]) && near(p.blue(), rgb[2]));
        }
    }
    n
}

#[test]
fn a_persian_choropleth_layout_draws_every_class_and_its_legend_in_persian_digits() {
    let layer: Arc<DistrictLayer> = Arc::new(common::load(&sample()).unwrap());
    let style = ThematicStyle::Graduated(Graduated {
        palette: "Blues".into(),
        ..Graduated::new(StyleValue::Field(FieldPath::new("population")))
    });
    let theme = style.theme(&layer, None, None).unwrap();
    let colours = palette_named("Blues").unwrap().colours(5);
    assert_eq!(
        theme.legend.entries.len(),
        5,
        "59 districts with populations make five classes"
    );
    let plan = Plan::default();
    let scene = LayoutScene {
        layer: &layer,
        plan: &plan,
        coverage: None,
        view_bbox_m: None,
        selected: &[],
        theme: Some(&theme),
        basemap: None,
        reference: &[],
        reference_under: 0,
    };
    let layout = Layout {
        extent: MapExtent::AllDistricts,
        date_text: Some("۱۲ آذر ۱۴۰۵".into()),
        ..Layout::default()
    };
    assert_eq!(layout.language, LayoutLanguage::Fa);
    let composed = compose(&scene, &layout, TODAY);
    // The legend: the field's name and each class's range, grouped Persian digits.
    assert!(composed.svg.contains(">population<"), "legend title");
    for entry in &theme.legend.entries {
        let text = entry.text(Numbers::Persian, theme.legend.places, "", "");
        assert!(text.chars().any(|c| ('۰'..='۹').contains(&c)), "{text}");
        assert!(composed.svg.contains(&text), "legend row {text}");
    }
    assert!(
        !composed.svg.contains(&hex(palette::FORMAL)),
        "no plain fills under a theme"
    );
    // Rendered: each class colour fills districts on the map and a swatch in the legend.
    let pixmap = Pixmap::decode_png(&render_png(&composed.svg, layout.page_mm(), 100.0).unwrap()).unwrap();
    let page_w_pt = layout.page_mm()[0] * 72.0 / 25.4;
    for (k, colour) in colours.iter().enumerate() {
        let on_map = pixels_of(&pixmap, page_w_pt, composed.regions.map, *colour);
        let in_legend = pixels_of(&pixmap, page_w_pt, composed.regions.legend, *colour);
        assert!(on_map > 30, "class {k} ({}) has {on_map} map pixels", hex(*colour));
        assert!(in_legend > 20, "class {k} has {in_legend} legend pixels");
    }
}

#[test]
fn english_layouts_name_built_in_values_and_categories_get_their_own_colours() {
    let layer: Arc<DistrictLayer> = Arc::new(common::load(&sample()).unwrap());
    let plan = Plan::default();
    let layout = Layout {
        language: LayoutLanguage::En,
        extent: MapExtent::AllDistricts,
        ..Layout::default()
    };
    let compose_with = |style: ThematicStyle| {
        let theme = style.theme(&layer, None, None).unwrap();
        let scene = LayoutScene {
            layer: &layer,
            plan: &plan,
            coverage: None,
            view_bbox_m: None,
            selected: &[],
            theme: Some(&theme),
            basemap: None,
            reference: &[],
            reference_under: 0,
        };
        (compose(&scene, &layout, TODAY).svg, theme)
    };
    let (svg, theme) = compose_with(ThematicStyle::Graduated(Graduated {
        method: ClassMethod::Quantile,
        classes: 4,
        ..Graduated::new(StyleValue::DensityPerKm2)
    }));
    assert!(
        svg.contains("Population density (per km²)"),
        "built-in title in the page's words"
    );
    assert!(
        theme.legend.entries[0]
            .text(Numbers::Latin, theme.legend.places, "", "")
            .contains(',')
    );
    let (svg, theme) = compose_with(ThematicStyle::Categorised {
        field: FieldPath::new("settlement"),
    });
    let names: Vec<String> = theme
        .legend
        .entries
        .iter()
        .map(|e| e.text(Numbers::Latin, 0, "No data", "Other"))
        .collect();
    assert!(names.len() >= 2, "{names:?}");
    for (entry, name) in theme.legend.entries.iter().zip(&names) {
        assert!(svg.contains(&hex(entry.fill)), "{name} drawn");
        assert!(svg.contains(&format!(">{name}<")), "{name} in the legend");
    }
}

fn mahalleh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .args(args)
        .output()
        .unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mahalleh-thematic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `mahalleh export ARGS -o NAME`, expects success and returns the SVG written.
fn export_svg(args: &[&str], name: &str) -> String {
    let out = temp(name);
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend(["-o", out.to_str().unwrap()]);
    let o = mahalleh(&all);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn export_style_by_draws_the_scheme_asked_for_and_refuses_bad_options_by_name() {
    let svg = export_svg(
        &[
            "--districts",
            sample().to_str().unwrap(),
            "--style-by",
            "population",
            "--classes",
            "4",
            "--method",
            "quantile",
            "--palette",
            "Greens",
            "--lang",
            "en",
        ],
        "quantile.svg",
    );
    for colour in palette_named("Greens").unwrap().colours(4) {
        assert!(svg.contains(&hex(colour)), "{} drawn", hex(colour));
    }
    // Manual bounds: three classes around them.
    let svg = export_svg(
        &[
            "--districts",
            sample().to_str().unwrap(),
            "--style-by",
            "population",
            "--breaks",
            "5000,10000",
            "--lang",
            "en",
        ],
        "manual.svg",
    );
    assert!(svg.contains("5,000 – 10,000"), "manual class in the legend");
    for (args, expected) in [
        (vec!["--style-by", "population", "--palette", "Rainbow"], "Rainbow"),
        (vec!["--style-by", "population", "--breaks", "10,x"], "item 2"),
        (vec!["--style-by", "no_such_field"], "no_such_field"),
        (vec!["--style-by", "population", "--classes", "12"], "12"),
    ] {
        let districts = sample();
        let mut all = vec!["export", "--districts", districts.to_str().unwrap()];
        all.extend(args.iter().copied());
        let bad = temp("bad.svg");
        all.extend(["-o", bad.to_str().unwrap()]);
        let o = mahalleh(&all);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_style_saved_in_a_plan_colours_its_export_and_no_style_turns_it_off() {
    let plan_path = temp("styled.mahalleh");
    let mut source = DistrictsSource::file(sample());
    source.style = Some(ThematicStyle::Graduated(Graduated {
        palette: "Purples".into(),
        classes: 3,
        ..Graduated::new(StyleValue::AreaKm2)
    }));
    let plan = Plan {
        districts: Some(source),
        ..Plan::default()
    };
    mahalleh::io::save_plan(&mahalleh::io::PlanDocument::new(plan, None), &plan_path).unwrap();
    let back = mahalleh::io::load_plan(&plan_path).unwrap();
    assert!(matches!(
        back.plan.districts.as_ref().and_then(|d| d.style.as_ref()),
        Some(ThematicStyle::Graduated(g)) if g.palette == "Purples" && g.classes == 3
    ));
    let purples = palette_named("Purples").unwrap().colours(3);
    let svg = export_svg(&[plan_path.to_str().unwrap(), "--lang", "en"], "styled.svg");
    assert!(svg.contains("Area (km²)"));
    for colour in &purples {
        assert!(svg.contains(&hex(*colour)));
    }
    let svg = export_svg(&[plan_path.to_str().unwrap(), "--no-style"], "plain.svg");
    assert!(!svg.contains(&hex(purples[2])));
    assert!(svg.contains(&hex(palette::FORMAL)), "plain fills again");
}
