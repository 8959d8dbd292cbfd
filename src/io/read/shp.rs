//! The geometry of a Shapefile (`.shp`): a 100-byte header, then records of one shape each.
//! Polygons (with Z or M, which are dropped) come as parts, rings without a word on which ring
//! belongs to which; `rings.rs` sorts that out. Every length is checked against the bytes there
//! are: a damaged record is an error for that record, a file cut off ends the records there.

use std::io::Read;

use rayon::prelude::*;

/// A Shapefile's shape types that are areas: Polygon, PolygonZ, PolygonM.
const POLYGON_TYPES: [i32; 3] = [5, 15, 25];
/// PolyLine, PolyLineZ, PolyLineM: laid out as polygons are.
const LINE_TYPES: [i32; 3] = [3, 13, 23];
/// Point, PointZ, PointM.
const POINT_TYPES: [i32; 3] = [1, 11, 21];
/// MultiPoint, MultiPointZ, MultiPointM.
const MULTIPOINT_TYPES: [i32; 3] = [8, 18, 28];

/// The shape of one record.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A null shape: the record has attributes but no geometry.
    Null,
    /// A polygon's rings: `parts` are the start index of each ring in `points`.
    Polygon {
        /// Start of each ring in `points`.
        parts: Vec<usize>,
        /// Every vertex, in the file's coordinate system.
        points: Vec<[f64; 2]>,
    },
    /// A polyline's parts: `parts` are the start index of each line in `points`.
    Lines {
        /// Start of each line in `points`.
        parts: Vec<usize>,
        /// Every vertex, in the file's coordinate system.
        points: Vec<[f64; 2]>,
    },
    /// A point or a multipoint's points.
    Points(Vec<[f64; 2]>),
    /// A shape neither area, line nor point (a MultiPatch), by its type number.
    Other(i32),
}

/// The records of a `.shp`.
#[derive(Clone, Debug, PartialEq)]
pub struct ShpFile {
    /// The header's shape type.
    pub shape_type: i32,
    /// The header's bounding box: min x, min y, max x, max y.
    pub bbox: [f64; 4],
    /// Each record's shape, or why it cannot be read.
    pub records: Vec<Result<Shape, String>>,
    /// Why reading stopped before the file's end, when it did.
    pub stopped: Option<String>,
}

/// Why a `.shp` cannot be read at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ShpError {
    /// Shorter than a header.
    #[error("the .shp is {0} bytes, shorter than its 100-byte header")]
    TooShort(usize),
    /// The magic number is wrong.
    #[error("not a Shapefile (file code {0}, expected 9994)")]
    NotShp(i32),
    /// The file could not be read.
    #[error("cannot read the .shp: {0}")]
    Io(String),
}

/// Human names of shape types, for messages.
pub fn shape_type_name(t: i32) -> &'static str {
    match t {
        0 => "null shape",
        1 | 11 | 21 => "Point",
        3 | 13 | 23 => "PolyLine",
        5 | 15 | 25 => "Polygon",
        8 | 18 | 28 => "MultiPoint",
        31 => "MultiPatch",
        _ => "unknown shape",
    }
}

/// Reads the records of a `.shp` from its bytes.
pub fn read_shp(bytes: &[u8]) -> Result<ShpFile, ShpError> {
    read_shp_from(bytes, bytes.len() as u64)
}

/// Bytes read at a time by [`read_shp_from`]: the file is never held whole, so a big one costs
/// this much fresh memory rather than its size (on this project's machine a fresh page costs
/// more than reading it).
const BLOCK_BYTES: usize = 8 << 20;

/// Reads the records of a `.shp` from `reader`, which holds `file_len` bytes, a block at a time;
/// the records of each block parse on all cores while nothing else is read.
pub fn read_shp_from(reader: impl Read, file_len: u64) -> Result<ShpFile, ShpError> {
    read_in_blocks(reader, file_len, BLOCK_BYTES)
}

/// [`read_shp_from`] with blocks of `block_bytes` (grown for a record that does not fit one).
fn read_in_blocks(mut reader: impl Read, file_len: u64, block_bytes: usize) -> Result<ShpFile, ShpError> {
    let io = |e: std::io::Error| ShpError::Io(e.to_string());
    if file_len < 100 {
        return Err(ShpError::TooShort(file_len as usize));
    }
    let mut header = [0u8; 100];
    reader.read_exact(&mut header).map_err(io)?;
    let code = be_i32(&header, 0);
    if code != 9994 {
        return Err(ShpError::NotShp(code));
    }
    let shape_type = le_i32(&header, 32);
    let bbox = [
        le_f64(&header, 36),
        le_f64(&header, 44),
        le_f64(&header, 52),
        le_f64(&header, 60),
    ];
    let mut records = Vec::new();
    let mut stopped = None;
    // `buf[..filled]` holds the file from byte `at` on.
    let mut buf = vec![0u8; block_bytes.clamp(8, file_len as usize)];
    let (mut filled, mut at) = (0usize, 100u64);
    let mut eof = false;
    // Where each record's content lies in the buffer; kept from block to block.
    let mut contents: Vec<std::ops::Range<usize>> = Vec::new();
    loop {
        while !eof && filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => eof = true,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io(e)),
            }
        }
        // The records wholly in the buffer.
        contents.clear();
        let mut pos = 0;
        let mut needs = None;
        while pos + 8 <= filled {
            let start = at + pos as u64 + 8;
            let Ok(content_len) = usize::try_from(be_i32(&buf, pos + 4)).map(|w| w * 2) else {
                stopped = Some(format!(
                    "record {} has a negative length at byte {}",
                    records.len() + contents.len(),
                    at + pos as u64
                ));
                break;
            };
            if start + content_len as u64 > file_len {
                stopped = Some(format!(
                    "record {} is cut off: it needs {content_len} bytes from byte {start}, the file has {file_len}",
                    records.len() + contents.len(),
                ));
                break;
            }
            if pos + 8 + content_len > filled {
                needs = Some(8 + content_len);
                break;
            }
            contents.push(pos + 8..pos + 8 + content_len);
            pos += 8 + content_len;
        }
        records.par_extend(contents.par_iter().map(|r| parse_shape(&buf[r.clone()])));
        if stopped.is_some() {
            break;
        }
        if eof {
            if let Some(n) = needs {
                // The file is shorter than its size said when the read began.
                stopped = Some(format!(
                    "record {} is cut off: it needs {} bytes from byte {}, the file has {}",
                    records.len(),
                    n - 8,
                    at + pos as u64 + 8,
                    at + filled as u64
                ));
            } else if pos < filled {
                stopped = Some(format!("{} stray byte(s) after the last record", filled - pos));
            }
            break;
        }
        buf.copy_within(pos..filled, 0);
        (filled, at) = (filled - pos, at + pos as u64);
        // A record bigger than a block (its length was checked against the file's), or a block
        // too small for a record's header.
        let wanted = needs.unwrap_or(8);
        if wanted > buf.len() {
            buf.resize(wanted, 0);
        }
    }
    Ok(ShpFile {
        shape_type,
        bbox,
        records,
        stopped,
    })
}

fn be_i32(b: &[u8], at: usize) -> i32 {
    i32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le_i32(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le_f64(b: &[u8], at: usize) -> f64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    f64::from_le_bytes(a)
}

/// One record's content.
fn parse_shape(content: &[u8]) -> Result<Shape, String> {
    if content.len() < 4 {
        return Err(format!(
            "the record holds {} bytes, not even a shape type",
            content.len()
        ));
    }
    let t = le_i32(content, 0);
    if t == 0 {
        return Ok(Shape::Null);
    }
    if POINT_TYPES.contains(&t) {
        if content.len() < 20 {
            return Err(format!(
                "a point record of {} bytes is shorter than a point",
                content.len()
            ));
        }
        return Ok(Shape::Points(vec![[le_f64(content, 4), le_f64(content, 12)]]));
    }
    if MULTIPOINT_TYPES.contains(&t) {
        return multipoint(content);
    }
    let lines = LINE_TYPES.contains(&t);
    if !lines && !POLYGON_TYPES.contains(&t) {
        return Ok(Shape::Other(t));
    }
    if content.len() < 44 {
        return Err(format!(
            "a {} record of {} bytes is shorter than its own header",
            if lines { "polyline" } else { "polygon" },
            content.len()
        ));
    }
    let (num_parts, num_points) = (le_i32(content, 36), le_i32(content, 40));
    let (Ok(num_parts), Ok(num_points)) = (usize::try_from(num_parts), usize::try_from(num_points)) else {
        return Err(format!("negative counts: {num_parts} parts, {num_points} points"));
    };
    let needed = num_parts
        .checked_mul(4)
        .and_then(|p| num_points.checked_mul(16).map(|q| 44 + p + q));
    match needed {
        Some(n) if n <= content.len() => {}
        _ => {
            return Err(format!(
                "{num_parts} parts and {num_points} points do not fit the record's {} bytes",
                content.len()
            ));
        }
    }
    let mut parts = Vec::with_capacity(num_parts);
    for k in 0..num_parts {
        let p = le_i32(content, 44 + 4 * k);
        match usize::try_from(p) {
            Ok(p) if p < num_points.max(1) && parts.last().is_none_or(|&last| p >= last) => parts.push(p),
            _ => {
                return Err(format!(
                    "part {k} starts at point {p}, outside the record's {num_points} points"
                ));
            }
        }
    }
    let first_point = 44 + 4 * num_parts;
    let points = (0..num_points)
        .map(|k| {
            let at = first_point + 16 * k;
            [le_f64(content, at), le_f64(content, at + 8)]
        })
        .collect();
    Ok(if lines {
        Shape::Lines { parts, points }
    } else {
        Shape::Polygon { parts, points }
    })
}

/// A multipoint record: a box, a count, then the points.
fn multipoint(content: &[u8]) -> Result<Shape, String> {
    if content.len() < 40 {
        return Err(format!(
            "a multipoint record of {} bytes is shorter than its own header",
            content.len()
        ));
    }
    let n = usize::try_from(le_i32(content, 36)).map_err(|_| "a negative number of points".to_string())?;
    if n.checked_mul(16).is_none_or(|b| 40 + b > content.len()) {
        return Err(format!("{n} points do not fit the record's {} bytes", content.len()));
    }
    Ok(Shape::Points(
        (0..n)
            .map(|k| [le_f64(content, 40 + 16 * k), le_f64(content, 48 + 16 * k)])
            .collect(),
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A `.shp` of polygon records, each a list of rings (closed by the caller).
    pub(crate) fn shp_bytes(records: &[Vec<Vec<[f64; 2]>>]) -> Vec<u8> {
        let mut body = Vec::new();
        for (n, rings) in records.iter().enumerate() {
            let mut content = Vec::new();
            if rings.is_empty() {
                content.extend_from_slice(&0i32.to_le_bytes());
            } else {
                content.extend_from_slice(&5i32.to_le_bytes());
                content.extend_from_slice(&[0u8; 32]);
                let points: usize = rings.iter().map(Vec::len).sum();
                content.extend_from_slice(&(rings.len() as i32).to_le_bytes());
                content.extend_from_slice(&(points as i32).to_le_bytes());
                let mut start = 0i32;
                for r in rings {
                    content.extend_from_slice(&start.to_le_bytes());
                    start += r.len() as i32;
                }
                for p in rings.iter().flatten() {
                    content.extend_from_slice(&p[0].to_le_bytes());
                    content.extend_from_slice(&p[1].to_le_bytes());
                }
            }
            body.extend_from_slice(&(n as i32 + 1).to_be_bytes());
            body.extend_from_slice(&((content.len() / 2) as i32).to_be_bytes());
            body.extend_from_slice(&content);
        }
        let mut b = vec![0u8; 100];
        b[0..4].copy_from_slice(&9994i32.to_be_bytes());
        b[24..28].copy_from_slice((((100 + body.len()) / 2) as i32).to_be_bytes().as_slice());
        b[28..32].copy_from_slice(&1000i32.to_le_bytes());
        b[32..36].copy_from_slice(&5i32.to_le_bytes());
        b.extend_from_slice(&body);
        b
    }

    fn square(x: f64, y: f64, s: f64) -> Vec<[f64; 2]> {
        vec![[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]
    }

    #[test]
    fn polygons_nulls_and_a_cut_off_end() {
        let bytes = shp_bytes(&[
            vec![square(0.0, 0.0, 1.0)],
            vec![],
            vec![square(5.0, 5.0, 2.0), square(5.5, 5.5, 0.5)],
        ]);
        let f = read_shp(&bytes).unwrap();
        assert_eq!(f.records.len(), 3);
        assert_eq!(f.records[1], Ok(Shape::Null));
        match &f.records[2] {
            Ok(Shape::Polygon { parts, points }) => {
                assert_eq!((parts.as_slice(), points.len()), ([0, 5].as_slice(), 10))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(f.stopped, None);
        let cut = read_shp(&bytes[..bytes.len() - 20]).unwrap();
        assert_eq!(cut.records.len(), 2);
        assert!(cut.stopped.unwrap().contains("record 2 is cut off"));
        assert_eq!(read_shp(&bytes[..50]), Err(ShpError::TooShort(50)));
        let mut wrong = bytes.clone();
        wrong[2] = 0;
        assert!(matches!(read_shp(&wrong), Err(ShpError::NotShp(_))));
    }

    #[test]
    fn counts_that_do_not_fit_are_a_record_error_not_a_panic() {
        let mut bytes = shp_bytes(&[vec![square(0.0, 0.0, 1.0)]]);
        // Claim a million points in record 0.
        bytes[100 + 8 + 40..100 + 8 + 44].copy_from_slice(&1_000_000i32.to_le_bytes());
        let f = read_shp(&bytes).unwrap();
        assert!(f.records[0].as_ref().unwrap_err().contains("do not fit"));
    }

    proptest::proptest! {
        /// A .shp cut anywhere or with any byte changed reads or fails; it never panics.
        #[test]
        fn damaged_shp_never_panics(cut in 0usize..400, at in 0usize..400, byte: u8) {
            let mut bytes = shp_bytes(&[vec![square(0.0, 0.0, 1.0)], vec![square(2.0, 2.0, 3.0), square(2.5, 2.5, 1.0)]]);
            if at < bytes.len() {
                bytes[at] = byte;
            }
            bytes.truncate(cut.min(bytes.len()));
            let _ = read_shp(&bytes);
        }

        /// Read in blocks of any size, a file (whole, cut or altered) gives what it gives read
        /// at once: records that span blocks are put together, and bigger ones grow the block.
        #[test]
        fn blocks_of_any_size_read_as_the_whole(block in 1usize..600, cut in 0usize..2000, at in 0usize..2000, byte: u8) {
            let big: Vec<[f64; 2]> = (0..40).map(|k| [k as f64, (k * k % 7) as f64]).collect();
            let mut bytes = shp_bytes(&[vec![square(0.0, 0.0, 1.0)], vec![], vec![big], vec![square(2.0, 2.0, 3.0), square(2.5, 2.5, 1.0)]]);
            if at < bytes.len() && at % 3 == 0 {
                bytes[at] = byte;
            }
            bytes.truncate(cut.max(100).min(bytes.len()));
            let whole = read_in_blocks(&bytes[..], bytes.len() as u64, usize::MAX);
            proptest::prop_assert_eq!(read_in_blocks(&bytes[..], bytes.len() as u64, block), whole);
        }
    }
}
