//! Well-known binary (WKB) geometry, as GeoPackage and databases store it: the polygons of one
//! geometry into flat coordinate buffers. Every count is checked against the bytes left before
//! anything is allocated, so a damaged blob is a skip reason, never a panic or a huge allocation.

use crate::io::object::Coordinates;
use crate::model::SkipReason;

/// Collections nested deeper than this are refused (real files nest two or three levels).
const MAX_DEPTH: usize = 32;

/// The polygons of the WKB geometry `bytes` (ISO or extended WKB, either byte order, any of
/// XY/Z/M/ZM; only x and y are kept), with the geometry's type in GeoJSON's words.
/// Non-areal members of a collection are passed over; a geometry with no polygon is a skip.
///
/// ```
/// use mahalleh::io::read::wkb::polygons_from_wkb;
/// // POLYGON((0 0, 1 0, 1 1, 0 0)), little-endian.
/// let mut wkb = vec![1u8, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0];
/// for v in [0.0f64, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0] {
///     wkb.extend(v.to_le_bytes());
/// }
/// let (kind, polygons) = polygons_from_wkb(&wkb);
/// assert_eq!(kind, "Polygon");
/// assert_eq!(polygons.unwrap(), 1);
/// ```
pub fn polygons_from_wkb(bytes: &[u8]) -> (String, Result<usize, SkipReason>) {
    let (kind, result, _) = coordinates_from_wkb(bytes);
    (kind, result.map(|c| c.polygon_ends.len()))
}

/// [`polygons_from_wkb`] into the flat buffers the load pipeline takes, with the number of
/// non-areal collection members passed over.
pub(crate) fn coordinates_from_wkb(bytes: &[u8]) -> (String, Result<Coordinates, SkipReason>, usize) {
    let mut reader = Reader { bytes, at: 0 };
    let mut out = Coordinates {
        height: Some(3),
        ..Coordinates::default()
    };
    let mut skipped_members = 0usize;
    let top = reader.geometry(&mut out, 0, &mut skipped_members);
    let kind = match &top {
        Ok(kind) => kind.name().to_string(),
        Err(_) => "unreadable WKB".to_string(),
    };
    let result = match top {
        Err(message) => Err(SkipReason::Malformed { message }),
        Ok(_) if !out.is_empty() => Ok(out),
        Ok(kind) => Err(SkipReason::EmptyGeometry {
            geometry_type: kind.name().to_string(),
        }),
    };
    (kind, result, skipped_members)
}

/// The geometry types of the simple features model, by their WKB code.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    GeometryCollection,
    Curve(&'static str),
    Polyhedral(&'static str),
}

impl Kind {
    fn from_code(code: u32) -> Option<Self> {
        Some(match code {
            1 => Self::Point,
            2 => Self::LineString,
            3 | 17 => Self::Polygon,
            4 => Self::MultiPoint,
            5 => Self::MultiLineString,
            6 => Self::MultiPolygon,
            7 => Self::GeometryCollection,
            8 => Self::Curve("CircularString"),
            9 => Self::Curve("CompoundCurve"),
            10 => Self::Curve("CurvePolygon"),
            11 => Self::Curve("MultiCurve"),
            12 => Self::Curve("MultiSurface"),
            15 => Self::Polyhedral("PolyhedralSurface"),
            16 => Self::Polyhedral("TIN"),
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Point => "Point",
            Self::LineString => "LineString",
            Self::Polygon => "Polygon",
            Self::MultiPoint => "MultiPoint",
            Self::MultiLineString => "MultiLineString",
            Self::MultiPolygon => "MultiPolygon",
            Self::GeometryCollection => "GeometryCollection",
            Self::Curve(name) | Self::Polyhedral(name) => name,
        }
    }

    fn is_areal(self) -> bool {
        matches!(
            self,
            Self::Polygon | Self::MultiPolygon | Self::GeometryCollection | Self::Polyhedral(_)
        )
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let slice = self
            .bytes
            .get(self.at..self.at.saturating_add(n))
            .ok_or_else(|| format!("the geometry ends early, at byte {} of {}", self.at, self.bytes.len()))?;
        self.at += n;
        Ok(slice)
    }

    fn u32(&mut self, little: bool) -> Result<u32, String> {
        let mut word = [0u8; 4];
        word.copy_from_slice(self.take(4)?);
        Ok(if little {
            u32::from_le_bytes(word)
        } else {
            u32::from_be_bytes(word)
        })
    }

    fn f64(&mut self, little: bool) -> Result<f64, String> {
        let mut word = [0u8; 8];
        word.copy_from_slice(self.take(8)?);
        Ok(if little {
            f64::from_le_bytes(word)
        } else {
            f64::from_be_bytes(word)
        })
    }

    /// A count of items of at least `item_bytes` each, refused when the bytes left cannot hold
    /// them (so a damaged count never allocates).
    fn count(&mut self, little: bool, item_bytes: usize, what: &str) -> Result<usize, String> {
        let n = self.u32(little)? as usize;
        let left = self.bytes.len() - self.at;
        if n.saturating_mul(item_bytes) > left {
            return Err(format!(
                "the geometry claims {n} {what}, more than its {left} remaining bytes can hold"
            ));
        }
        Ok(n)
    }

    /// The positions in the next `rings` rings of `dims` coordinates each, read ahead without
    /// moving; rings the bytes cannot hold are not counted (reading them will say why).
    fn positions_ahead(&self, rings: usize, little: bool, dims: usize) -> usize {
        let mut ahead = Reader {
            bytes: self.bytes,
            at: self.at,
        };
        let mut total = 0;
        for _ in 0..rings {
            let Ok(n) = ahead.count(little, 8 * dims, "positions") else {
                break;
            };
            if ahead.take(n * 8 * dims).is_err() {
                break;
            }
            total += n;
        }
        total
    }

    /// One geometry with its header; polygons go into `out`.
    fn geometry(&mut self, out: &mut Coordinates, depth: usize, skipped: &mut usize) -> Result<Kind, String> {
        if depth > MAX_DEPTH {
            return Err(format!("collections nested more than {MAX_DEPTH} deep"));
        }
        let start = self.at;
        let little = match self.take(1)?[0] {
            0 => false,
            1 => true,
            other => return Err(format!("byte {start}: {other} is not a WKB byte order (0 or 1)")),
        };
        let code = self.u32(little)?;
        // Extended WKB (PostGIS) flags in the high bits; ISO WKB adds 1000s for Z, M and ZM.
        let (ewkb_z, ewkb_m, ewkb_srid) = (
            code & 0x8000_0000 != 0,
            code & 0x4000_0000 != 0,
            code & 0x2000_0000 != 0,
        );
        let iso = code & 0x0FFF_FFFF;
        let (base, iso_dims) = (iso % 1000, iso / 1000);
        let dims = 2
            + usize::from(ewkb_z)
            + usize::from(ewkb_m)
            + match iso_dims {
                0 => 0,
                1 | 2 => 1,
                3 => 2,
                _ => return Err(format!("byte {start}: unknown WKB geometry type {code}")),
            };
        if ewkb_srid {
            self.u32(little)?;
        }
        let kind = Kind::from_code(base).ok_or_else(|| format!("byte {start}: unknown WKB geometry type {code}"))?;
        let point_bytes = 8 * dims;
        match kind {
            Kind::Point => {
                let x = self.f64(little)?;
                let y = self.f64(little)?;
                self.take(8 * (dims - 2))?;
                // GeoPackage writes an empty point as NaN, NaN.
                if x.is_finite() && y.is_finite() {
                    out.points.push([x, y]);
                }
            }
            Kind::LineString => {
                let n = self.count(little, point_bytes, "positions")?;
                let mut line = Vec::with_capacity(n);
                for _ in 0..n {
                    let x = self.f64(little)?;
                    let y = self.f64(little)?;
                    self.take(8 * (dims - 2))?;
                    line.push([x, y]);
                }
                if line.len() >= 2 {
                    out.lines.push(line);
                }
            }
            Kind::Polygon => self.polygon(out, little, dims)?,
            Kind::MultiPoint | Kind::MultiLineString | Kind::MultiPolygon | Kind::GeometryCollection => {
                let n = self.count(little, 5, "members")?;
                for _ in 0..n {
                    let member = self.geometry(out, depth + 1, skipped)?;
                    if kind == Kind::GeometryCollection && !member.is_areal() {
                        *skipped += 1;
                    }
                }
            }
            Kind::Polyhedral(_) => {
                let n = self.count(little, 5, "faces")?;
                for _ in 0..n {
                    self.geometry(out, depth + 1, skipped)?;
                }
            }
            Kind::Curve(name) => {
                return Err(format!(
                    "curved geometry ({name}) is not read; convert it with ogr2ogr -nlt MULTIPOLYGON"
                ));
            }
        }
        Ok(kind)
    }

    fn polygon(&mut self, out: &mut Coordinates, little: bool, dims: usize) -> Result<(), String> {
        let rings = self.count(little, 4, "rings")?;
        // Room for every ring at once: a hole's room made on its own doubled the buffer.
        out.positions.reserve(self.positions_ahead(rings, little, dims));
        let f64_at = |bytes: &[u8], at: usize| {
            let mut word = [0u8; 8];
            word.copy_from_slice(&bytes[at..at + 8]);
            if little {
                f64::from_le_bytes(word)
            } else {
                f64::from_be_bytes(word)
            }
        };
        for _ in 0..rings {
            let n = self.count(little, 8 * dims, "positions")?;
            let positions = self.take(n * 8 * dims)?;
            out.positions
                .extend(positions.chunks_exact(8 * dims).map(|p| [f64_at(p, 0), f64_at(p, 8)]));
            out.ring_ends.push(out.positions.len());
        }
        // An empty polygon (no rings) is nothing to draw, not a polygon without an outline.
        if rings > 0 {
            out.polygon_ends.push(out.ring_ends.len());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(little: bool, code: u32) -> Vec<u8> {
        let mut b = vec![u8::from(little)];
        b.extend(if little { code.to_le_bytes() } else { code.to_be_bytes() });
        b
    }

    fn push_u32(b: &mut Vec<u8>, v: u32, little: bool) {
        b.extend(if little { v.to_le_bytes() } else { v.to_be_bytes() });
    }

    fn polygon(little: bool, code: u32, dims: usize, rings: &[&[[f64; 2]]]) -> Vec<u8> {
        let mut b = header(little, code);
        push_u32(&mut b, rings.len() as u32, little);
        for ring in rings {
            push_u32(&mut b, ring.len() as u32, little);
            for p in *ring {
                for (i, v) in [p[0], p[1], 7.0, 9.0].into_iter().take(dims).enumerate() {
                    let v = if i < 2 { v } else { v + 100.0 };
                    b.extend(if little { v.to_le_bytes() } else { v.to_be_bytes() });
                }
            }
        }
        b
    }

    const SQUARE: &[[f64; 2]] = &[[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]];
    const HOLE: &[[f64; 2]] = &[[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [1.0, 1.0]];

    #[test]
    fn polygons_in_every_byte_order_and_dimension() {
        for little in [true, false] {
            for (code, dims) in [
                (3, 2),
                (1003, 3),
                (2003, 3),
                (3003, 4),
                (0x8000_0003, 3),
                (0xC000_0003, 4),
            ] {
                let wkb = polygon(little, code, dims, &[SQUARE, HOLE]);
                let (kind, coords, _) = coordinates_from_wkb(&wkb);
                let coords = coords.unwrap();
                assert_eq!(kind, "Polygon");
                assert_eq!(coords.ring_ends, [5, 9], "code {code}");
                assert_eq!(coords.polygon_ends, [2]);
                assert_eq!(coords.positions[6], [1.0, 2.0], "code {code} little {little}");
                assert_eq!(coords.positions.capacity(), 9, "room made for both rings at once");
            }
        }
    }

    #[test]
    fn multipolygons_and_collections_keep_only_polygons() {
        let mut multi = header(true, 6);
        push_u32(&mut multi, 2, true);
        multi.extend(polygon(true, 3, 2, &[SQUARE]));
        multi.extend(polygon(false, 3, 2, &[HOLE]));
        let (kind, coords, _) = coordinates_from_wkb(&multi);
        assert_eq!(kind, "MultiPolygon");
        assert_eq!(coords.unwrap().polygon_ends, [1, 2]);

        let mut collection = header(true, 7);
        push_u32(&mut collection, 3, true);
        collection.extend(header(true, 1));
        collection.extend([0u8; 16]);
        collection.extend(multi);
        collection.extend(header(true, 2));
        push_u32(&mut collection, 0, true);
        let (kind, coords, ignored) = coordinates_from_wkb(&collection);
        assert_eq!(kind, "GeometryCollection");
        assert_eq!(ignored, 2);
        assert_eq!(coords.unwrap().positions.len(), 9);
    }

    #[test]
    fn points_and_lines_are_kept_empty_and_damaged_geometries_are_skips() {
        let mut point = header(true, 1);
        point.extend(2.5f64.to_le_bytes());
        point.extend((-1.0f64).to_le_bytes());
        let (kind, coords, _) = coordinates_from_wkb(&point);
        assert_eq!((kind.as_str(), coords.unwrap().points), ("Point", vec![[2.5, -1.0]]));
        let mut line = header(true, 2);
        push_u32(&mut line, 2, true);
        for v in [0.0f64, 1.0, 2.0, 3.0] {
            line.extend(v.to_le_bytes());
        }
        assert_eq!(
            coordinates_from_wkb(&line).1.unwrap().lines,
            [vec![[0.0, 1.0], [2.0, 3.0]]]
        );
        let empty = polygon(true, 3, 2, &[]);
        assert!(matches!(
            coordinates_from_wkb(&empty).1,
            Err(SkipReason::EmptyGeometry { .. })
        ));

        let mut huge = header(true, 3);
        push_u32(&mut huge, 1, true);
        push_u32(&mut huge, u32::MAX, true);
        let Err(SkipReason::Malformed { message }) = coordinates_from_wkb(&huge).1 else {
            panic!("a count beyond the bytes is malformed");
        };
        assert!(message.contains("4294967295 positions"), "{message}");

        let full = polygon(true, 3, 2, &[SQUARE]);
        for cut in 0..full.len() {
            assert!(coordinates_from_wkb(&full[..cut]).1.is_err(), "cut at {cut}");
        }
        assert!(coordinates_from_wkb(&[2, 3, 0, 0, 0]).1.is_err());
        let mut curve = header(true, 10);
        push_u32(&mut curve, 0, true);
        let Err(SkipReason::Malformed { message }) = coordinates_from_wkb(&curve).1 else {
            panic!("curves are not read");
        };
        assert!(message.contains("CurvePolygon"), "{message}");
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let mut wkb = Vec::new();
        for _ in 0..10_000 {
            wkb.extend(header(true, 7));
            push_u32(&mut wkb, 1, true);
        }
        let Err(SkipReason::Malformed { message }) = coordinates_from_wkb(&wkb).1 else {
            panic!("deep nesting is malformed");
        };
        assert!(message.contains("nested"), "{message}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any byte changed and any cut: a result or a skip reason, never a panic.
        #[test]
        fn damaged_wkb_never_panics(at in 0usize..200, byte in proptest::prelude::any::<u8>(), cut in 0usize..200) {
            let mut multi = header(true, 6);
            push_u32(&mut multi, 2, true);
            multi.extend(polygon(true, 1003, 3, &[SQUARE, HOLE]));
            multi.extend(polygon(false, 3, 2, &[HOLE]));
            let at = at % multi.len();
            multi[at] = byte;
            multi.truncate(cut.min(multi.len()));
            let _ = coordinates_from_wkb(&multi);
        }
    }
}
