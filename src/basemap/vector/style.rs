//! The built-in style vector basemaps are drawn with: quiet colours that stay under district
//! fills, chosen by a feature's layer and class. It reads the three schemas offline tiles
//! commonly follow (OpenMapTiles, as planetiler and tilemaker write it; Shortbread; Protomaps)
//! and falls back on the geometry for any other (e.g. tiles GDAL made from a Shapefile).

/// An sRGB colour, opaque unless `a` says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgba(pub [u8; 4]);

/// The land: the tile's background.
pub const LAND: Rgba = Rgba([242, 239, 233, 255]);
const WATER: Rgba = Rgba([170, 211, 223, 255]);
const GREEN: Rgba = Rgba([214, 230, 200, 255]);
const WOOD: Rgba = Rgba([200, 220, 186, 255]);
const BUILT_UP: Rgba = Rgba([234, 229, 222, 255]);
const SAND: Rgba = Rgba([240, 230, 206, 255]);
const BUILDING: Rgba = Rgba([218, 208, 200, 255]);
const BUILDING_EDGE: Rgba = Rgba([196, 184, 174, 255]);
const ROAD: Rgba = Rgba([255, 255, 255, 255]);
const MAJOR_ROAD: Rgba = Rgba([252, 236, 196, 255]);
const CASING: Rgba = Rgba([190, 182, 172, 255]);
const PATH: Rgba = Rgba([170, 160, 150, 255]);
const RAIL: Rgba = Rgba([150, 150, 150, 255]);
const BOUNDARY: Rgba = Rgba([160, 140, 170, 255]);
const OTHER_FILL: Rgba = Rgba([226, 222, 214, 255]);
const OTHER_LINE: Rgba = Rgba([176, 170, 162, 255]);

/// How one feature is drawn, and when (lower `order` first).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Symbol {
    /// Draw order: background fills, water, buildings, road casings, roads, boundaries.
    pub order: u16,
    /// What is drawn.
    pub paint: Paint,
}

/// A fill or a line, with sizes in pixels of a 256-pixel tile at zoom 14 (scaled by zoom).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Paint {
    /// An area, with an optional hairline edge.
    Fill {
        /// The fill colour.
        color: Rgba,
        /// Its edge, if any.
        edge: Option<Rgba>,
    },
    /// A line (for a polygon: its outline).
    Line {
        /// The line colour.
        color: Rgba,
        /// Width at zoom 14.
        width_px: f32,
        /// Dashed (boundaries, paths, railways).
        dashed: bool,
    },
}

/// What a feature looks like: its geometry, layer and the attributes styles key on.
#[derive(Clone, Copy, Debug)]
pub struct FeatureKind<'a> {
    /// Polygon, line or point.
    pub geometry: GeometryKind,
    /// The tile layer's name.
    pub layer: &'a str,
    /// What it is, by [`class_of`].
    pub class: &'a str,
}

/// The three kinds of MVT geometry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeometryKind {
    /// Points: places and points of interest (see [`point_style`]).
    Point,
    /// Lines.
    Line,
    /// Polygons.
    Polygon,
}

/// The attribute names a class is read from, in order of preference.
const CLASS_KEYS: [&str; 12] = [
    "class", "kind", "highway", "railway", "waterway", "natural", "landuse", "leisure", "building", "amenity", "place",
    "type",
];

/// The attribute names a feature's name is read from, Persian first.
pub const NAME_KEYS: [&str; 5] = ["name:fa", "name", "name_int", "name:latin", "name_en"];

/// The road ranks, least important first; each draws over the ones before.
fn road_rank(class: &str) -> Option<u16> {
    Some(match class {
        "path" | "footway" | "cycleway" | "steps" | "pedestrian" | "bridleway" | "track" => 0,
        "service" | "driveway" | "parking_aisle" | "alley" => 1,
        "minor" | "minor_road" | "residential" | "unclassified" | "living_street" | "street" | "road" => 2,
        "tertiary" | "tertiary_link" | "medium_road" => 3,
        "secondary" | "secondary_link" => 4,
        "primary" | "primary_link" | "major_road" => 5,
        "trunk" | "trunk_link" => 6,
        "motorway" | "motorway_link" | "highway" => 7,
        _ => return None,
    })
}

/// The symbol for `feature`, or `None` when it is not drawn.
pub fn symbol_for(feature: FeatureKind<'_>) -> Option<Symbol> {
    let FeatureKind { geometry, layer, class } = feature;
    let layer = layer.to_ascii_lowercase();
    let layer = layer.as_str();
    let is_water_layer = matches!(layer, "water" | "ocean" | "water_polygons" | "lake" | "waterbody");
    let is_boundary_layer = matches!(layer, "boundary" | "boundaries" | "admin");
    let is_building = matches!(layer, "building" | "buildings") || class == "building";
    let is_transport_layer = matches!(layer, "transportation" | "streets" | "roads" | "road" | "highways");
    // Layers that only carry names (OpenMapTiles' transportation_name and water_name,
    // Shortbread's street_labels): their lines repeat shapes drawn from other layers.
    let names_only = ["_name", "_names", "_label", "_labels"]
        .iter()
        .any(|end| layer.ends_with(end))
        || matches!(layer, "housenumber" | "housenumbers" | "addresses");
    if names_only {
        return None;
    }
    match geometry {
        GeometryKind::Point => None,
        GeometryKind::Polygon => Some(if is_water_layer {
            fill(20, WATER)
        } else if is_building {
            Symbol {
                order: 30,
                paint: Paint::Fill {
                    color: BUILDING,
                    edge: Some(BUILDING_EDGE),
                },
            }
        } else if matches!(layer, "land" | "earth") {
            fill(1, LAND)
        } else if is_boundary_layer {
            line(90, BOUNDARY, 1.0, true)
        } else if is_transport_layer || matches!(layer, "transportation_area" | "street_polygons") {
            fill(40, ROAD)
        } else if let Some(symbol) = area_by_class(class) {
            symbol
        } else if layer == "park" {
            fill(10, GREEN)
        } else if matches!(layer, "landcover" | "landuse" | "land_use" | "land_cover" | "sites") {
            fill(3, BUILT_UP)
        } else {
            fill(2, OTHER_FILL)
        }),
        GeometryKind::Line => {
            if is_building {
                None
            } else if is_boundary_layer {
                Some(line(90, BOUNDARY, 1.0, true))
            } else if matches!(layer, "waterway" | "water_lines" | "waterways") || is_waterway(class) {
                Some(line(21, WATER, 1.2, false))
            } else if is_transport_layer {
                road_line(class)
            } else {
                Some(road_line(class).unwrap_or_else(|| line(50, OTHER_LINE, 0.8, false)))
            }
        }
    }
}

/// An area's symbol by its class alone (land use and cover, whatever the layer), if the class
/// is one of those.
fn area_by_class(class: &str) -> Option<Symbol> {
    Some(match class {
        "water" | "lake" | "pond" | "basin" | "reservoir" | "riverbank" | "wetland" | "ocean" => fill(20, WATER),
        "wood" | "forest" | "orchard" => fill(11, WOOD),
        "grass" | "park" | "farmland" | "meadow" | "cemetery" | "garden" | "recreation_ground" | "pitch"
        | "playground" | "farm" | "scrub" | "vineyard" | "golf_course" => fill(10, GREEN),
        "sand" | "beach" | "bare_rock" | "desert" | "scree" => fill(5, SAND),
        "residential" | "industrial" | "commercial" | "retail" | "suburb" | "neighbourhood" => fill(3, BUILT_UP),
        _ => return None,
    })
}

/// Whether a line's class is a river, stream or canal.
fn is_waterway(class: &str) -> bool {
    matches!(class, "river" | "stream" | "canal" | "drain" | "ditch")
}

/// The class a feature is styled by, from its attributes (`attribute(key)`): the schemas'
/// `class` or `kind`, else the OpenStreetMap key that says what it is (tiles made from an OSM
/// extract with GDAL keep the OSM keys), lower case. A building is `building` whatever its
/// value, a railway `rail`.
pub fn class_of<'a>(attribute: impl Fn(&str) -> Option<&'a str>) -> String {
    for key in CLASS_KEYS {
        let Some(value) = attribute(key).map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        return match key {
            "building" if value != "no" => "building".to_owned(),
            "railway" => "rail".to_owned(),
            "building" => continue,
            _ => value.to_ascii_lowercase(),
        };
    }
    String::new()
}

/// The value of `key` in an hstore string such as GDAL's OSM `other_tags`
/// (`"amenity"=>"school","name:en"=>"..."`): tiles made from an OSM extract with GDAL's default
/// settings keep `amenity` there.
///
/// ```
/// # use mahalleh::basemap::hstore_value;
/// let tags = r#""amenity"=>"place_of_worship","religion"=>"muslim""#;
/// assert_eq!(hstore_value(tags, "amenity"), Some("place_of_worship"));
/// assert_eq!(hstore_value(tags, "shop"), None);
/// ```
pub fn hstore_value<'a>(hstore: &'a str, key: &str) -> Option<&'a str> {
    let pattern = format!("\"{key}\"=>\"");
    let start = hstore.find(&pattern)? + pattern.len();
    let rest = &hstore[start..];
    rest.find('"').map(|end| &rest[..end])
}

fn fill(order: u16, color: Rgba) -> Symbol {
    Symbol {
        order,
        paint: Paint::Fill { color, edge: None },
    }
}

fn line(order: u16, color: Rgba, width_px: f32, dashed: bool) -> Symbol {
    Symbol {
        order,
        paint: Paint::Line {
            color,
            width_px,
            dashed,
        },
    }
}

/// How a point is drawn: a mark for the points of interest a planner looks for (mosques,
/// schools, clinics, bus stops, municipal buildings) and a name for places and those points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointStyle {
    /// The mark's colour and radius in pixels, shown from zoom `min_zoom`.
    pub mark: Option<(Rgba, f32)>,
    /// The mark's first zoom.
    pub min_zoom: u8,
    /// The name's look, shown from zoom `label_min_zoom`.
    pub label: Option<LabelStyle>,
    /// The name's first zoom.
    pub label_min_zoom: u8,
}

/// The look of a name on the basemap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelStyle {
    /// Font size in pixels.
    pub size_px: f32,
    /// Bold.
    pub bold: bool,
    /// Text colour (a white halo goes round it).
    pub color: Rgba,
    /// Names with lower numbers are placed first.
    pub priority: u8,
}

const MOSQUE: Rgba = Rgba([46, 125, 80, 255]);
const SCHOOL: Rgba = Rgba([52, 101, 164, 255]);
const HEALTH: Rgba = Rgba([192, 57, 43, 255]);
const TRANSIT: Rgba = Rgba([93, 109, 126, 255]);
const CIVIC: Rgba = Rgba([125, 60, 152, 255]);
const PLACE_TEXT: Rgba = Rgba([70, 70, 80, 255]);

/// The style of a point of `layer` with `class`, or `None` when it is not drawn.
pub fn point_style(layer: &str, class: &str) -> Option<PointStyle> {
    let layer = layer.to_ascii_lowercase();
    let place = |size_px: f32, bold: bool, priority: u8, label_min_zoom: u8| PointStyle {
        mark: None,
        min_zoom: 0,
        label: Some(LabelStyle {
            size_px,
            bold,
            color: PLACE_TEXT,
            priority,
        }),
        label_min_zoom,
    };
    let is_place_layer = matches!(layer.as_str(), "place" | "places" | "place_labels");
    match class {
        "city" | "town" => return Some(place(13.0, true, 0, 0)),
        "suburb" | "borough" | "quarter" | "neighbourhood" | "neighborhood" | "village" | "locality" => {
            return Some(place(11.0, false, 1, 12));
        }
        "hamlet" | "isolated_dwelling" => return Some(place(10.0, false, 2, 14)),
        _ if is_place_layer => return None,
        _ => {}
    }
    let color = match class {
        "place_of_worship" | "mosque" | "religion" => MOSQUE,
        "school" | "college" | "university" | "kindergarten" | "education" => SCHOOL,
        "hospital" | "clinic" | "doctors" | "health" | "healthcare" | "pharmacy" => HEALTH,
        "bus_stop" | "bus" | "bus_station" | "subway_entrance" | "railway_station" => TRANSIT,
        "town_hall" | "townhall" | "government" | "community_centre" | "social_facility" | "police"
        | "fire_station" => CIVIC,
        _ => return None,
    };
    Some(PointStyle {
        mark: Some((color, 3.5)),
        min_zoom: 15,
        label: Some(LabelStyle {
            size_px: 10.0,
            bold: false,
            color,
            priority: 3,
        }),
        label_min_zoom: 17,
    })
}

/// The first zoom at which a road of `class` is named along its line (main roads first, residential
/// streets close in), or `None` for paths, service roads and lines that are not roads.
pub fn street_name_min_zoom(class: &str) -> Option<u8> {
    match road_rank(class)? {
        5.. => Some(14),
        3 | 4 => Some(15),
        2 => Some(16),
        _ => None,
    }
}

/// The symbol of a road, path or railway line by its class.
fn road_line(class: &str) -> Option<Symbol> {
    if matches!(
        class,
        "rail" | "railway" | "transit" | "subway" | "light_rail" | "tram" | "narrow_gauge"
    ) {
        return Some(line(80, RAIL, 1.0, true));
    }
    if class == "ferry" {
        return Some(line(22, Rgba([120, 150, 200, 255]), 0.8, true));
    }
    match road_rank(class) {
        Some(0) => Some(line(60, PATH, 0.8, true)),
        Some(rank) => {
            let width_px = [0.0, 1.6, 2.6, 3.4, 4.0, 4.8, 5.4, 6.0][usize::from(rank)];
            let color = if rank >= 4 { MAJOR_ROAD } else { ROAD };
            Some(line(60 + 2 * rank, color, width_px, false))
        }
        // A line layer that is not about roads (GDAL tiles of any lines): a quiet grey line.
        None if class.is_empty() => Some(line(50, OTHER_LINE, 0.8, false)),
        None => None,
    }
}

/// The casing under a road line: the road's order minus one, a little wider, in grey.
pub fn casing_of(symbol: &Symbol) -> Option<Symbol> {
    match symbol.paint {
        Paint::Line {
            width_px,
            dashed: false,
            color,
        } if (60..80).contains(&symbol.order) && color != PATH => Some(Symbol {
            order: symbol.order - 1,
            paint: Paint::Line {
                color: CASING,
                width_px: width_px + 1.2,
                dashed: false,
            },
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind<'a>(geometry: GeometryKind, layer: &'a str, class: &'a str) -> FeatureKind<'a> {
        FeatureKind { geometry, layer, class }
    }

    #[test]
    fn schemas_agree_on_water_roads_and_buildings() {
        let water = symbol_for(kind(GeometryKind::Polygon, "water", "lake")).unwrap();
        let ocean = symbol_for(kind(GeometryKind::Polygon, "ocean", "")).unwrap();
        assert_eq!(water.paint, ocean.paint);
        let omt = symbol_for(kind(GeometryKind::Line, "transportation", "primary")).unwrap();
        let shortbread = symbol_for(kind(GeometryKind::Line, "streets", "primary")).unwrap();
        let protomaps = symbol_for(kind(GeometryKind::Line, "roads", "major_road")).unwrap();
        assert_eq!(omt, shortbread);
        assert_eq!(omt, protomaps);
        let minor = symbol_for(kind(GeometryKind::Line, "transportation", "minor")).unwrap();
        assert!(minor.order < omt.order, "major roads draw over minor ones");
        assert!(casing_of(&omt).unwrap().order < minor.order + 10);
        let building = symbol_for(kind(GeometryKind::Polygon, "building", "")).unwrap();
        assert!(water.order < building.order && building.order < minor.order);
    }

    #[test]
    fn points_are_places_or_the_services_a_planner_looks_for() {
        assert!(
            symbol_for(kind(GeometryKind::Point, "poi", "school")).is_none(),
            "points are not shapes"
        );
        let school = point_style("poi", "school").unwrap();
        assert_eq!(school.mark.unwrap().0, SCHOOL);
        assert!(
            school.label_min_zoom > school.min_zoom,
            "names of services only close in"
        );
        assert_eq!(
            point_style("pois", "mosque").unwrap().mark,
            point_style("poi", "place_of_worship").unwrap().mark
        );
        let suburb = point_style("place", "suburb").unwrap();
        assert!(suburb.mark.is_none() && suburb.label.is_some());
        assert!(
            point_style("poi", "shop").is_none(),
            "shops would clutter an office map"
        );
        assert!(point_style("place", "continent").is_none());
    }

    #[test]
    fn layers_of_names_draw_no_shapes() {
        assert!(symbol_for(kind(GeometryKind::Line, "transportation_name", "primary")).is_none());
        assert!(symbol_for(kind(GeometryKind::Line, "water_name", "river")).is_none());
        assert!(symbol_for(kind(GeometryKind::Line, "street_labels", "primary")).is_none());
    }

    #[test]
    fn unknown_layers_fall_back_on_geometry() {
        let any_fill = symbol_for(kind(GeometryKind::Polygon, "mahalat", "")).unwrap();
        assert!(matches!(any_fill.paint, Paint::Fill { .. }));
        let any_line = symbol_for(kind(GeometryKind::Line, "rivers_and_roads", "")).unwrap();
        assert!(matches!(any_line.paint, Paint::Line { .. }));
    }

    #[test]
    fn tiles_made_from_an_osm_extract_are_styled_by_their_osm_keys() {
        let attributes = |pairs: &'static [(&'static str, &'static str)]| {
            class_of(move |key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
        };
        assert_eq!(attributes(&[("building", "yes"), ("amenity", "school")]), "building");
        assert_eq!(
            attributes(&[("building", "no"), ("landuse", "Residential")]),
            "residential"
        );
        assert_eq!(attributes(&[("railway", "tram")]), "rail");
        assert_eq!(attributes(&[("name", "Zayandeh")]), "");
        let building = symbol_for(kind(GeometryKind::Polygon, "multipolygons", "building")).unwrap();
        assert_eq!(
            building,
            symbol_for(kind(GeometryKind::Polygon, "building", "")).unwrap()
        );
        let pond = symbol_for(kind(GeometryKind::Polygon, "multipolygons", "water")).unwrap();
        let lake = symbol_for(kind(GeometryKind::Polygon, "water", "lake")).unwrap();
        assert_eq!(pond, lake);
        let river = symbol_for(kind(GeometryKind::Line, "lines", "river")).unwrap();
        assert_eq!(river, symbol_for(kind(GeometryKind::Line, "waterway", "")).unwrap());
        let street = symbol_for(kind(GeometryKind::Line, "lines", "residential")).unwrap();
        assert_eq!(
            street,
            symbol_for(kind(GeometryKind::Line, "transportation", "minor")).unwrap()
        );
    }
}
