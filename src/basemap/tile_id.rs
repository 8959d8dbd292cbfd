//! Web Mercator tiles in the XYZ scheme (OpenStreetMap's: row 0 at the top, 2^z × 2^z tiles at
//! zoom z), their extents in Web Mercator metres, and the tiles a view needs.

use crate::map::projection::EARTH_RADIUS_M;

/// Half the width of the Web Mercator square world, in metres.
pub const WORLD_HALF_M: f64 = std::f64::consts::PI * EARTH_RADIUS_M;

/// Tiles are drawn this many pixels wide (the size nearly every tile set uses); a tile of
/// another size is scaled to it.
pub const TILE_SIZE_PX: f64 = 256.0;

/// The deepest zoom level read (2^30 tiles a side is well past street level).
pub const MAX_ZOOM: u8 = 30;

/// One tile: zoom, column from the west, row from the north.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom level (0: one tile for the world).
    pub z: u8,
    /// Column, 0 at longitude -180.
    pub x: u32,
    /// Row, 0 at the top (north).
    pub y: u32,
}

impl TileId {
    /// The tile, or `None` when its column or row is outside zoom `z`'s grid.
    pub fn new(z: u8, x: u32, y: u32) -> Option<Self> {
        let n = 1u64 << z.min(MAX_ZOOM);
        (z <= MAX_ZOOM && u64::from(x) < n && u64::from(y) < n).then_some(Self { z, x, y })
    }

    /// Width of a tile at this zoom, in Web Mercator metres.
    pub fn size_m(self) -> f64 {
        2.0 * WORLD_HALF_M / f64::from(1u32 << self.z.min(31)).max(1.0)
    }

    /// The tile's extent in Web Mercator metres, `[[west, south], [east, north]]`.
    ///
    /// ```
    /// use mahalleh::basemap::TileId;
    /// let [[w, s], [e, n]] = TileId::new(1, 1, 0).unwrap().bounds_m();
    /// assert!(w.abs() < 1e-6 && s.abs() < 1e-6);
    /// assert!((e - 20_037_508.342789244).abs() < 1e-6 && (n - e).abs() < 1e-6);
    /// ```
    pub fn bounds_m(self) -> [[f64; 2]; 2] {
        let size = self.size_m();
        let west = -WORLD_HALF_M + f64::from(self.x) * size;
        let north = WORLD_HALF_M - f64::from(self.y) * size;
        [[west, north - size], [west + size, north]]
    }

    /// The tile `levels` zooms up that holds this one, and where this one sits in it as
    /// fractions of its width and height, `[[u0, v0], [u1, v1]]` from its top-left corner.
    pub fn ancestor(self, levels: u8) -> (TileId, [[f32; 2]; 2]) {
        let levels = levels.min(self.z);
        let parent = TileId {
            z: self.z - levels,
            x: self.x >> levels,
            y: self.y >> levels,
        };
        let n = f64::from(1u32 << levels);
        let (dx, dy) = (
            f64::from(self.x - (parent.x << levels)),
            f64::from(self.y - (parent.y << levels)),
        );
        let uv = [
            [(dx / n) as f32, (dy / n) as f32],
            [((dx + 1.0) / n) as f32, ((dy + 1.0) / n) as f32],
        ];
        (parent, uv)
    }

    /// The tile of zoom `z` that holds a Web Mercator point (clamped to the world).
    pub fn at_m(z: u8, [x, y]: [f64; 2]) -> TileId {
        let z = z.min(MAX_ZOOM);
        let n = 1u64 << z;
        let cell = |t: f64| ((t * n as f64).floor().max(0.0) as u64).min(n - 1) as u32;
        TileId {
            z,
            x: cell((x + WORLD_HALF_M) / (2.0 * WORLD_HALF_M)),
            y: cell((WORLD_HALF_M - y) / (2.0 * WORLD_HALF_M)),
        }
    }
}

/// The zoom level whose tiles, drawn [`TILE_SIZE_PX`] wide, come closest to one tile pixel per
/// screen pixel at `m_per_px` Web Mercator metres per pixel (rounded up a little past halfway,
/// so the picture is never much blurrier than the screen).
///
/// ```
/// use mahalleh::basemap::zoom_for_m_per_px;
/// // OpenStreetMap's zoom 16 has 2.39 m per pixel at the equator.
/// assert_eq!(zoom_for_m_per_px(2.39), 16);
/// assert_eq!(zoom_for_m_per_px(1e9), 0);
/// ```
pub fn zoom_for_m_per_px(m_per_px: f64) -> u8 {
    let z0_m_per_px = 2.0 * WORLD_HALF_M / TILE_SIZE_PX;
    let z = (z0_m_per_px / m_per_px.max(1e-9)).log2();
    (z + 0.4).floor().clamp(0.0, f64::from(MAX_ZOOM)) as u8
}

/// The tiles of zoom `z` that meet `view_m` (`[[west, south], [east, north]]`, Web Mercator
/// metres), row by row from the north-west; at most `limit` of them (a view is never more than a
/// few dozen tiles wide, so a larger count means a wrong zoom).
pub fn tiles_covering(view_m: [[f64; 2]; 2], z: u8, limit: usize) -> Vec<TileId> {
    let [[w, s], [e, n]] = view_m;
    if !(w.is_finite() && s.is_finite() && e.is_finite() && n.is_finite()) || w > e || s > n {
        return Vec::new();
    }
    let nw = TileId::at_m(z, [w, n]);
    let se = TileId::at_m(z, [e, s]);
    let mut tiles = Vec::new();
    for y in nw.y..=se.y {
        for x in nw.x..=se.x {
            if tiles.len() >= limit {
                return tiles;
            }
            tiles.push(TileId { z: nw.z, x, y });
        }
    }
    tiles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::mercator_from_lon_lat;

    #[test]
    fn tile_of_yazd_at_zoom_12_is_the_osm_one() {
        // OpenStreetMap's slippy-map formula for 54.367 E, 31.897 N at zoom 12: x 2666, y 1664.
        let t = TileId::at_m(12, mercator_from_lon_lat(54.367, 31.897));
        assert_eq!((t.x, t.y), (2666, 1664));
        let [[w, s], [e, n]] = t.bounds_m();
        let [x, y] = mercator_from_lon_lat(54.367, 31.897);
        assert!(w <= x && x < e && s <= y && y < n);
    }

    #[test]
    fn ancestor_places_the_child_in_its_quarter() {
        let child = TileId::new(3, 5, 2).unwrap();
        let (parent, uv) = child.ancestor(1);
        assert_eq!(parent, TileId::new(2, 2, 1).unwrap());
        assert_eq!(uv, [[0.5, 0.0], [1.0, 0.5]]);
        let (root, uv) = child.ancestor(9);
        assert_eq!(root, TileId::new(0, 0, 0).unwrap());
        assert_eq!(uv, [[0.625, 0.25], [0.75, 0.375]]);
    }

    #[test]
    fn covering_counts_the_tiles_of_a_view() {
        let z1 = tiles_covering([[-1.0, -1.0], [1.0, 1.0]], 1, 100);
        assert_eq!(z1.len(), 4);
        let world = tiles_covering([[-WORLD_HALF_M, -WORLD_HALF_M], [WORLD_HALF_M, WORLD_HALF_M]], 3, 1000);
        assert_eq!(world.len(), 64);
        assert_eq!(
            tiles_covering([[-WORLD_HALF_M; 2], [WORLD_HALF_M; 2]], 10, 50).len(),
            50
        );
        assert!(tiles_covering([[f64::NAN, 0.0], [1.0, 1.0]], 3, 10).is_empty());
        assert_eq!(TileId::new(2, 4, 0), None);
    }
}
