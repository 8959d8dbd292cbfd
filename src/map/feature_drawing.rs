//! What a renderer needs of a reference layer: every line and polygon ring as a path of Web
//! Mercator metres, every point, the fill triangles of its polygons and each feature's box.
//! Built once at load; a renderer culls by box and transforms to the screen per frame.

use std::ops::Range;

use earcut::Earcut;

use super::fill_triangles::fill_polygon;
use super::mercator_from_lon_lat;
use crate::model::Feature;

/// A reference layer's drawing data, in Web Mercator metres.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeatureDrawing {
    /// Vertices of every path, feature by feature.
    pub path_positions_m: Vec<[f64; 2]>,
    /// Exclusive end of each path in `path_positions_m`.
    pub path_ends: Vec<u32>,
    /// Each feature's paths: a range of `path_ends`.
    pub paths_of: Vec<Range<u32>>,
    /// How many of each feature's paths (the first ones) are lines; the rest are polygon rings
    /// (closed: first vertex repeated last).
    pub lines_in: Vec<u32>,
    /// Every point, feature by feature.
    pub points_m: Vec<[f64; 2]>,
    /// Each feature's points: a range of `points_m`.
    pub points_of: Vec<Range<u32>>,
    /// Corners of fill triangles, feature by feature.
    pub fill_vertices_m: Vec<[f64; 2]>,
    /// Each feature's fill triangle corners: a range of `fill_vertices_m` (three per triangle).
    pub fills_of: Vec<Range<u32>>,
    /// Each feature's box: min and max corners.
    pub bbox_m: Vec<[[f64; 2]; 2]>,
}

impl FeatureDrawing {
    /// The drawing data of `features`, in their order.
    pub fn new(features: &[Feature]) -> Self {
        let mut d = Self::default();
        let mut earcut = Earcut::new();
        let never_stop = || true;
        for f in features {
            let first_path = d.path_ends.len() as u32;
            let first_vertex = d.path_positions_m.len();
            for line in &f.lines {
                d.path_positions_m
                    .extend(line.coords().map(|c| mercator_from_lon_lat(c.x, c.y)));
                d.path_ends.push(d.path_positions_m.len() as u32);
            }
            d.lines_in.push(d.path_ends.len() as u32 - first_path);
            let first_fill = d.fill_vertices_m.len() as u32;
            for polygon in &f.polygons {
                let mut ring_vertices: Vec<[f64; 2]> = Vec::new();
                let mut hole_starts = Vec::new();
                for (r, ring) in std::iter::once(polygon.exterior())
                    .chain(polygon.interiors())
                    .enumerate()
                {
                    let ring_m: Vec<[f64; 2]> = ring.coords().map(|c| mercator_from_lon_lat(c.x, c.y)).collect();
                    d.path_positions_m.extend(&ring_m);
                    d.path_ends.push(d.path_positions_m.len() as u32);
                    if r > 0 {
                        hole_starts.push(ring_vertices.len() as u32);
                    }
                    // The fill takes rings without their closing vertex.
                    let open = ring_m
                        .len()
                        .saturating_sub(usize::from(ring_m.first() == ring_m.last()));
                    ring_vertices.extend(&ring_m[..open]);
                }
                if let Some(fill) = fill_polygon(&ring_vertices, &hole_starts, &mut earcut, &never_stop) {
                    d.fill_vertices_m
                        .extend(fill.triangles.iter().map(|&i| fill.vertex(&ring_vertices, i)));
                }
            }
            d.fills_of.push(first_fill..d.fill_vertices_m.len() as u32);
            d.paths_of.push(first_path..d.path_ends.len() as u32);
            let first_point = d.points_m.len() as u32;
            d.points_m
                .extend(f.points.iter().map(|p| mercator_from_lon_lat(p[0], p[1])));
            d.points_of.push(first_point..d.points_m.len() as u32);
            let own = d.path_positions_m[first_vertex..]
                .iter()
                .chain(&d.points_m[first_point as usize..]);
            d.bbox_m
                .push(own.fold([[f64::INFINITY; 2], [f64::NEG_INFINITY; 2]], |[min, max], p| {
                    [
                        [min[0].min(p[0]), min[1].min(p[1])],
                        [max[0].max(p[0]), max[1].max(p[1])],
                    ]
                }));
        }
        d
    }

    /// How many features there are.
    pub fn len(&self) -> usize {
        self.bbox_m.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.bbox_m.is_empty()
    }

    /// The vertices of path `p`.
    pub fn path(&self, p: u32) -> &[[f64; 2]] {
        let start = if p == 0 {
            0
        } else {
            self.path_ends[p as usize - 1] as usize
        };
        &self.path_positions_m[start..self.path_ends[p as usize] as usize]
    }

    /// Feature `i`'s paths, each with whether it is a polygon ring.
    pub fn paths(&self, i: usize) -> impl Iterator<Item = (&[[f64; 2]], bool)> + '_ {
        let range = self.paths_of[i].clone();
        let lines = self.lines_in[i];
        range.enumerate().map(move |(k, p)| (self.path(p), k as u32 >= lines))
    }

    /// Feature `i`'s points.
    pub fn points(&self, i: usize) -> &[[f64; 2]] {
        let r = &self.points_of[i];
        &self.points_m[r.start as usize..r.end as usize]
    }

    /// Where feature `i`'s label goes: its first point, else the middle vertex of its first
    /// path.
    pub fn label_anchor_m(&self, i: usize) -> Option<[f64; 2]> {
        self.points(i).first().copied().or_else(|| {
            let (path, _) = self.paths(i).next()?;
            path.get(path.len() / 2).copied()
        })
    }

    /// Feature `i`'s fill triangle corners, three per triangle.
    pub fn fill(&self, i: usize) -> &[[f64; 2]] {
        let r = &self.fills_of[i];
        &self.fill_vertices_m[r.start as usize..r.end as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiPolygon, polygon};

    fn feature(points: Vec<[f64; 2]>, lines: Vec<LineString<f64>>, polygons: MultiPolygon<f64>) -> Feature {
        Feature {
            file_index: 0,
            points,
            lines,
            polygons,
            properties: Default::default(),
        }
    }

    #[test]
    fn paths_points_and_fills_are_kept_per_feature() {
        let square = polygon![
            exterior: [(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 0.25, y: 0.25), (x: 0.75, y: 0.25), (x: 0.75, y: 0.75), (x: 0.25, y: 0.25)]],
        ];
        let road = LineString::from(vec![(2.0, 2.0), (3.0, 2.0), (3.0, 3.0)]);
        let features = [
            feature(vec![[5.0, 5.0]], Vec::new(), MultiPolygon::new(Vec::new())),
            feature(Vec::new(), vec![road], MultiPolygon::new(vec![square])),
        ];
        let d = FeatureDrawing::new(&features);
        assert_eq!(d.len(), 2);
        assert_eq!(d.points(0).len(), 1);
        assert!(d.paths(0).next().is_none());
        let paths: Vec<(usize, bool)> = d.paths(1).map(|(p, ring)| (p.len(), ring)).collect();
        assert_eq!(paths, [(3, false), (5, true), (4, true)]);
        // A square with a triangular hole: the fill's area is the square's less the hole's.
        let area: f64 = d
            .fill(1)
            .chunks(3)
            .map(|t| {
                ((t[1][0] - t[0][0]) * (t[2][1] - t[0][1]) - (t[2][0] - t[0][0]) * (t[1][1] - t[0][1])).abs() / 2.0
            })
            .sum();
        let [a, b] = [mercator_from_lon_lat(0.0, 0.0), mercator_from_lon_lat(1.0, 1.0)];
        let square_m2 = (b[0] - a[0]) * (b[1] - a[1]);
        assert!((area / square_m2 - (1.0 - 0.125)).abs() < 0.01, "{}", area / square_m2);
        assert!(d.bbox_m[1][1][0] >= mercator_from_lon_lat(3.0, 3.0)[0] - 1e-6);
    }
}
