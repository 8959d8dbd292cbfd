//! The page: title block, map frame, legend generated from what the map shows, scale bar, north
//! arrow, indicators and the foot line, mirrored for a right-to-left Persian page.

use super::map_frame::{DrawnOnMap, MapFrame, MapSizes, districts_bbox_m, draw_map, offices_bbox_m, symbol};
use super::reference_frame::symbol_path;
use super::svg_writer::{Anchor, BidiMarkup, PathData, SvgWriter, TextStyle, hex, pt_from_mm};
use super::words::{Words, words};
use super::{LayoutScene, map_frame};
use crate::map::extent::union_boxes_m;
use crate::map::palette;
use crate::map::scale::{length_text, round_length_m};
use crate::model::layout::{Calendar, Layout, LayoutLanguage, MapExtent};
use crate::model::{LayerStyle, OfficeStatus};
use crate::style::StyleValue;
use crate::text::Numbers;
use crate::text::dates::{GregorianDate, SolarHijriDate};

const INK: &str = "#202028";
const MUTED: &str = "#55555f";

/// Text sizes of a page, from its shorter side.
#[derive(Clone, Copy, Debug)]
struct Sizes {
    title: f64,
    subtitle: f64,
    body: f64,
    small: f64,
}

impl Sizes {
    fn for_page(short_side_pt: f64) -> Self {
        Self {
            title: short_side_pt * 0.034,
            subtitle: short_side_pt * 0.021,
            body: short_side_pt * 0.0155,
            small: short_side_pt * 0.0125,
        }
    }

    fn style(size_pt: f64, bold: bool, color: &'static str) -> TextStyle {
        TextStyle {
            size_pt,
            bold,
            color,
            halo: false,
        }
    }
}

/// One side of a column or page, in reading order.
#[derive(Clone, Copy, Debug)]
struct Column {
    /// Left and right edges, points.
    left: f64,
    right: f64,
    rtl: bool,
}

impl Column {
    /// The edge a line of text starts from, and how it hangs there.
    fn start(&self) -> (f64, Anchor) {
        if self.rtl {
            (self.right, Anchor::Right)
        } else {
            (self.left, Anchor::Left)
        }
    }

    /// The other edge.
    fn end(&self) -> (f64, Anchor) {
        if self.rtl {
            (self.left, Anchor::Left)
        } else {
            (self.right, Anchor::Right)
        }
    }

    /// `distance` points in from the start edge.
    fn inset(&self, distance: f64) -> f64 {
        if self.rtl {
            self.right - distance
        } else {
            self.left + distance
        }
    }
}

/// The layout as an SVG document; `today` dates it unless the layout carries a date.
pub fn compose_svg(scene: &LayoutScene<'_>, layout: &Layout, today: GregorianDate) -> String {
    compose(scene, layout, today).svg
}

/// A composed page: its SVG and where its items are.
#[derive(Clone, Debug)]
pub struct Composed {
    /// The SVG document.
    pub svg: String,
    /// Where the items are on the page.
    pub regions: Regions,
    /// The basemap could not be drawn (the map is drawn without it): why.
    pub basemap_problem: Option<String>,
}

/// Boxes of the page's items, points from the top-left corner (`[min, max]`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Regions {
    /// The map frame.
    pub map: [[f64; 2]; 2],
    /// The legend.
    pub legend: [[f64; 2]; 2],
    /// The scale bar's plate, when there is one.
    pub scale_bar: Option<[[f64; 2]; 2]>,
    /// The north arrow.
    pub north_arrow: [[f64; 2]; 2],
}

/// The layout composed: SVG and item boxes.
pub fn compose(scene: &LayoutScene<'_>, layout: &Layout, today: GregorianDate) -> Composed {
    compose_with(scene, layout, today, BidiMarkup::Isolates)
}

/// The layout as an SVG file for other programs (browsers, Inkscape): Persian text carries
/// `direction="rtl"` instead of isolate characters.
pub fn compose_svg_file(scene: &LayoutScene<'_>, layout: &Layout, today: GregorianDate) -> String {
    compose_file(scene, layout, today).svg
}

/// [`compose_svg_file`] with the item boxes and what went wrong on the way.
pub fn compose_file(scene: &LayoutScene<'_>, layout: &Layout, today: GregorianDate) -> Composed {
    compose_with(scene, layout, today, BidiMarkup::DirectionAttribute)
}

fn compose_with(scene: &LayoutScene<'_>, layout: &Layout, today: GregorianDate, bidi: BidiMarkup) -> Composed {
    let [w_mm, h_mm] = layout.page_mm();
    let [w, h] = [pt_from_mm(w_mm), pt_from_mm(h_mm)];
    let margin = pt_from_mm(layout.margin_mm.clamp(0.0, w_mm.min(h_mm) / 4.0));
    let sizes = Sizes::for_page(w.min(h));
    let rtl = layout.language == LayoutLanguage::Fa;
    let words = words(layout.language);
    let numbers = Numbers::for_persian(rtl);
    let mut svg = SvgWriter::new(w_mm, h_mm, bidi);
    svg.rect([0.0, 0.0], [w, h], "#ffffff", None);

    // Title block across the top.
    let page = Column {
        left: margin,
        right: w - margin,
        rtl,
    };
    let mut y = margin + sizes.title;
    let (x, anchor) = page.start();
    let title = if layout.title.trim().is_empty() {
        words.default_title
    } else {
        layout.title.as_str()
    };
    svg.text([x, y], anchor, Sizes::style(sizes.title, true, INK), title);
    let (x_end, anchor_end) = page.end();
    if !layout.organisation.is_empty() {
        svg.text(
            [x_end, y],
            anchor_end,
            Sizes::style(sizes.body, true, INK),
            &layout.organisation,
        );
    }
    let date = layout
        .date_text
        .clone()
        .unwrap_or_else(|| match (layout.calendar(), layout.language) {
            (Calendar::SolarHijri, LayoutLanguage::Fa) => SolarHijriDate::from_gregorian(today).persian_text(),
            (Calendar::SolarHijri, LayoutLanguage::En) => SolarHijriDate::from_gregorian(today).english_text(),
            (Calendar::Gregorian, LayoutLanguage::Fa) => today.persian_text(),
            (Calendar::Gregorian, LayoutLanguage::En) => today.english_text(),
        });
    let date_y = if layout.organisation.is_empty() {
        y
    } else {
        y + sizes.body * 1.4
    };
    svg.text(
        [x_end, date_y],
        anchor_end,
        Sizes::style(sizes.body, false, MUTED),
        &date,
    );
    if !layout.subtitle.is_empty() {
        y += sizes.subtitle * 1.5;
        svg.text(
            [x, y],
            anchor,
            Sizes::style(sizes.subtitle, false, MUTED),
            &layout.subtitle,
        );
    }
    let top = y + sizes.body * 1.6;

    // The foot line: attribution and author, descenders inside the margin.
    let foot_y = h - margin - sizes.small * 0.35;
    let attribution = if layout.attribution.is_empty() {
        words.default_attribution
    } else {
        layout.attribution.as_str()
    };
    // The basemap's licence asks for its attribution wherever it is shown.
    let attribution = match scene.basemap.map(|b| b.basemap.attribution.as_str()) {
        // Isolated, so a Latin attribution keeps its order in a Persian line (© first).
        Some(basemap) if !basemap.is_empty() => format!("{attribution} · {}: \u{2068}{basemap}\u{2069}", words.basemap),
        _ => attribution.to_owned(),
    };
    let attribution = attribution.as_str();
    svg.text(
        [x, foot_y],
        anchor,
        Sizes::style(sizes.small, false, MUTED),
        attribution,
    );
    if !layout.author.is_empty() {
        let author = format!("{}: {}", words.author, layout.author);
        svg.text(
            [x_end, foot_y],
            anchor_end,
            Sizes::style(sizes.small, false, MUTED),
            &author,
        );
    }
    let bottom = foot_y - sizes.small * 1.8;

    // The side column on the end side, the map on the rest.
    let landscape = w >= h;
    let side_width = (w - 2.0 * margin) * if landscape { 0.24 } else { 0.30 };
    let gap = sizes.body;
    let (side, map_left) = if rtl {
        (
            Column {
                left: margin,
                right: margin + side_width,
                rtl,
            },
            margin + side_width + gap,
        )
    } else {
        (
            Column {
                left: w - margin - side_width,
                right: w - margin,
                rtl,
            },
            margin,
        )
    };
    let map_size = [w - 2.0 * margin - side_width - gap, bottom - top];
    let bbox_m = extent_bbox_m(scene, layout);
    let frame = MapFrame::fitting([map_left, top], map_size, bbox_m);
    let map_sizes = MapSizes {
        label_pt: sizes.small,
        symbol_pt: sizes.small * 0.45,
        outline_pt: (sizes.small * 0.03).max(0.2),
    };
    let scale_bar = ScaleBar::new(&frame, sizes, rtl);
    let arrow_box = north_arrow_box(&frame, sizes, rtl);
    let mut regions = Regions {
        map: [
            frame.min_pt,
            [frame.min_pt[0] + frame.size_pt[0], frame.min_pt[1] + frame.size_pt[1]],
        ],
        scale_bar: scale_bar.as_ref().map(|s| s.plate),
        north_arrow: arrow_box,
        ..Regions::default()
    };
    let mut keep_clear = vec![arrow_box];
    keep_clear.extend(scale_bar.as_ref().map(|s| s.plate));
    let drawn = draw_map(
        &mut svg,
        scene,
        &frame,
        map_sizes,
        layout.show_labels.then(|| layout.language.language()),
        &keep_clear,
    );
    if let Some(bar) = scale_bar {
        bar.draw(&mut svg, sizes, rtl);
    }
    north_arrow(&mut svg, &frame, sizes, rtl, words);

    // Legend, then indicators, down the side column.
    let legend_top = top;
    let y = legend(
        &mut svg,
        &side,
        top + sizes.subtitle,
        sizes,
        &drawn,
        scene,
        words,
        numbers,
    );
    regions.legend = [[side.left, legend_top], [side.right, y]];
    if layout.show_indicators && !scene.plan.offices.is_empty() {
        indicators(&mut svg, &side, y + sizes.body, bottom, sizes, scene, words, numbers);
    }
    Composed {
        svg: svg.finish(),
        regions,
        basemap_problem: drawn.basemap_problem,
    }
}

/// The Web Mercator box the layout's extent asks for (the frame fits it, keeping its shape).
fn extent_bbox_m(scene: &LayoutScene<'_>, layout: &Layout) -> [[f64; 2]; 2] {
    let all = districts_bbox_m(scene, &[]).unwrap_or([[0.0, 0.0], [1.0, 1.0]]);
    match layout.extent {
        MapExtent::Everything => match offices_bbox_m(scene) {
            Some(offices) => union_boxes_m([all, offices].into_iter()).unwrap_or(all),
            None => all,
        },
        MapExtent::CurrentView => scene.view_bbox_m.unwrap_or(all),
        MapExtent::AllDistricts => all,
        MapExtent::SelectedDistricts if !scene.selected.is_empty() => {
            districts_bbox_m(scene, scene.selected).unwrap_or(all)
        }
        MapExtent::SelectedDistricts => all,
        MapExtent::AllOffices => offices_bbox_m(scene).unwrap_or(all),
    }
}

/// A scale bar of four alternating segments with a round ground length, true at the map's
/// centre, in the frame's bottom corner on the start side.
struct ScaleBar {
    /// Left end of the bar, and its top.
    min_pt: [f64; 2],
    length_pt: f64,
    height_pt: f64,
    length_text: String,
    /// The white plate behind it, which map names keep clear of.
    plate: [[f64; 2]; 2],
}

impl ScaleBar {
    fn new(frame: &MapFrame, sizes: Sizes, rtl: bool) -> Option<Self> {
        let m_per_pt = frame.ground_m_per_pt();
        let length_m = round_length_m(m_per_pt * frame.size_pt[0] * 0.25);
        if length_m <= 0.0 || !m_per_pt.is_finite() {
            return None;
        }
        let length_pt = length_m / m_per_pt;
        let length_text = length_text(length_m, rtl);
        let overhang = map_frame::estimated_width_pt(&length_text, sizes.small) / 2.0 + sizes.small * 0.5;
        let pad = sizes.body;
        let height_pt = sizes.small * 0.45;
        let y = frame.min_pt[1] + frame.size_pt[1] - pad - height_pt;
        let x0 = if rtl {
            frame.min_pt[0] + frame.size_pt[0] - pad - overhang - length_pt
        } else {
            frame.min_pt[0] + pad + overhang
        };
        let plate = [
            [x0 - overhang, y - sizes.small * 1.7],
            [x0 + length_pt + overhang, y + height_pt + sizes.small * 0.6],
        ];
        Some(Self {
            min_pt: [x0, y],
            length_pt,
            height_pt,
            length_text,
            plate,
        })
    }

    fn draw(&self, svg: &mut SvgWriter, sizes: Sizes, rtl: bool) {
        let [x0, y] = self.min_pt;
        let [min, max] = self.plate;
        svg.rect(
            min,
            [max[0] - min[0], max[1] - min[1]],
            "#ffffff",
            Some(("#bbbbbb", 0.4)),
        );
        for k in 0..4 {
            let fill = if k % 2 == 0 { INK } else { "#ffffff" };
            svg.rect(
                [x0 + self.length_pt * f64::from(k) / 4.0, y],
                [self.length_pt / 4.0, self.height_pt],
                fill,
                Some((INK, 0.4)),
            );
        }
        let style = Sizes::style(sizes.small, false, INK);
        // The bar reads from its zero end: the right end on a Persian page.
        let (zero, zero_x, end_x) = if rtl {
            ("۰", x0 + self.length_pt, x0)
        } else {
            ("0", x0, x0 + self.length_pt)
        };
        svg.text([zero_x, y - sizes.small * 0.4], Anchor::Middle, style, zero);
        svg.text([end_x, y - sizes.small * 0.4], Anchor::Middle, style, &self.length_text);
    }
}

/// The box of the north arrow in the frame's top corner on the end side.
fn north_arrow_box(frame: &MapFrame, sizes: Sizes, rtl: bool) -> [[f64; 2]; 2] {
    let size = sizes.title * 1.3;
    let pad = sizes.body;
    let left = if rtl {
        frame.min_pt[0] + pad
    } else {
        frame.min_pt[0] + frame.size_pt[0] - pad - size
    };
    let top = frame.min_pt[1] + pad;
    [
        [left - size * 0.15, top],
        [left + size * 1.15, top + size * 1.3 + sizes.body],
    ]
}

/// A north arrow in the frame's top corner on the end side (Web Mercator keeps north up).
fn north_arrow(svg: &mut SvgWriter, frame: &MapFrame, sizes: Sizes, rtl: bool, words: &Words) {
    let size = sizes.title * 1.3;
    let pad = sizes.body;
    let cx = if rtl {
        frame.min_pt[0] + pad + size / 2.0
    } else {
        frame.min_pt[0] + frame.size_pt[0] - pad - size / 2.0
    };
    let top = frame.min_pt[1] + pad + sizes.body;
    svg.circle([cx, top + size * 0.55], size * 0.62, "#ffffff", Some(("#bbbbbb", 0.4)));
    svg.raw(&format!(
        r##"<path d="M{cx} {top}L{r} {b}L{cx} {m}Z" fill="{INK}"/><path d="M{cx} {top}L{l} {b}L{cx} {m}Z" fill="#ffffff" stroke="{INK}" stroke-width="0.6"/>
"##,
        r = cx + size * 0.3,
        l = cx - size * 0.3,
        b = top + size,
        m = top + size * 0.75,
    ));
    svg.text(
        [cx, top - sizes.small * 0.2],
        Anchor::Middle,
        Sizes::style(sizes.body, true, INK),
        words.north,
    );
}

/// The legend from what the map drew; returns the y below it.
#[allow(clippy::too_many_arguments)]
fn legend(
    svg: &mut SvgWriter,
    column: &Column,
    mut y: f64,
    sizes: Sizes,
    drawn: &DrawnOnMap,
    scene: &LayoutScene<'_>,
    words: &Words,
    numbers: Numbers,
) -> f64 {
    let (x, anchor) = column.start();
    svg.text([x, y], anchor, Sizes::style(sizes.subtitle, true, INK), words.legend);
    y += sizes.subtitle * 0.6;
    let swatch = sizes.body * 1.2;
    let text_x = column.inset(swatch + sizes.body * 0.6);
    let swatch_x = if column.rtl { column.right - swatch } else { column.left };
    let outline = hex(palette::OUTLINE);
    // Labels wrap to the column: a long one takes two lines rather than the margin.
    let label_width = column.right - column.left - swatch - sizes.body * 0.6;
    let row = |svg: &mut SvgWriter, y: &mut f64, draw: &dyn Fn(&mut SvgWriter, [f64; 2]), label: &str| {
        *y += swatch * 1.5;
        draw(svg, [swatch_x, *y - swatch]);
        for (k, part) in wrap_to_width(label, label_width, sizes.body).iter().enumerate() {
            if k > 0 {
                *y += sizes.body * 1.25;
            }
            svg.text(
                [text_x, *y - swatch * 0.2],
                anchor,
                Sizes::style(sizes.body, false, INK),
                part,
            );
        }
    };
    let square = |fill: String| {
        let outline = outline.clone();
        move |svg: &mut SvgWriter, at: [f64; 2]| svg.rect(at, [swatch, swatch], &fill, Some((&outline, 0.5)))
    };
    if let Some(theme) = scene.theme.filter(|_| scene.plan.districts_shown()) {
        // The theme's title (the field, or a built-in value in the page's words), then a row
        // per class or category.
        let title = match StyleValue::parse(&theme.legend.title) {
            StyleValue::AreaKm2 => words.area_km2.to_string(),
            StyleValue::DensityPerKm2 => words.density_per_km2.to_string(),
            StyleValue::Field(_) => theme.legend.title.clone(),
        };
        for (k, part) in wrap_to_width(&title, column.right - column.left, sizes.body)
            .iter()
            .enumerate()
        {
            y += if k == 0 { sizes.body * 1.6 } else { sizes.body * 1.25 };
            svg.text([x, y], anchor, Sizes::style(sizes.body, true, INK), part);
        }
        for entry in &theme.legend.entries {
            let label = entry.text(numbers, theme.legend.places, words.no_data, words.other_categories);
            row(svg, &mut y, &square(hex(entry.fill)), &label);
        }
    }
    // Without marginal settlements on the map there is nothing to tell formal districts from.
    let formal = if drawn.marginal { words.formal } else { words.district };
    if drawn.formal {
        row(svg, &mut y, &square(hex(palette::FORMAL)), formal);
    }
    if drawn.marginal {
        row(svg, &mut y, &square(hex(palette::MARGINAL)), words.marginal);
    }
    // Reached districts: one swatch per kind drawn reached, side by side, in one row.
    let reached: Vec<palette::Rgb> = [
        (drawn.covered_formal, palette::FORMAL),
        (drawn.covered_marginal, palette::MARGINAL),
    ]
    .into_iter()
    .filter(|(drawn, _)| *drawn)
    .map(|(_, kind)| palette::covered_fill(kind, 1.0))
    .collect();
    if !reached.is_empty() {
        let outline = outline.clone();
        let halves = move |svg: &mut SvgWriter, at: [f64; 2]| {
            let w = swatch / reached.len() as f64;
            for (k, rgb) in reached.iter().enumerate() {
                svg.rect([at[0] + w * k as f64, at[1]], [w, swatch], &hex(*rgb), None);
            }
            svg.rect(at, [swatch, swatch], "none", Some((&outline, 0.5)));
        };
        row(svg, &mut y, &halves, words.covered);
    }
    if drawn.catchments {
        let radius = numbers.count(scene.plan.radius_m.round().max(0.0) as u64);
        let label = words.catchment.replace("{}", &radius);
        let circle = |svg: &mut SvgWriter, at: [f64; 2]| {
            svg.circle(
                [at[0] + swatch / 2.0, at[1] + swatch / 2.0],
                swatch * 0.45,
                "none",
                Some((&hex(palette::CATCHMENT), 1.0)),
            );
        };
        row(svg, &mut y, &circle, &label);
    }
    for &status in &drawn.statuses {
        let (fill, ring) = palette::office_colors(status);
        let (fill, ring) = (hex(fill), hex(ring));
        let draw = move |svg: &mut SvgWriter, at: [f64; 2]| {
            symbol(
                svg,
                [at[0] + swatch / 2.0, at[1] + swatch / 2.0],
                swatch * 0.35,
                status,
                &fill,
                &ring,
            );
        };
        let label = match status {
            OfficeStatus::Proposed => words.proposed,
            OfficeStatus::Approved => words.approved,
            OfficeStatus::Operating => words.operating,
        };
        row(svg, &mut y, &draw, label);
    }
    // Reference layers, the top one first, as the map stacks them.
    for layer in drawn.reference.iter().rev() {
        let style = layer.style.clone();
        let kinds = layer.kinds;
        let draw = move |svg: &mut SvgWriter, at: [f64; 2]| reference_swatch(svg, at, swatch, &style, kinds);
        row(svg, &mut y, &draw, &layer.name);
    }
    y + sizes.body
}

/// A reference layer's legend swatch: its point symbol, else a stretch of its line, else a box
/// in its fill and outline.
fn reference_swatch(svg: &mut SvgWriter, at: [f64; 2], swatch: f64, style: &LayerStyle, [points, lines, _]: [bool; 3]) {
    let centre = [at[0] + swatch / 2.0, at[1] + swatch / 2.0];
    let stroke = hex(style.stroke);
    let width = f64::from(style.stroke_width_pt);
    if points {
        let mut data = PathData::default();
        let r = (f64::from(style.symbol_size_pt) / 2.0).min(swatch / 2.0);
        symbol_path(&mut data, style.symbol, centre, r);
        svg.path(&data, &stroke, Some(("#ffffff", 0.6)));
    } else if lines {
        let mut data = PathData::default();
        data.line(&[[at[0], centre[1]], [at[0] + swatch, centre[1]]]);
        let dash = style.dash.pattern().map(|[on, off]| [on * width, off * width]);
        svg.stroked_path(&data, &stroke, width, dash);
    } else {
        let fill = style.fill.map_or("none".to_string(), hex);
        svg.rect(at, [swatch, swatch], &fill, Some((&stroke, width)));
    }
}

/// The coverage summary and the offices, down to `bottom`. The office list fits the column:
/// each line is cut to its width, a long list goes into two columns in smaller text, and what
/// does not fit is counted ("and 12 more").
#[allow(clippy::too_many_arguments)]
fn indicators(
    svg: &mut SvgWriter,
    column: &Column,
    mut y: f64,
    bottom: f64,
    sizes: Sizes,
    scene: &LayoutScene<'_>,
    words: &Words,
    numbers: Numbers,
) {
    let Some(coverage) = scene.coverage else { return };
    let s = &coverage.summary;
    let (x, anchor) = column.start();
    let (x_end, anchor_end) = column.end();
    y += sizes.subtitle;
    svg.text(
        [x, y],
        anchor,
        Sizes::style(sizes.subtitle, true, INK),
        words.indicators,
    );
    let mut rows: Vec<(&str, String)> = vec![(words.offices, numbers.count(s.offices as u64))];
    if let Some(share) = s.population_share {
        rows.push((words.population_reached, numbers.percent(share, 1)));
    }
    rows.push((
        words.marginal_reached,
        numbers.ratio(s.marginal_reached as u64, s.marginal_total as u64),
    ));
    if let (Some(mean), Some(worst)) = (s.mean_nearest_m, s.worst_nearest_m) {
        rows.push((words.mean_distance, numbers.metres(mean)));
        rows.push((words.worst_distance, numbers.metres(worst)));
    }
    let line = sizes.body * 1.45;
    for (label, value) in rows {
        y += line;
        svg.text([x, y], anchor, Sizes::style(sizes.body, false, INK), label);
        svg.text([x_end, y], anchor_end, Sizes::style(sizes.body, true, INK), &value);
    }
    y += line * 1.2;
    svg.text([x, y], anchor, Sizes::style(sizes.body, true, INK), words.offices);
    let with_districts: Vec<String> = scene
        .plan
        .offices
        .iter()
        .map(|o| {
            let district = scene
                .layer
                .district_at(o.lon_lat[0], o.lon_lat[1])
                .map(|i| scene.layer.label_in(i, words.language).into_owned())
                .unwrap_or_default();
            if district.is_empty() || o.name.contains(&district) {
                o.name.clone()
            } else {
                format!("{} — {district}", o.name)
            }
        })
        .collect();
    let names: Vec<String> = scene.plan.offices.iter().map(|o| o.name.clone()).collect();
    office_list(svg, column, y, bottom, sizes, [&with_districts, &names], words, numbers);
}

/// The office lines under `top`, down to `bottom`: the first of `choices` (with their
/// districts, then names alone) in as many columns (one or two) and as large a text as lets every
/// office fit; else as many as fit, and the rest counted.
#[allow(clippy::too_many_arguments)]
fn office_list(
    svg: &mut SvgWriter,
    column: &Column,
    top: f64,
    bottom: f64,
    sizes: Sizes,
    choices: [&[String]; 2],
    words: &Words,
    numbers: Numbers,
) {
    let width = column.right - column.left;
    let gap = sizes.small;
    let widest = |lines: &[String], size: f64| {
        lines
            .iter()
            .map(|l| map_frame::estimated_width_pt(l, size))
            .fold(0.0, f64::max)
    };
    let fits = |lines: &[String], size: f64, columns: usize| {
        let per_column = ((bottom - top) / (size * 1.45)).floor().max(0.0) as usize;
        let column_width = (width - gap * (columns as f64 - 1.0)) / columns as f64;
        per_column * columns >= lines.len() && (columns == 1 || widest(lines, size) <= column_width)
    };
    // One column in the small size, else smaller, else two columns (when every line fits half
    // the width: a cut name is worse than a shorter list), with districts, then without.
    let small = sizes.small * 0.8;
    let [full, short] = choices;
    let (lines, size, columns) = [
        (full, sizes.small, 1),
        (full, small, 1),
        (full, small, 2),
        (short, small, 2),
    ]
    .into_iter()
    .find(|&(lines, size, columns)| fits(lines, size, columns))
    .unwrap_or(if widest(short, small) <= (width - gap) / 2.0 {
        (short, small, 2)
    } else {
        (full, small, 1)
    });
    let line = size * 1.45;
    let per_column = ((bottom - top) / line).floor().max(0.0) as usize;
    let capacity = per_column * columns;
    let shown = if lines.len() > capacity {
        capacity.saturating_sub(1)
    } else {
        lines.len()
    };
    let column_width = (width - gap * (columns as f64 - 1.0)) / columns as f64;
    let style = Sizes::style(size, false, INK);
    for (k, text) in lines.iter().take(shown).enumerate() {
        let (c, r) = (k / per_column.max(1), k % per_column.max(1));
        let sub = Column {
            left: if column.rtl {
                column.right - (c as f64 + 1.0) * column_width - c as f64 * gap
            } else {
                column.left + c as f64 * (column_width + gap)
            },
            right: if column.rtl {
                column.right - c as f64 * (column_width + gap)
            } else {
                column.left + c as f64 * (column_width + gap) + column_width
            },
            rtl: column.rtl,
        };
        let (x, anchor) = sub.start();
        let y = top + line * (r as f64 + 1.0);
        svg.text([x, y], anchor, style, &fit_to_width(text, column_width, size));
    }
    if shown < lines.len() {
        let more = words.more.replace("{}", &numbers.count((lines.len() - shown) as u64));
        let (c, r) = (shown / per_column.max(1), shown % per_column.max(1));
        let x = if column.rtl {
            column.right - c as f64 * (column_width + gap)
        } else {
            column.left + c as f64 * (column_width + gap)
        };
        let anchor = column.start().1;
        let y = top + line * (r as f64 + 1.0);
        svg.text([x, y], anchor, Sizes::style(size, false, MUTED), &more);
    }
}

/// `text` in lines of whole words that fit `width_pt` at `size_pt` (a word longer than the width
/// gets a line of its own).
fn wrap_to_width(text: &str, width_pt: f64, size_pt: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if map_frame::estimated_width_pt(&format!("{line} {word}"), size_pt) <= width_pt => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// `text` cut (with "…") to what fits `width_pt` at `size_pt`, by the layout's estimate of text
/// width.
fn fit_to_width(text: &str, width_pt: f64, size_pt: f64) -> String {
    if map_frame::estimated_width_pt(text, size_pt) <= width_pt {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if map_frame::estimated_width_pt(&next, size_pt) > width_pt {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}
