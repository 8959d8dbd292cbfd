//! The map frame of a layout, as vectors: districts filled by kind and coverage, catchment
//! circles, office symbols and names that do not collide, clipped to the frame.

use geo::{Distance, Geodesic, Point};

use super::svg_writer::{Anchor, PathData, SvgWriter, TextStyle, hex};
use crate::analysis::geodesic_circle;
use crate::map::extent::union_boxes_m;
use crate::map::palette::{self, Rgb};
use crate::map::{lon_lat_from_mercator, mercator_from_lon_lat, simplify_ring};
use crate::model::OfficeStatus;
use crate::text::Language;

use super::LayoutScene;

/// Rings are simplified to this many points on the page: finer than print can show.
const SIMPLIFY_PT: f64 = 0.15;
/// Vertices of a printed catchment circle.
const CIRCLE_SEGMENTS: usize = 96;

/// Where the map sits on the page and how Web Mercator metres land there.
#[derive(Clone, Copy, Debug)]
pub struct MapFrame {
    /// Top-left corner of the frame, points.
    pub min_pt: [f64; 2],
    /// Width and height, points.
    pub size_pt: [f64; 2],
    /// Web Mercator point at the frame's centre.
    pub centre_m: [f64; 2],
    /// Points per Web Mercator metre.
    pub pt_per_m: f64,
}

impl MapFrame {
    /// A frame at `min_pt` of `size_pt` showing all of `bbox_m` (Web Mercator), centred, with a
    /// little room around it.
    pub fn fitting(min_pt: [f64; 2], size_pt: [f64; 2], bbox_m: [[f64; 2]; 2]) -> Self {
        let span = [
            (bbox_m[1][0] - bbox_m[0][0]).max(1.0),
            (bbox_m[1][1] - bbox_m[0][1]).max(1.0),
        ];
        let pt_per_m = (size_pt[0] / span[0]).min(size_pt[1] / span[1]) * 0.96;
        Self {
            min_pt,
            size_pt,
            centre_m: [(bbox_m[0][0] + bbox_m[1][0]) / 2.0, (bbox_m[0][1] + bbox_m[1][1]) / 2.0],
            pt_per_m,
        }
    }

    /// Page position of a Web Mercator point.
    pub fn page_from_m(&self, p: [f64; 2]) -> [f64; 2] {
        [
            self.min_pt[0] + self.size_pt[0] / 2.0 + (p[0] - self.centre_m[0]) * self.pt_per_m,
            self.min_pt[1] + self.size_pt[1] / 2.0 - (p[1] - self.centre_m[1]) * self.pt_per_m,
        ]
    }

    /// Page position of a longitude/latitude.
    pub fn page_from_lon_lat(&self, lon_lat: [f64; 2]) -> [f64; 2] {
        self.page_from_m(mercator_from_lon_lat(lon_lat[0], lon_lat[1]))
    }

    /// The Web Mercator box the frame shows.
    pub fn visible_m(&self) -> [[f64; 2]; 2] {
        let half = [
            self.size_pt[0] / 2.0 / self.pt_per_m,
            self.size_pt[1] / 2.0 / self.pt_per_m,
        ];
        [
            [self.centre_m[0] - half[0], self.centre_m[1] - half[1]],
            [self.centre_m[0] + half[0], self.centre_m[1] + half[1]],
        ]
    }

    /// Ground metres per page point at the frame's centre, measured on the ellipsoid along the
    /// parallel (Web Mercator stretches distances by 1/cos(latitude)).
    pub fn ground_m_per_pt(&self) -> f64 {
        let step_pt = 100.0;
        let [lon0, lat0] = lon_lat_from_mercator(self.centre_m[0], self.centre_m[1]);
        let [lon1, lat1] = lon_lat_from_mercator(self.centre_m[0] + step_pt / self.pt_per_m, self.centre_m[1]);
        Geodesic.distance(Point::new(lon0, lat0), Point::new(lon1, lat1)) / step_pt
    }

    fn contains(&self, p: [f64; 2]) -> bool {
        (self.min_pt[0]..=self.min_pt[0] + self.size_pt[0]).contains(&p[0])
            && (self.min_pt[1]..=self.min_pt[1] + self.size_pt[1]).contains(&p[1])
    }
}

/// What the map frame drew, for the legend.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DrawnOnMap {
    /// Formal districts were drawn.
    pub formal: bool,
    /// Marginal settlements were drawn.
    pub marginal: bool,
    /// Some drawn formal district is reached by an office.
    pub covered_formal: bool,
    /// Some drawn marginal settlement is reached by an office.
    pub covered_marginal: bool,
    /// Catchment circles were drawn.
    pub catchments: bool,
    /// Office statuses drawn, in status order.
    pub statuses: Vec<OfficeStatus>,
    /// A basemap picture was drawn under the districts.
    pub basemap: bool,
    /// Tiles of the basemap that could not be read (left blank).
    pub basemap_bad_tiles: usize,
    /// The basemap could not be drawn at all: why.
    pub basemap_problem: Option<String>,
    /// Reference layers that drew something, bottom first.
    pub reference: Vec<super::reference_frame::DrawnLayer>,
}

/// Sizes of map marks, points.
#[derive(Clone, Copy, Debug)]
pub struct MapSizes {
    /// District and office name size.
    pub label_pt: f64,
    /// Office symbol radius.
    pub symbol_pt: f64,
    /// District outline width.
    pub outline_pt: f64,
}

/// Draws the map into `frame`, with district names in `labels` (none without); names keep
/// clear of the `keep_clear` boxes (scale bar, north arrow).
pub fn draw_map(
    svg: &mut SvgWriter,
    scene: &LayoutScene<'_>,
    frame: &MapFrame,
    sizes: MapSizes,
    labels: Option<Language>,
    keep_clear: &[[[f64; 2]; 2]],
) -> DrawnOnMap {
    let mut drawn = DrawnOnMap::default();
    let layer = scene.layer;
    svg.raw(&format!(
        r#"<defs><clipPath id="map-frame"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>
<g clip-path="url(#map-frame)">
"#,
        frame.min_pt[0], frame.min_pt[1], frame.size_pt[0], frame.size_pt[1]
    ));
    svg.rect(frame.min_pt, frame.size_pt, &hex(palette::BACKGROUND), None);
    let visible = frame.visible_m();
    if let Some(on_page) = scene.basemap {
        match on_page.basemap.image_href(visible, frame.size_pt, on_page.dpi) {
            Ok(Some((href, bad_tiles))) => {
                svg.raw(&format!(
                    r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" href="{href}"/>
"#,
                    frame.min_pt[0], frame.min_pt[1], frame.size_pt[0], frame.size_pt[1]
                ));
                drawn.basemap = true;
                drawn.basemap_bad_tiles = bad_tiles;
            }
            Ok(None) => {}
            Err(e) => drawn.basemap_problem = Some(e.to_string()),
        }
    }

    let (under, over) = scene
        .reference
        .split_at(scene.reference_under.min(scene.reference.len()));
    drawn.reference = super::reference_frame::draw_reference_layers(svg, under, frame);

    // Districts, one path per fill colour (translucent over a basemap).
    // Hidden districts are neither filled nor named; the frame is still theirs.
    let shown = scene.plan.districts_shown();
    let visible_districts: Vec<usize> = (0..layer.districts.len())
        .filter(|_| shown)
        .filter(|&i| {
            let b = layer.bbox_m(i);
            b[0][0] <= visible[1][0] && b[1][0] >= visible[0][0] && b[0][1] <= visible[1][1] && b[1][1] >= visible[0][1]
        })
        .collect();
    let mut by_fill: Vec<(Rgb, PathData)> = Vec::new();
    for &i in &visible_districts {
        let fill = match scene.theme {
            // A theme's colours are the data: coverage shading would change what they say.
            Some(theme) => theme.fills.get(i).copied().unwrap_or(crate::style::NO_DATA),
            None => plain_fill(scene, i, &mut drawn),
        };
        let data = match by_fill.iter_mut().find(|(f, _)| *f == fill) {
            Some((_, data)) => data,
            None => {
                by_fill.push((fill, PathData::default()));
                let Some((_, data)) = by_fill.last_mut() else { continue };
                data
            }
        };
        for polygon in &layer.districts[i].shape_lon_lat {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let page: Vec<[f64; 2]> = ring.0.iter().map(|c| frame.page_from_lon_lat([c.x, c.y])).collect();
                data.ring(&simplify_ring(&page, SIMPLIFY_PT));
            }
        }
    }
    let outline = hex(palette::OUTLINE);
    let over_basemap = scene.basemap.filter(|_| drawn.basemap);
    if let Some(on_page) = over_basemap {
        svg.raw(&format!("<g fill-opacity=\"{}\">\n", on_page.basemap.districts_opacity));
    }
    for (fill, data) in &by_fill {
        svg.path(data, &hex(*fill), Some((&outline, sizes.outline_pt)));
    }
    if over_basemap.is_some() {
        svg.raw("</g>\n");
    }
    drawn
        .reference
        .extend(super::reference_frame::draw_reference_layers(svg, over, frame));

    // Catchments, then offices over them.
    let offices = &scene.plan.offices;
    if !offices.is_empty() {
        let mut circles = PathData::default();
        for o in offices {
            let ring: Vec<[f64; 2]> = geodesic_circle(o.lon_lat, scene.plan.radius_m, CIRCLE_SEGMENTS)
                .exterior()
                .0
                .iter()
                .map(|c| frame.page_from_lon_lat([c.x, c.y]))
                .collect();
            circles.ring(&ring);
        }
        drawn.catchments = true;
        svg.path(
            &circles,
            "none",
            Some((&hex(palette::CATCHMENT), sizes.outline_pt * 2.0)),
        );
    }
    for status in OfficeStatus::ALL {
        let (fill, ring) = palette::office_colors(status);
        let (fill, ring) = (hex(fill), hex(ring));
        let mut any = false;
        for o in offices.iter().filter(|o| o.status == status) {
            let at = frame.page_from_lon_lat(o.lon_lat);
            if !frame.contains(at) {
                continue;
            }
            any = true;
            symbol(svg, at, sizes.symbol_pt, status, &fill, &ring);
        }
        if any {
            drawn.statuses.push(status);
        }
    }
    if let Some(language) = labels {
        // Reference layers' names first: district names keep clear of them.
        let mut clear = keep_clear.to_vec();
        clear.extend(super::reference_frame::draw_reference_labels(
            svg,
            scene.reference,
            frame,
            keep_clear,
        ));
        draw_labels(svg, scene, frame, sizes, &visible_districts, &clear, language);
    }
    svg.raw("</g>\n");
    svg.rect(frame.min_pt, frame.size_pt, "none", Some(("#333333", 0.8)));
    drawn
}

/// District `i`'s plain fill (formal or marginal) shaded by the share offices reach, noting
/// what it drew for the legend.
fn plain_fill(scene: &LayoutScene<'_>, i: usize, drawn: &mut DrawnOnMap) -> Rgb {
    let kind = palette::district_fill(&scene.layer.districts, i);
    drawn.formal |= kind == palette::FORMAL;
    drawn.marginal |= kind == palette::MARGINAL;
    let covered = scene
        .coverage
        .and_then(|c| c.districts.get(i))
        .map_or(0.0, |c| c.covered_fraction);
    drawn.covered_formal |= covered > 0.0 && kind == palette::FORMAL;
    drawn.covered_marginal |= covered > 0.0 && kind == palette::MARGINAL;
    palette::covered_fill(kind, covered)
}

/// An office symbol as on screen: a disc by status with a dark outline.
pub fn symbol(svg: &mut SvgWriter, at: [f64; 2], radius: f64, status: OfficeStatus, fill: &str, ring: &str) {
    svg.circle(at, radius * 1.2, "#282828", None);
    svg.circle(at, radius, fill, Some((ring, radius * 0.35)));
    if status == OfficeStatus::Operating {
        svg.circle(at, radius * 0.35, "#ffffff", None);
    }
}

/// Office names first, then district names by size on the page, each skipped when it would
/// overlap one already placed or leave the frame.
fn draw_labels(
    svg: &mut SvgWriter,
    scene: &LayoutScene<'_>,
    frame: &MapFrame,
    sizes: MapSizes,
    districts: &[usize],
    keep_clear: &[[[f64; 2]; 2]],
    language: Language,
) {
    let layer = scene.layer;
    // Office symbols are kept clear of names.
    let mut placed: Vec<[[f64; 2]; 2]> = scene
        .plan
        .offices
        .iter()
        .map(|o| {
            let [x, y] = frame.page_from_lon_lat(o.lon_lat);
            let r = sizes.symbol_pt * 1.3;
            [[x - r, y - r], [x + r, y + r]]
        })
        .chain(keep_clear.iter().copied())
        .collect();
    let mut try_place = |svg: &mut SvgWriter, at: [f64; 2], text: &str, style: TextStyle| {
        let width = estimated_width_pt(text, style.size_pt) * if style.bold { 1.1 } else { 1.0 };
        let h = style.size_pt;
        let b = [
            [at[0] - width / 2.0, at[1] - h * 1.0],
            [at[0] + width / 2.0, at[1] + h * 0.35],
        ];
        let inside = frame.contains(b[0]) && frame.contains(b[1]);
        let free = placed
            .iter()
            .all(|p| b[1][0] < p[0][0] || b[0][0] > p[1][0] || b[1][1] < p[0][1] || b[0][1] > p[1][1]);
        let placeable = inside && free && !text.trim().is_empty();
        if placeable {
            svg.text(at, Anchor::Middle, style, text);
            placed.push(b);
        }
        placeable
    };
    let office_style = TextStyle {
        size_pt: sizes.label_pt,
        bold: true,
        color: "#202028",
        halo: true,
    };
    // Offices whose symbols overlap on the page share one label; each label tries above its
    // symbol, then below, then beside it.
    for (at, names) in office_label_groups(scene, frame, sizes.symbol_pt * 1.5) {
        let persian = names.iter().any(|n| crate::text::is_mostly_arabic_script(n));
        let text = names.join(if persian { "، " } else { ", " });
        let width = estimated_width_pt(&text, office_style.size_pt) * 1.1;
        let clear = sizes.symbol_pt * 1.4;
        let h = office_style.size_pt;
        let spots = [
            [at[0], at[1] - clear - h * 0.36],
            [at[0], at[1] + clear + h * 1.0],
            [at[0] + clear + width / 2.0, at[1] + h * 0.35],
            [at[0] - clear - width / 2.0, at[1] + h * 0.35],
        ];
        for spot in spots {
            if try_place(svg, spot, &text, office_style) {
                break;
            }
        }
    }
    let district_style = TextStyle {
        size_pt: sizes.label_pt * 0.85,
        bold: false,
        color: "#202028",
        halo: true,
    };
    // Largest on the page first; a name wider than its district is left out.
    let mut by_size: Vec<(f64, usize)> = districts
        .iter()
        .map(|&i| {
            let b = layer.bbox_m(i);
            ((b[1][0] - b[0][0]) * frame.pt_per_m, i)
        })
        .collect();
    by_size.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (width_pt, i) in by_size {
        let name = layer.label_in(i, language);
        if estimated_width_pt(&name, district_style.size_pt) > width_pt * 1.1 {
            continue;
        }
        let at = frame.page_from_m(layer.anchor_m(i));
        try_place(
            svg,
            [at[0], at[1] + district_style.size_pt * 0.35],
            &name,
            district_style,
        );
    }
}

/// The offices inside the frame grouped where their symbols overlap (closer than `apart_pt`):
/// each group's page position (its first office's) and names, in plan order.
fn office_label_groups(scene: &LayoutScene<'_>, frame: &MapFrame, apart_pt: f64) -> Vec<([f64; 2], Vec<String>)> {
    let mut groups: Vec<([f64; 2], Vec<String>)> = Vec::new();
    for o in &scene.plan.offices {
        let at = frame.page_from_lon_lat(o.lon_lat);
        if !frame.contains(at) || o.name.trim().is_empty() {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(g, _)| (g[0] - at[0]).hypot(g[1] - at[1]) < apart_pt)
        {
            Some((_, names)) => names.push(o.name.clone()),
            None => groups.push((at, vec![o.name.clone()])),
        }
    }
    groups
}

/// A rough width of a line of Vazirmatn text: joined Persian letters and Latin both average about
/// half the font size.
pub fn estimated_width_pt(text: &str, size_pt: f64) -> f64 {
    text.chars().filter(|c| !is_format_char(*c)).count() as f64 * size_pt * 0.5
}

fn is_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{2066}'..='\u{2069}'
    )
}

/// The Web Mercator box of the districts `ids`; with none, the layer's main area (a few
/// far-flung districts, such as islands across the antimeridian, left out).
pub fn districts_bbox_m(scene: &LayoutScene<'_>, ids: &[usize]) -> Option<[[f64; 2]; 2]> {
    let layer = scene.layer;
    if ids.is_empty() {
        return layer.main_area_m();
    }
    union_boxes_m(
        ids.iter()
            .filter(|&&i| i < layer.districts.len())
            .map(|&i| layer.bbox_m(i)),
    )
}

/// The Web Mercator box of all offices with their catchments.
pub fn offices_bbox_m(scene: &LayoutScene<'_>) -> Option<[[f64; 2]; 2]> {
    let radius_m = scene.plan.radius_m;
    union_boxes_m(scene.plan.offices.iter().map(|o| {
        let [x, y] = mercator_from_lon_lat(o.lon_lat[0], o.lon_lat[1]);
        // A ground metre is 1/cos(latitude) Web Mercator metres.
        let r = radius_m / o.lon_lat[1].to_radians().cos().max(0.01);
        [[x - r, y - r], [x + r, y + r]]
    }))
}
