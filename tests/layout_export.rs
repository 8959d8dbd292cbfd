//! Map layouts exported as PDF, PNG and SVG: page sizes, real Persian text, ink where the items
//! are, and a golden image. Poppler's `pdfinfo`, `pdftotext` and `pdftoppm` and librsvg's
//! `rsvg-convert` are used when present (apt-get install poppler-utils librsvg2-bin; `.ci/run`
//! installs them where it can); without them those checks say so and are skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use mahalleh::analysis::{Coverage, CoverageModel};
use mahalleh::export::layout::{LayoutFormat, LayoutScene, Regions, compose, export_layout, render_png};
use mahalleh::model::Plan;
use mahalleh::model::layout::{Layout, LayoutLanguage, MapExtent, Orientation, Paper};
use mahalleh::text::dates::GregorianDate;
use mahalleh::workspace::DistrictLayer;
use resvg::tiny_skia::Pixmap;

const TODAY: GregorianDate = GregorianDate {
    year: 2026,
    month: 11,
    day: 26,
};

struct Fixture {
    layer: Arc<DistrictLayer>,
    plan: Plan,
    coverage: Coverage,
}

impl Fixture {
    fn yazd() -> Self {
        let layer = Arc::new(common::load(&root().join("maps/yazd-neighbourhoods.geojson")).unwrap());
        let offices = mahalleh::io::read_offices(&common::fixture("yazd-offices.geojson")).unwrap();
        let plan = Plan {
            next_id: offices.len() as u64 + 1,
            offices,
            ..Plan::default()
        };
        let coverage = CoverageModel::new(Arc::clone(&layer), None).compute(&plan.offices, plan.radius_m);
        Self { layer, plan, coverage }
    }

    fn scene(&self) -> LayoutScene<'_> {
        LayoutScene {
            layer: &self.layer,
            plan: &self.plan,
            coverage: Some(&self.coverage),
            view_bbox_m: None,
            selected: &[],
            theme: None,
            basemap: None,
            reference: &[],
            reference_under: 0,
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn persian_a4() -> Layout {
    Layout {
        paper: Paper::A4,
        orientation: Orientation::Landscape,
        title: "دفاتر تسهیلگری یزد ۱۴۰۵".into(),
        subtitle: "مکان‌های پیشنهادی، دور نخست".into(),
        extent: MapExtent::AllOffices,
        date_text: Some("۵ آذر ۱۴۰۵".into()),
        ..Layout::default()
    }
}

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mahalleh-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs an outside tool (poppler, librsvg); `None` (with a note) when it is not installed.
fn outside_tool(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("{tool} failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            eprintln!("skipping the {tool} check: {tool} is not installed (poppler-utils, librsvg2-bin)");
            None
        }
    }
}

/// Pixels in the box (page points) darker than `level` in every channel.
fn dark_pixels(pixmap: &Pixmap, page_w_pt: f64, region: [[f64; 2]; 2], level: u8) -> usize {
    let scale = f64::from(pixmap.width()) / page_w_pt;
    let [x0, y0] = region[0].map(|v| (v * scale).max(0.0) as u32);
    let x1 = ((region[1][0] * scale) as u32).min(pixmap.width());
    let y1 = ((region[1][1] * scale) as u32).min(pixmap.height());
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let p = pixmap.pixel(x, y).unwrap();
            if p.red() < level && p.green() < level && p.blue() < level {
                n += 1;
            }
        }
    }
    n
}

/// Distinct colours in the box: a blank map has one.
fn colours(pixmap: &Pixmap, page_w_pt: f64, region: [[f64; 2]; 2]) -> usize {
    let scale = f64::from(pixmap.width()) / page_w_pt;
    let mut seen = std::collections::BTreeSet::new();
    for y in (region[0][1] * scale) as u32..((region[1][1] * scale) as u32).min(pixmap.height()) {
        for x in (region[0][0] * scale) as u32..((region[1][0] * scale) as u32).min(pixmap.width()) {
            let p = pixmap.pixel(x, y).unwrap();
            seen.insert([p.red(), p.green(), p.blue()]);
        }
    }
    seen.len()
}

fn assert_items_have_ink(pixmap: &Pixmap, page_w_pt: f64, regions: &Regions, what: &str) {
    assert!(
        colours(pixmap, page_w_pt, regions.map) > 20,
        "{what}: the map frame is blank"
    );
    assert!(
        dark_pixels(pixmap, page_w_pt, regions.legend, 120) > 200,
        "{what}: the legend has no ink"
    );
    let bar = regions.scale_bar.expect("a scale bar");
    assert!(
        dark_pixels(pixmap, page_w_pt, bar, 80) > 30,
        "{what}: the scale bar has no ink"
    );
    assert!(
        dark_pixels(pixmap, page_w_pt, regions.north_arrow, 80) > 20,
        "{what}: the north arrow has no ink"
    );
}

#[test]
fn a_persian_pdf_has_its_page_size_and_real_text_in_logical_order() {
    let f = Fixture::yazd();
    let layout = Layout {
        paper: Paper::A3,
        ..persian_a4()
    };
    let pdf = export_layout(&f.scene(), &layout, LayoutFormat::Pdf, 300.0, TODAY).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let path = temp_file("yazd-a3.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let path = path.to_str().unwrap();
    if let Some(info) = outside_tool("pdfinfo", &[path]) {
        assert!(info.contains("Pages:           1"), "{info}");
        assert!(info.contains("Page size:       1190.55 x 841.89 pts (A3)"), "{info}");
    }
    if let Some(text) = outside_tool("pdftotext", &[path, "-"]) {
        // Poppler marks right-to-left lines with U+202B … U+202C; the text between is as typed.
        for expected in [
            "دفاتر تسهیلگری یزد",
            "راهنما",
            "سکونتگاه حاشیه‌ای",
            "بافت رسمی",
            "دفتر پیشنهادی",
            "اسکان",
            "حسن‌آباد",
            "کشتارگاه",
        ] {
            assert!(text.contains(expected), "«{expected}» is not text in the PDF:\n{text}");
        }
        assert!(!text.contains('\u{FE8D}'), "presentation forms leaked into the text");
    }
    if let Some(fonts) = outside_tool("pdffonts", &[path]) {
        assert!(
            fonts.contains("Vazirmatn-Regular") && fonts.contains("yes yes yes"),
            "{fonts}"
        );
    }
}

#[test]
fn a_png_has_the_exact_pixel_size_and_ink_where_the_items_are() {
    let f = Fixture::yazd();
    let layout = persian_a4();
    let composed = compose(&f.scene(), &layout, TODAY);
    let png = render_png(&composed.svg, layout.page_mm(), 100.0).unwrap();
    let pixmap = Pixmap::decode_png(&png).unwrap();
    // 297 × 210 mm at 100 dpi.
    assert_eq!((pixmap.width(), pixmap.height()), (1169, 827));
    let page_w_pt = 297.0 * 72.0 / 25.4;
    assert_items_have_ink(&pixmap, page_w_pt, &composed.regions, "PNG");
    // The Persian page reads from the right: the legend column is on the left of the map.
    assert!(composed.regions.legend[1][0] < composed.regions.map[0][0]);
    let english = Layout {
        language: LayoutLanguage::En,
        ..persian_a4()
    };
    let regions = compose(&f.scene(), &english, TODAY).regions;
    assert!(regions.legend[0][0] > regions.map[1][0], "English legend on the right");
}

#[test]
fn the_pdf_page_rendered_by_poppler_matches_the_png() {
    let f = Fixture::yazd();
    let layout = persian_a4();
    let composed = compose(&f.scene(), &layout, TODAY);
    let pdf = export_layout(&f.scene(), &layout, LayoutFormat::Pdf, 0.0, TODAY).unwrap();
    let pdf_path = temp_file("yazd-a4.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let out_prefix = temp_file("yazd-a4-poppler");
    let ours = Pixmap::decode_png(&render_png(&composed.svg, layout.page_mm(), 60.0).unwrap()).unwrap();
    let (w, h) = (ours.width().to_string(), ours.height().to_string());
    let Some(_) = outside_tool(
        "pdftoppm",
        &[
            "-png",
            "-scale-to-x",
            &w,
            "-scale-to-y",
            &h,
            "-singlefile",
            pdf_path.to_str().unwrap(),
            out_prefix.to_str().unwrap(),
        ],
    ) else {
        return;
    };
    let from_pdf = Pixmap::load_png(out_prefix.with_extension("png")).unwrap();
    let page_w_pt = 297.0 * 72.0 / 25.4;
    assert_items_have_ink(&from_pdf, page_w_pt, &composed.regions, "PDF via pdftoppm");
    assert_eq!((ours.width(), ours.height()), (from_pdf.width(), from_pdf.height()));
    let diff = mean_difference(&ours, &from_pdf);
    assert!(
        diff < 6.0,
        "the PDF and the PNG differ by {diff:.2} per channel on average"
    );
}

/// Mean absolute difference per channel, 0..255.
fn mean_difference(a: &Pixmap, b: &Pixmap) -> f64 {
    let total: u64 = a
        .pixels()
        .iter()
        .zip(b.pixels())
        .map(|(p, q)| {
            u64::from(p.red().abs_diff(q.red()))
                + u64::from(p.green().abs_diff(q.green()))
                + u64::from(p.blue().abs_diff(q.blue()))
        })
        .sum();
    total as f64 / (a.pixels().len() as f64 * 3.0)
}

#[test]
fn the_png_matches_its_golden_image() {
    let f = Fixture::yazd();
    let layout = persian_a4();
    let png = export_layout(&f.scene(), &layout, LayoutFormat::Png, 50.0, TODAY).unwrap();
    let golden = root().join("tests/golden/layout-yazd-fa-a4-50dpi.png");
    if std::env::var_os("MAHALLEH_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &png).unwrap();
        eprintln!("rewrote {}", golden.display());
    }
    let expected = Pixmap::load_png(&golden).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); run with MAHALLEH_UPDATE_GOLDEN=1 to make it",
            golden.display()
        )
    });
    let ours = Pixmap::decode_png(&png).unwrap();
    assert_eq!((ours.width(), ours.height()), (expected.width(), expected.height()));
    // Antialiasing may differ by a few levels between machines; a moved or missing item changes
    // pixels a lot.
    let changed = ours
        .pixels()
        .iter()
        .zip(expected.pixels())
        .filter(|(p, q)| {
            p.red()
                .abs_diff(q.red())
                .max(p.green().abs_diff(q.green()))
                .max(p.blue().abs_diff(q.blue()))
                > 40
        })
        .count();
    assert!(
        changed <= 40,
        "{changed} pixels differ from {}; look at the layout, then regenerate with MAHALLEH_UPDATE_GOLDEN=1",
        golden.display()
    );
}

#[test]
fn the_svg_is_standalone_and_keeps_names_as_typed() {
    let f = Fixture::yazd();
    let svg =
        String::from_utf8(export_layout(&f.scene(), &persian_a4(), LayoutFormat::Svg, 0.0, TODAY).unwrap()).unwrap();
    assert!(svg.starts_with("<?xml"));
    assert!(!svg.contains("href"), "no external references");
    assert!(svg.contains(r#"width="297mm" height="210mm""#));
    // Persian text is marked right to left for other programs; names stay as typed, with no
    // invisible characters added.
    let title = svg.lines().find(|l| l.contains("دفاتر تسهیلگری یزد ۱۴۰۵")).unwrap();
    assert!(
        title.contains(r#"direction="rtl""#) && title.contains(r#"text-anchor="start""#),
        "{title}"
    );
    assert!(title.contains(">دفاتر تسهیلگری یزد ۱۴۰۵</text>"), "{title}");
    assert!(!svg.contains('\u{2067}'));
    assert!(svg.contains(">اسکان</text>"));
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default());
    assert!(tree.is_ok(), "usvg parses it");
}

#[test]
fn the_scale_bar_is_true_on_the_ground() {
    let f = Fixture::yazd();
    let composed = compose(&f.scene(), &persian_a4(), TODAY);
    let svg = &composed.svg;
    // The bar's length text, in Persian digits and units.
    let label = ["۵۰۰ متر", "۱ کیلومتر", "۲ کیلومتر", "۵ کیلومتر"]
        .into_iter()
        .find(|l| svg.contains(l))
        .expect("a round scale length");
    let length_m = match label {
        "۵۰۰ متر" => 500.0,
        "۱ کیلومتر" => 1000.0,
        "۲ کیلومتر" => 2000.0,
        _ => 5000.0,
    };
    // The bar's four segments span length_m on the ground at the map's latitude: compare with
    // the frame's own geodesic scale.
    let frame = composed.regions.map;
    let bar = composed.regions.scale_bar.unwrap();
    assert!(bar[0][0] > frame[0][0] && bar[1][0] < frame[1][0], "inside the frame");
    let widths: Vec<f64> = svg
        .lines()
        .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#202028\"") && l.contains(r#"stroke-width="0.4""#))
        .map(|l| {
            let w = l.split(r#"width=""#).nth(1).unwrap();
            w[..w.find('"').unwrap()].parse::<f64>().unwrap()
        })
        .collect();
    assert_eq!(widths.len(), 2, "two dark segments of four");
    let bar_pt = widths[0] * 4.0;
    let bbox = mahalleh::export::layout::map_frame::offices_bbox_m(&f.scene()).unwrap();
    let fitted = mahalleh::export::layout::map_frame::MapFrame::fitting(
        frame[0],
        [frame[1][0] - frame[0][0], frame[1][1] - frame[0][1]],
        bbox,
    );
    let ground = bar_pt * fitted.ground_m_per_pt();
    assert!(
        (ground - length_m).abs() / length_m < 0.01,
        "{ground} m vs {length_m} m"
    );
}

#[test]
fn the_svg_file_renders_in_other_programs() {
    // librsvg (rsvg-convert, apt-get install librsvg2-bin) is what GNOME and many tools use to show
    // SVG, and Inkscape edits it; both must draw the page with the system's fonts.
    let f = Fixture::yazd();
    let layout = persian_a4();
    let regions = compose(&f.scene(), &layout, TODAY).regions;
    let svg = export_layout(&f.scene(), &layout, LayoutFormat::Svg, 0.0, TODAY).unwrap();
    let svg_path = temp_file("yazd-a4.svg");
    std::fs::write(&svg_path, &svg).unwrap();
    let svg_path = svg_path.to_str().unwrap();
    for (tool, png) in [
        ("rsvg-convert", "yazd-a4-rsvg.png"),
        ("inkscape", "yazd-a4-inkscape.png"),
    ] {
        let png_path = temp_file(png);
        let png_path = png_path.to_str().unwrap();
        let args: Vec<&str> = match tool {
            "rsvg-convert" => vec!["-w", "1169", svg_path, "-o", png_path],
            _ => vec![
                svg_path,
                "--export-type=png",
                "--export-width=1169",
                "--export-filename",
                png_path,
            ],
        };
        if outside_tool(tool, &args).is_none() {
            continue;
        }
        let pixmap = Pixmap::load_png(png_path).unwrap();
        assert_eq!(pixmap.width(), 1169);
        assert_items_have_ink(&pixmap, 297.0 * 72.0 / 25.4, &regions, tool);
    }
}

/// Words of a PDF page with their boxes, from `pdftotext -bbox`: (text, x_min, x_max) in points.
fn pdf_words(path: &str) -> Option<Vec<(String, f64, f64)>> {
    let html = outside_tool("pdftotext", &["-bbox", path, "-"])?;
    let attribute = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    Some(
        html.split("<word ")
            .skip(1)
            .map(|w| {
                let (tag, rest) = w.split_once('>').unwrap();
                let text = rest.split("</word>").next().unwrap().to_string();
                (text, attribute(tag, "xMin"), attribute(tag, "xMax"))
            })
            .collect(),
    )
}

/// Sixty offices with long Persian names: the list fits its column (two columns, smaller text,
/// "and N more"), nothing is printed into the margins, and every office is counted.
#[test]
fn a_long_office_list_stays_inside_the_page_and_counts_every_office() {
    let mut f = Fixture::yazd();
    let anchors: Vec<[f64; 2]> = f
        .layer
        .drawing()
        .districts
        .iter()
        .map(|d| d.label_anchor_lon_lat)
        .collect();
    f.plan.offices = (0..60)
        .map(|k| {
            mahalleh::model::Office::proposed(
                mahalleh::model::OfficeId(k + 1),
                format!("دفتر تسهیلگری شماره {}", k + 1),
                anchors[k as usize % anchors.len()],
            )
        })
        .collect();
    f.coverage = CoverageModel::new(Arc::clone(&f.layer), None).compute(&f.plan.offices, f.plan.radius_m);
    let layout = Layout {
        extent: MapExtent::AllDistricts,
        ..persian_a4()
    };
    let pdf = export_layout(&f.scene(), &layout, LayoutFormat::Pdf, 150.0, TODAY).unwrap();
    let path = temp_file("long-list.pdf");
    std::fs::write(&path, &pdf).unwrap();
    // No ink in the margins (our own rendering of the same page).
    let png = export_layout(&f.scene(), &layout, LayoutFormat::Png, 150.0, TODAY).unwrap();
    let pixmap = Pixmap::decode_png(&png).unwrap();
    let [w_mm, h_mm] = layout.page_mm();
    let [w_pt, h_pt] = [w_mm * 72.0 / 25.4, h_mm * 72.0 / 25.4];
    let margin = layout.margin_mm * 72.0 / 25.4 - 1.0;
    for (band, what) in [
        ([[0.0, 0.0], [margin, h_pt]], "left"),
        ([[w_pt - margin, 0.0], [w_pt, h_pt]], "right"),
        ([[0.0, 0.0], [w_pt, margin]], "top"),
        ([[0.0, h_pt - margin], [w_pt, h_pt]], "bottom"),
    ] {
        assert_eq!(dark_pixels(&pixmap, w_pt, band, 200), 0, "ink in the {what} margin");
    }
    // Count what the list printed, from the page's own text: lines of the side column.
    let composed = compose(&f.scene(), &layout, TODAY);
    let map_left = composed.regions.map[0][0];
    let side_texts: Vec<String> = composed
        .svg
        .split("<text x=\"")
        .skip(1)
        .filter_map(|t| {
            let x: f64 = t.split('"').next()?.parse().ok()?;
            let content = t.split_once('>')?.1.split("</text>").next()?;
            (x < map_left).then(|| content.replace(['\u{2067}', '\u{2069}'], ""))
        })
        .collect();
    let listed = side_texts
        .iter()
        .filter(|t| t.starts_with("دفتر تسهیلگری شماره"))
        .count();
    let more = side_texts.iter().find_map(|t| {
        t.strip_prefix("و ")?
            .strip_suffix(" دفتر دیگر")
            .and_then(mahalleh::text::numbers::parse_number)
    });
    match more {
        Some(n) => assert_eq!(listed + n as usize, 60, "{listed} listed and {n} more"),
        None => assert_eq!(listed, 60, "{side_texts:?}"),
    }
    assert!(listed >= 30, "{listed} listed");
    // Poppler reads the PDF's list as text too.
    if let Some(words) = pdf_words(path.to_str().unwrap()) {
        assert!(words.len() > 100, "{} words", words.len());
    }
}

/// By default the map shows every office, even one far from the districts, so that nothing the
/// list names is off the map; offices at one spot share one label.
#[test]
fn the_default_extent_shows_every_office_and_offices_at_one_spot_share_a_label() {
    let mut f = Fixture::yazd();
    let far = mahalleh::model::Office::proposed(mahalleh::model::OfficeId(90), "دفتر اردکان", [54.0, 32.31]);
    let twin_a = mahalleh::model::Office::proposed(mahalleh::model::OfficeId(91), "الف", [54.37, 31.90]);
    let twin_b = mahalleh::model::Office::proposed(mahalleh::model::OfficeId(92), "ب", [54.37, 31.90]);
    f.plan.offices.extend([far, twin_a, twin_b]);
    f.coverage = CoverageModel::new(Arc::clone(&f.layer), None).compute(&f.plan.offices, f.plan.radius_m);
    let layout = Layout {
        show_indicators: false,
        ..Layout::default()
    };
    assert_eq!(layout.extent, MapExtent::Everything, "the default");
    let svg = compose(&f.scene(), &layout, TODAY).svg;
    assert!(svg.contains("دفتر اردکان"), "the far office is on the map and named");
    assert!(svg.contains("الف، ب"), "one label for the two offices at one spot");
    // Only districts: the far office is off the map, so its name is not printed.
    let districts_only = Layout {
        extent: MapExtent::AllDistricts,
        ..layout
    };
    let svg = compose(&f.scene(), &districts_only, TODAY).svg;
    assert!(!svg.contains("دفتر اردکان"));
}

/// Coverage shading keeps marginal settlements orange (darker as more is reached) and the
/// legend says so; formal districts go green.
#[test]
fn coverage_shading_keeps_marginal_settlements_orange_and_the_legend_says_so() {
    use mahalleh::map::palette;
    let f = Fixture::yazd();
    let layout = Layout {
        language: LayoutLanguage::En,
        extent: MapExtent::AllDistricts,
        ..Layout::default()
    };
    let composed = compose(&f.scene(), &layout, TODAY);
    let reached_marginal: Vec<f64> = f
        .coverage
        .districts
        .iter()
        .filter(|c| c.covered_fraction > 0.0 && mahalleh::model::is_marginal(&f.layer.districts[c.district].properties))
        .map(|c| c.covered_fraction)
        .collect();
    assert!(
        !reached_marginal.is_empty(),
        "the fixture's offices reach a marginal settlement"
    );
    for fraction in &reached_marginal {
        let [r, g, b] = palette::covered_fill(palette::MARGINAL, *fraction);
        assert!(r > g + 50 && g > b, "still orange: {r} {g} {b}");
        assert!(
            composed.svg.contains(&format!("#{r:02x}{g:02x}{b:02x}")),
            "drawn in that colour"
        );
    }
    // The legend's reached row shows both shades, as drawn.
    assert!(composed.svg.contains("Reached by an office (darker: more)"));
    for kind in [palette::FORMAL, palette::MARGINAL] {
        let [r, g, b] = palette::covered_fill(kind, 1.0);
        assert!(
            composed.svg.contains(&format!("#{r:02x}{g:02x}{b:02x}")),
            "legend swatch"
        );
    }
    // On the page, pixels of a reached marginal settlement's orange are there.
    let pixmap = Pixmap::decode_png(&render_png(&composed.svg, layout.page_mm(), 100.0).unwrap()).unwrap();
    let [r0, g0, b0] = palette::covered_fill(palette::MARGINAL, reached_marginal[0]);
    let page_w_pt = layout.page_mm()[0] * 72.0 / 25.4;
    let scale = f64::from(pixmap.width()) / page_w_pt;
    let map = composed.regions.map;
    let mut found = 0;
    for y in (map[0][1] * scale) as u32..(map[1][1] * scale) as u32 {
        for x in (map[0][0] * scale) as u32..(map[1][0] * scale) as u32 {
            let p = pixmap.pixel(x, y).unwrap();
            found +=
                usize::from(p.red().abs_diff(r0) <= 2 && p.green().abs_diff(g0) <= 2 && p.blue().abs_diff(b0) <= 2);
        }
    }
    assert!(found > 50, "{found} pixels of a reached marginal settlement");
}

#[test]
fn district_names_follow_the_layouts_language() {
    let f = Fixture::yazd();
    let names: Vec<(String, String)> = f
        .layer
        .districts
        .iter()
        .map(|d| {
            let text = |k: &str| d.properties[k].as_str().unwrap().to_string();
            (text("name"), text("name_en"))
        })
        .collect();
    let count = |svg: &str, english: bool| {
        names
            .iter()
            .filter(|(fa, en)| svg.contains(&format!(">{}<", if english { en } else { fa })))
            .count()
    };
    let persian = compose(&f.scene(), &persian_a4(), TODAY).svg;
    let english_layout = Layout {
        language: LayoutLanguage::En,
        ..persian_a4()
    };
    let english = compose(&f.scene(), &english_layout, TODAY).svg;
    let (fa_in_fa, en_in_fa) = (count(&persian, false), count(&persian, true));
    let (fa_in_en, en_in_en) = (count(&english, false), count(&english, true));
    assert!(
        fa_in_fa >= 10 && en_in_fa == 0,
        "Persian page: {fa_in_fa} Persian, {en_in_fa} English names"
    );
    assert!(
        en_in_en >= 10 && fa_in_en == 0,
        "English page: {en_in_en} English, {fa_in_en} Persian names"
    );
}

#[test]
fn hidden_districts_leave_the_page_with_offices_and_catchments_only() {
    use mahalleh::map::palette;
    let mut f = Fixture::yazd();
    let layout = Layout {
        language: LayoutLanguage::En,
        extent: MapExtent::AllDistricts,
        ..Layout::default()
    };
    let count_fills = |svg: &str| {
        let pixmap = Pixmap::decode_png(&render_png(svg, layout.page_mm(), 60.0).unwrap()).unwrap();
        let [r0, g0, b0] = palette::FORMAL;
        pixmap
            .pixels()
            .iter()
            .filter(|p| p.red().abs_diff(r0) <= 2 && p.green().abs_diff(g0) <= 2 && p.blue().abs_diff(b0) <= 2)
            .count()
    };
    let shown = compose(&f.scene(), &layout, TODAY);
    assert!(count_fills(&shown.svg) > 1000, "formal districts filled when shown");
    f.plan.districts = Some(mahalleh::model::DistrictsSource {
        visible: false,
        ..mahalleh::model::DistrictsSource::file("maps/yazd-neighbourhoods.geojson")
    });
    let hidden = compose(&f.scene(), &layout, TODAY);
    assert_eq!(count_fills(&hidden.svg), 0, "no district fill on the page");
    assert!(
        !hidden.svg.contains("Reached by an office"),
        "no districts in the legend"
    );
    assert_eq!(hidden.regions.map, shown.regions.map, "the same map frame");
    let catchment = format!(
        "#{:02x}{:02x}{:02x}",
        palette::CATCHMENT[0],
        palette::CATCHMENT[1],
        palette::CATCHMENT[2]
    );
    assert!(hidden.svg.contains(&catchment), "catchments are still drawn");
}
