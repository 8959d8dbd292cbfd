//! One vector tile (MVT) drawn into an RGBA tile with the built-in style: decoded with
//! `mvt-reader`, drawn with tiny-skia (the rasteriser the layouts already use), antialiased.

use mvt_reader::Reader;
use mvt_reader::feature::Value;
use resvg::tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint as SkPaint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use super::labels::{StreetName, TilePoint, draw_points};
use super::style::{self, FeatureKind, GeometryKind, Paint, Rgba, Symbol};
use crate::basemap::{RgbaTile, TILE_SIZE_PX};

/// A decoded vector tile: each drawn feature's geometry in fractions of the tile from its top
/// left (0..1 inside it; a tile's buffer lies a little beyond), ready to draw.
pub struct DecodedTile {
    /// Every drawable feature's symbol (casings included) and shape, in drawing order.
    items: Vec<(Symbol, usize)>,
    shapes: Vec<Shape>,
    /// Places and points of interest, drawn over the shapes.
    points: Vec<TilePoint>,
    /// Named roads, named along their lines.
    streets: Vec<StreetName>,
}

/// A feature's geometry as rings or lines in fractions of the tile, and their bounding box.
struct Shape {
    parts: Vec<Vec<[f32; 2]>>,
    bounds: [[f32; 2]; 2],
}

impl DecodedTile {
    /// Decodes `bytes` (a raw, not gzipped, MVT tile): the error says why they are not one.
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        let reader = Reader::new(bytes.to_vec()).map_err(|e| format!("not a vector tile: {e}"))?;
        let layers = reader
            .get_layer_metadata()
            .map_err(|e| format!("not a vector tile: {e}"))?;
        let (mut items, mut shapes, mut points, mut streets) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for layer in &layers {
            // Positions are normalised to 0..1 of the tile, whatever each layer's extent.
            let per_unit = 1.0 / layer.extent.max(1) as f32;
            // A damaged layer is left out; the rest of the tile is still drawn.
            let Ok(features) = reader.get_features(layer.layer_index) else {
                continue;
            };
            for feature in features {
                let text = |key: &str| match feature.properties.as_ref()?.get(key) {
                    Some(Value::String(s)) => Some(s.as_str()),
                    _ => None,
                };
                let class = style::class_of(|key| text(key).or_else(|| style::hstore_value(text("other_tags")?, key)));
                let Some((geometry, parts)) = parts_of(&feature.geometry, per_unit) else {
                    continue;
                };
                if geometry == GeometryKind::Point {
                    let Some(style) = style::point_style(&layer.name, &class) else {
                        continue;
                    };
                    let name = style::NAME_KEYS
                        .iter()
                        .find_map(|k| text(k).filter(|s| !s.trim().is_empty()).map(str::to_owned));
                    points.extend(parts.iter().filter_map(|p| p.first()).map(|&at| TilePoint {
                        at,
                        style,
                        name: name.clone(),
                    }));
                    continue;
                }
                if geometry == GeometryKind::Line
                    && let Some(min_zoom) = style::street_name_min_zoom(&class)
                    && let Some(name) = style::NAME_KEYS
                        .iter()
                        .find_map(|k| text(k).filter(|s| !s.trim().is_empty()))
                {
                    streets.push(StreetName {
                        parts: parts.clone(),
                        name: name.to_owned(),
                        min_zoom,
                    });
                }
                let Some(symbol) = style::symbol_for(FeatureKind {
                    geometry,
                    layer: &layer.name,
                    class: &class,
                }) else {
                    continue;
                };
                if let Some(casing) = style::casing_of(&symbol) {
                    items.push((casing, shapes.len()));
                }
                items.push((symbol, shapes.len()));
                shapes.push(Shape::new(parts));
            }
        }
        // Stable: features of one order keep the tile's order.
        items.sort_by_key(|(symbol, _)| symbol.order);
        Ok(Self {
            items,
            shapes,
            points,
            streets,
        })
    }

    /// Draws the part `uv` (`[[u0, v0], [u1, v1]]`, fractions of the tile from its top left) of
    /// this tile for zoom level `z`, into a square of 256 pixels times `pixel_ratio` (more for
    /// print: line widths and names keep their size on paper).
    pub fn draw(&self, uv: [[f32; 2]; 2], z: u8, pixel_ratio: f32) -> Result<RgbaTile, String> {
        let pixel_ratio = pixel_ratio.clamp(0.25, 16.0);
        let size_px = (TILE_SIZE_PX as f32 * pixel_ratio).round() as u32;
        let mut pixmap = Pixmap::new(size_px, size_px).ok_or("drawn zero pixels wide")?;
        pixmap.fill(color(style::LAND));
        let [[u0, v0], [u1, v1]] = uv;
        let scale = size_px as f32 / (u1 - u0).max(f32::EPSILON);
        let transform = Transform::from_row(scale, 0.0, 0.0, scale, -u0 * scale, -v0 * scale);
        // Tile units per screen pixel (a 256-pixel tile's pixel at ratio 1).
        let unit = pixel_ratio / scale;
        // Road widths grow with the zoom level, as on the web maps planners know: doubling
        // every two levels around zoom 14.
        let widen = 2f32.powf((f32::from(z) - 14.0) / 2.0).clamp(0.35, 6.0);
        // Part of the tile shown, with a margin for wide lines; features outside are skipped.
        let margin = 8.0 * unit;
        let view = [[u0 - margin, v0 - margin], [u1 + margin, v1 + margin]];
        for (symbol, shape) in &self.items {
            let Some(shape) = self.shapes.get(*shape) else { continue };
            if !shape.meets(view) {
                continue;
            }
            let closed = matches!(symbol.paint, Paint::Fill { .. });
            let Some(path) = shape.path(closed) else { continue };
            match symbol.paint {
                Paint::Fill { color: fill, edge } => {
                    pixmap.fill_path(&path, &paint(fill), FillRule::EvenOdd, transform, None);
                    if let Some(edge) = edge {
                        let stroke = Stroke {
                            width: 0.6 * unit,
                            ..Stroke::default()
                        };
                        pixmap.stroke_path(&path, &paint(edge), &stroke, transform, None);
                    }
                }
                Paint::Line {
                    color: line,
                    width_px,
                    dashed,
                } => {
                    let width = (width_px * widen).max(0.6) * unit;
                    let stroke = Stroke {
                        width,
                        line_cap: if dashed { LineCap::Butt } else { LineCap::Round },
                        line_join: LineJoin::Round,
                        dash: dashed
                            .then(|| StrokeDash::new(vec![4.0 * unit, 3.0 * unit], 0.0))
                            .flatten(),
                        ..Stroke::default()
                    };
                    pixmap.stroke_path(&path, &paint(line), &stroke, transform, None);
                }
            }
        }
        draw_points(&mut pixmap, &self.points, &self.streets, uv, z, pixel_ratio);
        Ok(RgbaTile {
            width: size_px,
            height: size_px,
            pixels: pixmap.take_demultiplied(),
        })
    }
}

impl Shape {
    fn new(parts: Vec<Vec<[f32; 2]>>) -> Self {
        let mut bounds = [[f32::INFINITY; 2], [f32::NEG_INFINITY; 2]];
        for p in parts.iter().flatten() {
            for k in 0..2 {
                bounds[0][k] = bounds[0][k].min(p[k]);
                bounds[1][k] = bounds[1][k].max(p[k]);
            }
        }
        Self { parts, bounds }
    }

    /// Whether the shape's box meets `view`.
    fn meets(&self, view: [[f32; 2]; 2]) -> bool {
        (0..2).all(|k| self.bounds[0][k] <= view[1][k] && self.bounds[1][k] >= view[0][k])
    }

    /// The shape as one path; rings closed when `closed`.
    fn path(&self, closed: bool) -> Option<resvg::tiny_skia::Path> {
        let mut builder = PathBuilder::new();
        for part in &self.parts {
            let Some((first, rest)) = part.split_first() else {
                continue;
            };
            builder.move_to(first[0], first[1]);
            for p in rest {
                builder.line_to(p[0], p[1]);
            }
            if closed {
                builder.close();
            }
        }
        builder.finish()
    }
}

/// The geometry's kind and its rings, lines or points, scaled by `per_unit`; `None` for an empty
/// one. (`mvt-reader` hands out `geo-types` geometries, the crate `geo` re-exports.)
fn parts_of(geometry: &geo::Geometry<f32>, per_unit: f32) -> Option<(GeometryKind, Vec<Vec<[f32; 2]>>)> {
    use geo::Geometry as G;
    let line = |l: &geo::LineString<f32>| l.0.iter().map(|c| [c.x * per_unit, c.y * per_unit]).collect();
    let polygon_rings = |p: &geo::Polygon<f32>| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(line)
            .collect::<Vec<Vec<[f32; 2]>>>()
    };
    let (kind, parts): (GeometryKind, Vec<Vec<[f32; 2]>>) = match geometry {
        G::Point(p) => (GeometryKind::Point, vec![vec![[p.x() * per_unit, p.y() * per_unit]]]),
        G::MultiPoint(m) => (
            GeometryKind::Point,
            m.0.iter().map(|p| vec![[p.x() * per_unit, p.y() * per_unit]]).collect(),
        ),
        G::LineString(l) => (GeometryKind::Line, vec![line(l)]),
        G::MultiLineString(m) => (GeometryKind::Line, m.0.iter().map(line).collect()),
        G::Polygon(p) => (GeometryKind::Polygon, polygon_rings(p)),
        G::MultiPolygon(m) => (GeometryKind::Polygon, m.0.iter().flat_map(polygon_rings).collect()),
        _ => return None,
    };
    (!parts.iter().all(Vec::is_empty)).then_some((kind, parts))
}

fn color(c: Rgba) -> Color {
    let [r, g, b, a] = c.0;
    Color::from_rgba8(r, g, b, a)
}

/// A solid, antialiased paint of `c`.
pub(super) fn paint(c: Rgba) -> SkPaint<'static> {
    let mut paint = SkPaint::default();
    paint.set_color(color(c));
    paint.anti_alias = true;
    paint
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-made tile: layer `water` (extent 4096) with one square polygon from (1024, 1024)
    /// to (3072, 3072), and layer `transportation` with one line, class `primary`.
    fn tile_bytes() -> Vec<u8> {
        fn varint(mut v: u64, out: &mut Vec<u8>) {
            while v >= 0x80 {
                out.push((v as u8) | 0x80);
                v >>= 7;
            }
            out.push(v as u8);
        }
        fn field(tag: u64, wire: u64, out: &mut Vec<u8>) {
            varint((tag << 3) | wire, out);
        }
        fn bytes_field(tag: u64, data: &[u8], out: &mut Vec<u8>) {
            field(tag, 2, out);
            varint(data.len() as u64, out);
            out.extend_from_slice(data);
        }
        fn zigzag(v: i64) -> u64 {
            ((v << 1) ^ (v >> 63)) as u64
        }
        fn packed(values: &[u64]) -> Vec<u8> {
            let mut out = Vec::new();
            for &v in values {
                varint(v, &mut out);
            }
            out
        }
        let command = |id: u64, count: u64| (count << 3) | id;
        let layer = |name: &str, geom_type: u64, geometry: &[u64], tags: &[(&str, &str)]| {
            let mut feature = Vec::new();
            if !tags.is_empty() {
                let indices: Vec<u64> = (0..tags.len() as u64).flat_map(|k| [k, k]).collect();
                bytes_field(2, &packed(&indices), &mut feature);
            }
            field(3, 0, &mut feature);
            varint(geom_type, &mut feature);
            bytes_field(4, &packed(geometry), &mut feature);
            let mut layer = Vec::new();
            field(15, 0, &mut layer);
            varint(2, &mut layer);
            bytes_field(1, name.as_bytes(), &mut layer);
            bytes_field(2, &feature, &mut layer);
            for (key, _) in tags {
                bytes_field(3, key.as_bytes(), &mut layer);
            }
            for (_, value) in tags {
                let mut v = Vec::new();
                bytes_field(1, value.as_bytes(), &mut v);
                bytes_field(4, &v, &mut layer);
            }
            field(5, 0, &mut layer);
            varint(4096, &mut layer);
            layer
        };
        // Clockwise in tile coordinates (y down) is an exterior ring in MVT 2.
        let square = [
            command(1, 1),
            zigzag(1024),
            zigzag(1024),
            command(2, 3),
            zigzag(2048),
            zigzag(0),
            zigzag(0),
            zigzag(2048),
            zigzag(-2048),
            zigzag(0),
            command(7, 1),
        ];
        let line = [
            command(1, 1),
            zigzag(0),
            zigzag(512),
            command(2, 1),
            zigzag(4096),
            zigzag(0),
        ];
        let point = |x: i64, y: i64| [command(1, 1), zigzag(x), zigzag(y)];
        let mut tile = Vec::new();
        bytes_field(3, &layer("water", 3, &square, &[]), &mut tile);
        let road = [("class", "primary"), ("name", "خیابان امام خمینی")];
        bytes_field(3, &layer("transportation", 2, &line, &road), &mut tile);
        let school = [("class", "school"), ("name", "Rasht school")];
        bytes_field(3, &layer("poi", 1, &point(3584, 3584), &school), &mut tile);
        let place = [("class", "suburb"), ("name:fa", "حسن‌آباد"), ("name", "Hassanabad")];
        bytes_field(3, &layer("place", 1, &point(2048, 3500), &place), &mut tile);
        tile
    }

    /// Pixels of `tile` in columns `xs` and rows `ys` dark enough to be text (land, water and
    /// roads are all lighter in some channel).
    fn dark_pixels(tile: &RgbaTile, xs: std::ops::Range<usize>, ys: std::ops::Range<usize>) -> usize {
        ys.flat_map(|y| xs.clone().map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let at = 4 * (y * tile.width as usize + x);
                tile.pixels[at..at + 3].iter().all(|&c| c < 170)
            })
            .count()
    }

    #[test]
    fn a_hand_made_tile_draws_its_square_and_line() {
        let decoded = DecodedTile::decode(&tile_bytes()).unwrap();
        let tile = decoded.draw([[0.0, 0.0], [1.0, 1.0]], 14, 1.0).unwrap();
        let at = |x: f64, y: f64| {
            let p = tile.sample(x, y);
            [p[0], p[1], p[2]]
        };
        assert_eq!(at(0.5, 0.5), [170, 211, 223], "inside the water square");
        assert_eq!(at(0.1, 0.9), style::LAND.0[..3], "land outside it");
        assert_eq!(at(0.1, 0.125), [252, 236, 196], "the primary road along y = 512");
        // The top-left quarter, four times larger: the square's corner moves to the middle.
        let quarter = decoded.draw([[0.0, 0.0], [0.5, 0.5]], 15, 1.0).unwrap();
        let p = quarter.sample(0.75, 0.75);
        assert_eq!([p[0], p[1], p[2]], [170, 211, 223]);
        let p = quarter.sample(0.25, 0.75);
        assert_eq!([p[0], p[1], p[2]], style::LAND.0[..3]);
    }

    #[test]
    fn services_are_marked_close_in_and_places_named_in_persian() {
        let decoded = DecodedTile::decode(&tile_bytes()).unwrap();
        let school_at = (3584.0 / 4096.0, 3584.0 / 4096.0);
        let is_school = |t: &RgbaTile| t.sample(school_at.0, school_at.1)[..3] == [52, 101, 164];
        assert!(
            !is_school(&decoded.draw([[0.0, 0.0], [1.0, 1.0]], 14, 1.0).unwrap()),
            "no marks at zoom 14"
        );
        assert!(
            is_school(&decoded.draw([[0.0, 0.0], [1.0, 1.0]], 15, 1.0).unwrap()),
            "marked at zoom 15"
        );
        // The place's name: dark text pixels around its point at zoom 12 and after, none before.
        let text_pixels = |t: &RgbaTile| dark_pixels(t, 90..166, 200..235);
        let named = decoded.draw([[0.0, 0.0], [1.0, 1.0]], 12, 1.0).unwrap();
        assert!(text_pixels(&named) > 30, "{} text pixels", text_pixels(&named));
        assert_eq!(
            text_pixels(&decoded.draw([[0.0, 0.0], [1.0, 1.0]], 11, 1.0).unwrap()),
            0
        );
        // The Persian name is the one drawn: the same tile with the English name looks otherwise.
        let mut english_only = DecodedTile::decode(&tile_bytes()).unwrap();
        for point in &mut english_only.points {
            if point.name.as_deref() == Some("حسن‌آباد") {
                point.name = Some("Hassanabad".into());
            }
        }
        let english = english_only.draw([[0.0, 0.0], [1.0, 1.0]], 12, 1.0).unwrap();
        assert_ne!(named.pixels, english.pixels, "name:fa is preferred to name");
    }

    #[test]
    fn a_main_road_is_named_along_its_line_from_zoom_14() {
        let decoded = DecodedTile::decode(&tile_bytes()).unwrap();
        // Dark text pixels around the middle of the road along y = 512 (32 pixels down).
        let text_pixels = |t: &RgbaTile| dark_pixels(t, 70..186, 20..46);
        let named = decoded.draw([[0.0, 0.0], [1.0, 1.0]], 14, 1.0).unwrap();
        assert!(text_pixels(&named) > 40, "{} text pixels", text_pixels(&named));
        let unnamed = decoded.draw([[0.0, 0.0], [1.0, 1.0]], 13, 1.0).unwrap();
        assert_eq!(text_pixels(&unnamed), 0);
        // Away from the name the road is the road's colour.
        assert_eq!(named.sample(0.05, 0.125)[..3], [252, 236, 196]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Damaged tiles (cut, or with a byte changed) are an error or a drawing, never a panic.
        #[test]
        fn damaged_tiles_never_panic(cut in 0usize..200, at in 0usize..200, byte in proptest::prelude::any::<u8>()) {
            let mut bytes = tile_bytes();
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
            bytes.truncate(cut.max(1));
            if let Ok(decoded) = DecodedTile::decode(&bytes) {
                decoded.draw([[0.0, 0.0], [1.0, 1.0]], 14, 0.25).unwrap();
            }
        }
    }
}
