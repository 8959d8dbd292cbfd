//! Which district holds each of many points: a uniform grid of cells over the layer lists the
//! districts whose bounding box meets each cell (cheaper per point than walking the R-tree), and
//! each candidate's rings have their edges bucketed by latitude bands, so a test reads the few
//! edges at the point's latitude instead of the whole ring (a county's ring has thousands).
//!
//! Answers are those of [`super::DistrictIndex::district_at`]: the same winding-number rule with the same
//! exact orientation test, boundary inside, holes per polygon, earliest district first. Only edges
//! whose latitude range holds the point's latitude can change a winding number or put the point on
//! the boundary, and every such edge is in the point's band, so skipping the others changes nothing.

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{BoundingRect, Coord, LineString};
use rayon::prelude::*;

use crate::model::{District, union_rect};

/// Edges per band a ring aims at; bands are capped at [`MAX_BANDS`] per ring.
const EDGES_PER_BAND: usize = 8;
/// The most bands one ring gets (a ring of a million vertices still indexes in a few MB).
const MAX_BANDS: usize = 4096;
/// Grid cells per district the grid aims at, and the most cells it gets.
const CELLS_PER_DISTRICT: usize = 64;
const MAX_CELLS: usize = 1 << 22;

/// Point-in-district tests for a batch of points, built once per layer.
///
/// ```
/// use geo::polygon;
/// use mahalleh::model::District;
/// use mahalleh::workspace::DistrictLayer;
/// use mahalleh::index::PointLocator;
/// let square = geo::MultiPolygon::new(vec![polygon![
///     (x: 54.0, y: 31.0), (x: 54.1, y: 31.0), (x: 54.1, y: 31.1), (x: 54.0, y: 31.1)]]);
/// let layer = DistrictLayer::from_districts("a".into(), District::new(0, square, Default::default()).into_iter().collect());
/// let locator = PointLocator::new(&layer.districts);
/// assert_eq!(locator.district_at(54.05, 31.05), Some(0));
/// assert_eq!(locator.district_at(54.1, 31.05), Some(0), "the boundary is inside");
/// assert_eq!(locator.district_at(54.2, 31.05), None);
/// ```
pub struct PointLocator<'a> {
    districts: &'a [District],
    grid: Grid,
    /// Per district, per polygon: its rings' bands (exterior first).
    polygons: Vec<Vec<PolygonBands>>,
}

impl<'a> PointLocator<'a> {
    /// Lays the grid and buckets every ring's edges (on all cores).
    pub fn new(districts: &'a [District]) -> Self {
        let polygons = districts
            .par_iter()
            .map(|d| {
                d.shape_lon_lat
                    .iter()
                    .map(|p| PolygonBands {
                        exterior: RingBands::new(p.exterior()),
                        holes: p.interiors().iter().map(RingBands::new).collect(),
                    })
                    .collect()
            })
            .collect();
        Self {
            districts,
            grid: Grid::new(districts),
            polygons,
        }
    }

    /// The district holding the point (its boundary counts as inside); where districts overlap
    /// or share the boundary the point is on, the one earliest in the layer.
    pub fn district_at(&self, lon: f64, lat: f64) -> Option<usize> {
        let point = Coord { x: lon, y: lat };
        // A cell's districts are in layer order, so the first that covers the point is the answer.
        self.grid.districts_near(point).iter().map(|&i| i as usize).find(|&i| {
            let b = self.districts[i].bbox_lon_lat;
            point.x >= b.min().x
                && point.x <= b.max().x
                && point.y >= b.min().y
                && point.y <= b.max().y
                && self.covers(i, point)
        })
    }

    fn covers(&self, district: usize, point: Coord<f64>) -> bool {
        let shape = &self.districts[district].shape_lon_lat;
        shape.iter().zip(&self.polygons[district]).any(|(polygon, bands)| {
            match bands.exterior.position(polygon.exterior(), point) {
                Position::Outside => false,
                Position::OnBoundary => true,
                Position::Inside => polygon
                    .interiors()
                    .iter()
                    .zip(&bands.holes)
                    .all(|(hole, hole_bands)| hole_bands.position(hole, point) != Position::Inside),
            }
        })
    }
}

/// Equal cells over the layer's bounding box, each listing (in layer order) the districts whose
/// bounding box meets it.
struct Grid {
    min: Coord<f64>,
    max: Coord<f64>,
    /// Cells per degree, across and up.
    cells_per_deg: Coord<f64>,
    columns: usize,
    rows: usize,
    /// Per cell, its districts.
    districts: Buckets,
}

impl Grid {
    fn new(districts: &[District]) -> Self {
        let inf = f64::INFINITY;
        let (min, max) = districts
            .iter()
            .map(|d| d.bbox_lon_lat)
            .reduce(union_rect)
            .map_or((Coord { x: inf, y: inf }, Coord { x: -inf, y: -inf }), |r| {
                (r.min(), r.max())
            });
        let (width, height) = ((max.x - min.x).max(0.0), (max.y - min.y).max(0.0));
        let target = (districts.len() * CELLS_PER_DISTRICT).clamp(1, MAX_CELLS) as f64;
        let (columns, rows) = if width > 0.0 && height > 0.0 {
            let columns = (target * width / height).sqrt().ceil().clamp(1.0, target);
            (columns as usize, (target / columns).ceil().max(1.0) as usize)
        } else if width > 0.0 {
            (target as usize, 1)
        } else {
            (1, target as usize)
        };
        let per = |cells: usize, span: f64| if span > 0.0 { cells as f64 / span } else { 0.0 };
        let mut grid = Self {
            min,
            max,
            cells_per_deg: Coord {
                x: per(columns, width),
                y: per(rows, height),
            },
            columns,
            rows,
            districts: Buckets::default(),
        };
        let cells_of = |d: &District| {
            let b = d.bbox_lon_lat;
            let ((c0, r0), (c1, r1)) = (grid.cell(b.min()), grid.cell(b.max()));
            (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| r * columns + c))
        };
        grid.districts = Buckets::new(columns * rows, districts.len(), |i| cells_of(&districts[i]));
        grid
    }

    /// Column and row of a point in the grid's box (clamped to the edge cells; monotone, so a
    /// box's corner cells bound every cell a point in it falls in).
    fn cell(&self, p: Coord<f64>) -> (usize, usize) {
        let column = (((p.x - self.min.x) * self.cells_per_deg.x) as usize).min(self.columns - 1);
        let row = (((p.y - self.min.y) * self.cells_per_deg.y) as usize).min(self.rows - 1);
        (column, row)
    }

    /// The districts whose bounding box may hold `p`: those listed in its cell.
    fn districts_near(&self, p: Coord<f64>) -> &[u32] {
        if !(p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y) {
            return &[];
        }
        let (column, row) = self.cell(p);
        let cell = row * self.columns + column;
        self.districts.get(cell)
    }
}

/// The bands of one polygon's rings.
struct PolygonBands {
    exterior: RingBands,
    holes: Vec<RingBands>,
}

/// Where a point is relative to one ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Position {
    Inside,
    OnBoundary,
    Outside,
}

/// One ring's edges (by the index of their first vertex) bucketed into equal latitude bands over
/// the ring's latitude range; an edge is listed in every band its latitude range meets.
struct RingBands {
    min: Coord<f64>,
    max: Coord<f64>,
    /// Bands per degree of latitude.
    bands_per_deg: f64,
    band_count: usize,
    /// Per band, its edges.
    edges: Buckets,
}

impl RingBands {
    fn new(ring: &LineString<f64>) -> Self {
        let coords = &ring.0;
        let inf = f64::INFINITY;
        let (min, max) = ring
            .bounding_rect()
            .map_or((Coord { x: inf, y: inf }, Coord { x: -inf, y: -inf }), |r| {
                (r.min(), r.max())
            });
        let edge_count = coords.len().saturating_sub(1);
        let band_count = (edge_count / EDGES_PER_BAND).clamp(1, MAX_BANDS);
        let span = max.y - min.y;
        let bands_per_deg = if span > 0.0 { band_count as f64 / span } else { 0.0 };
        let mut bands = Self {
            min,
            max,
            bands_per_deg,
            band_count,
            edges: Buckets::default(),
        };
        let bands_of = |e: usize| {
            let (a, b) = (coords[e].y, coords[e + 1].y);
            bands.band(a.min(b))..=bands.band(a.max(b))
        };
        bands.edges = Buckets::new(band_count, edge_count, bands_of);
        bands
    }

    /// The band of a latitude in the ring's range; monotone in `y`, which is what makes an edge's
    /// bands hold every latitude between its ends.
    fn band(&self, y: f64) -> usize {
        let last = self.band_count - 1;
        // NaN and negatives become 0 under `as`; clamped above for the ring's top latitude.
        (((y - self.min.y) * self.bands_per_deg) as usize).min(last)
    }

    /// geo's `coord_pos_relative_to_ring` over the point's band only.
    fn position(&self, ring: &LineString<f64>, p: Coord<f64>) -> Position {
        let coords = &ring.0;
        match coords.len() {
            0 => return Position::Outside,
            1 if coords[0] == p => return Position::OnBoundary,
            1 => return Position::Outside,
            _ => {}
        }
        if !(p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y) {
            return Position::Outside;
        }
        let b = self.band(p.y);
        let mut winding = 0i32;
        for &e in self.edges.get(b) {
            let (start, end) = (coords[e as usize], coords[e as usize + 1]);
            // The crossing rules of the winding number: an upward edge holds its start and not its
            // end, a downward edge the other way round, horizontal edges count only as boundary.
            if start.y <= p.y {
                if end.y >= p.y {
                    let o = RobustKernel::orient2d(start, end, p);
                    if o == Orientation::CounterClockwise && end.y != p.y {
                        winding += 1;
                    } else if o == Orientation::Collinear && between(p.x, start.x, end.x) {
                        return Position::OnBoundary;
                    }
                }
            } else if end.y <= p.y {
                let o = RobustKernel::orient2d(start, end, p);
                if o == Orientation::Clockwise {
                    winding -= 1;
                } else if o == Orientation::Collinear && between(p.x, start.x, end.x) {
                    return Position::OnBoundary;
                }
            }
        }
        if winding == 0 {
            Position::Outside
        } else {
            Position::Inside
        }
    }
}

/// Item numbers sorted into numbered buckets (an item may be in several): a counting sort into
/// one flat list, items in increasing order within each bucket.
#[derive(Default)]
struct Buckets {
    /// `items[starts[b]..starts[b + 1]]` are bucket `b`'s items.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Buckets {
    /// Puts each of `item_count` items into the buckets `buckets_of` names for it (each below
    /// `bucket_count`).
    fn new<I: Iterator<Item = usize>>(bucket_count: usize, item_count: usize, buckets_of: impl Fn(usize) -> I) -> Self {
        let mut starts = vec![0u32; bucket_count + 1];
        for item in 0..item_count {
            for b in buckets_of(item) {
                starts[b + 1] += 1;
            }
        }
        for b in 0..bucket_count {
            starts[b + 1] += starts[b];
        }
        let mut next = starts[..bucket_count].to_vec();
        let mut items = vec![0u32; starts[bucket_count] as usize];
        for item in 0..item_count {
            for b in buckets_of(item) {
                items[next[b] as usize] = item as u32;
                next[b] += 1;
            }
        }
        Self { starts, items }
    }

    /// Bucket `b`'s items (none past the last bucket).
    fn get(&self, b: usize) -> &[u32] {
        match (self.starts.get(b), self.starts.get(b + 1)) {
            (Some(&start), Some(&end)) => &self.items[start as usize..end as usize],
            _ => &[],
        }
    }
}

fn between(x: f64, a: f64, b: f64) -> bool {
    x >= a.min(b) && x <= a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::DistrictIndex;
    use geo::{MultiPolygon, Polygon};
    use proptest::prelude::*;

    fn district(i: usize, polygons: Vec<Polygon<f64>>) -> District {
        District::new(i, MultiPolygon::new(polygons), Default::default()).expect("a shape with a bounding box")
    }

    /// A star-like ring of `n` vertices around a centre, radii varying so it is concave.
    fn star(cx: f64, cy: f64, r: f64, n: usize, seed: u64) -> LineString<f64> {
        let mut s = seed;
        let mut coords: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let wobble = 0.4 + 0.6 * ((s >> 33) as f64 / f64::from(u32::MAX >> 1));
                let a = k as f64 / n as f64 * std::f64::consts::TAU;
                Coord {
                    x: cx + r * wobble * a.cos(),
                    y: cy + r * wobble * a.sin(),
                }
            })
            .collect();
        coords.push(coords[0]);
        LineString::new(coords)
    }

    #[test]
    fn vertices_edges_holes_and_overlaps_answer_as_the_index_does() {
        let big = Polygon::new(star(0.0, 0.0, 1.0, 400, 3), vec![star(0.1, 0.0, 0.2, 60, 5)]);
        let overlapping = Polygon::new(star(0.5, 0.2, 0.6, 200, 9), vec![]);
        let flat = Polygon::new(
            LineString::from(vec![(2.0, 0.0), (3.0, 0.0), (2.5, 0.0), (2.0, 0.0)]),
            vec![],
        );
        let ds = vec![district(0, vec![big]), district(1, vec![overlapping, flat])];
        let index = DistrictIndex::new(&ds);
        let locator = PointLocator::new(&ds);
        let mut points: Vec<Coord<f64>> = ds
            .iter()
            .flat_map(|d| {
                d.shape_lon_lat
                    .iter()
                    .flat_map(|p| p.exterior().0.iter().chain(p.interiors().iter().flat_map(|h| &h.0)))
            })
            .copied()
            .collect();
        // Edge midpoints and a grid.
        let edges: Vec<Coord<f64>> = points.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect();
        points.extend(edges);
        for i in -60..=80 {
            for j in -60..=60 {
                points.push(Coord {
                    x: f64::from(i) * 0.04,
                    y: f64::from(j) * 0.025,
                });
            }
        }
        let mut inside = 0;
        for p in &points {
            let expected = index.district_at(&ds, p.x, p.y);
            assert_eq!(locator.district_at(p.x, p.y), expected, "{p:?}");
            inside += usize::from(expected.is_some());
        }
        assert!(inside > 2500, "{inside}");
        assert_eq!(locator.district_at(2.5, 0.0), Some(1), "on a flat part's boundary");
    }

    proptest! {
        #[test]
        fn answers_match_the_index(n in 3usize..300, seed in any::<u64>(), pts in prop::collection::vec((-1.2f64..1.2, -1.2f64..1.2), 1..60)) {
            let ds = vec![
                district(0, vec![Polygon::new(star(0.0, 0.0, 1.0, n, seed), vec![star(0.0, 0.0, 0.3, 7, seed ^ 1)])]),
                district(1, vec![Polygon::new(star(0.3, 0.3, 0.8, n / 2 + 3, seed ^ 2), vec![])]),
            ];
            let index = DistrictIndex::new(&ds);
            let locator = PointLocator::new(&ds);
            for (x, y) in pts {
                prop_assert_eq!(locator.district_at(x, y), index.district_at(&ds, x, y));
            }
        }
    }
}
