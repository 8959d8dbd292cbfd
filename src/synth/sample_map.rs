//! The bundled sample map: illustrative neighbourhoods of Yazd city and Meybod.
//!
//! Names are real neighbourhood names of Yazd, but every boundary is a jittered grid cell and
//! every population an invented estimate: the map shows how the tool works, it is not data.
//! Neighbouring cells share their borders exactly (each edge is generated once), one district
//! has a hole filled by an enclave, and one is in two parts.

use serde_json::{Value, json};

use super::rng::keyed;

const ZWNJ: &str = "\u{200c}";

/// Yazd names by grid row (south to north) and column (west to east); empty cells are left out.
/// (Persian, English, marginal)
const YAZD: [[(&str, &str, bool); 8]; 7] = [
    [
        ("", "", false),
        ("زینبیه", "Zeynabieh", false),
        ("مهر|آباد", "Mehrabad", false),
        ("سیدالشهدا", "Seyyed-ol-Shohada", false),
        ("کوی امیرکبیر", "Kuy-e Amirkabir", false),
        ("شهرک صنعتی", "Shahrak-e Sanati", false),
        ("کوچه بیوک", "Kucheh Biuk", false),
        ("", "", false),
    ],
    [
        ("کشتارگاه", "Koshtargah", true),
        ("پاچنار", "Pachenar", false),
        ("جوی هرهر", "Juy-e Harhar", false),
        ("گنبد سبز", "Gonbad-e Sabz", false),
        ("کوی شاهد", "Kuy-e Shahed", false),
        ("شهیدی", "Shahidi", false),
        ("آزادگان", "Azadegan", false),
        ("فرودگاه", "Forudgah", false),
    ],
    [
        ("شیخداد", "Sheykhdad", false),
        ("محمودی", "Mahmoudi", false),
        ("مالمیر", "Malmir", false),
        ("دروازه قرآن", "Darvazeh Quran", false),
        ("بازار نو", "Bazar-e Now", false),
        ("زرتشتیان", "Zartoshtian", false),
        ("کوی ولیعصر", "Kuy-e Valiasr", false),
        ("امامشهر", "Emamshahr", false),
    ],
    [
        ("خیر|آباد", "Kheyrabad", false),
        ("پشت باغ", "Posht-e Bagh", false),
        ("گازرگاه", "Gazargah", false),
        ("فهادان", "Fahadan", false),
        ("گودال مصلی", "Godal-e Mosalla", false),
        ("چهارمنار", "Chaharmenar", false),
        ("دهوک", "Dehuk", false),
        ("اسماعیل|آباد", "Esmailabad", false),
    ],
    [
        ("عیش|آباد", "Eyshabad", false),
        ("یعقوبی", "Yaghoubi", false),
        ("دولت|آباد", "Dowlatabad", false),
        ("سر پلک", "Sar-e Polak", false),
        ("شاه ابوالقاسم", "Shah Abolghasem", false),
        ("کوشک نو", "Kushk-e Now", false),
        ("مریم|آباد", "Maryamabad", false),
        ("رحمت|آباد", "Rahmatabad", false),
    ],
    [
        ("حسن|آباد", "Hassanabad", true),
        ("مهدی|آباد", "Mahdiabad", false),
        ("نعیم|آباد", "Naeimabad", false),
        ("کوی معلم", "Kuy-e Moallem", false),
        ("باغ گندم", "Bagh-e Gandom", false),
        ("سلسبیل", "Salsabil", false),
        ("فرهنگیان", "Farhangian", false),
        ("اسکان", "Eskan", true),
    ],
    [
        ("", "", false),
        ("اکبر|آباد", "Akbarabad", false),
        ("شهرک دانشگاه", "Shahrak-e Daneshgah", false),
        ("صفائیه", "Safaieh", false),
        ("آزادشهر", "Azadshahr", false),
        ("شهرک امام", "Shahrak-e Emam", false),
        ("خرمشاه", "Khorramshah", false),
        ("", "", false),
    ],
];

/// Meybod names by row and column, as for Yazd.
const MEYBOD: [[(&str, &str, bool); 3]; 2] = [
    [
        ("میبد: یخچال", "Meybod: Yakhchal", false),
        ("میبد: کاروانسرا", "Meybod: Caravanserai", false),
        ("میبد: محدوده حاشیه|ای ب", "Meybod: marginal area B", true),
    ],
    [
        ("میبد: نارین|قلعه", "Meybod: Narin Qaleh", false),
        ("میبد: مرکز", "Meybod: centre", false),
        ("میبد: محدوده حاشیه|ای الف", "Meybod: marginal area A", true),
    ],
];

/// A grid of shared vertices and edges: cell (c, r) spans vertices (c..=c+1, r..=r+1).
struct Grid {
    key: u64,
    west: f64,
    south: f64,
    dx: f64,
    dy: f64,
}

impl Grid {
    fn vertex(&self, c: usize, r: usize) -> [f64; 2] {
        let k = self.key ^ ((c as u64) << 20) ^ ((r as u64) << 40);
        [
            self.west + (c as f64 + keyed(k, -0.22, 0.22)) * self.dx,
            self.south + (r as f64 + keyed(k ^ 1, -0.22, 0.22)) * self.dy,
        ]
    }

    /// Points strictly between two grid vertices, wiggled the same way whichever way the edge
    /// is walked.
    fn edge(&self, a: (usize, usize), b: (usize, usize)) -> Vec<[f64; 2]> {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (p, q) = (self.vertex(lo.0, lo.1), self.vertex(hi.0, hi.1));
        let k = self.key ^ 0x5eed ^ ((lo.0 * 31 + lo.1) as u64) << 8 ^ ((hi.0 * 31 + hi.1) as u64) << 24;
        let normal = [-(q[1] - p[1]), q[0] - p[0]];
        let mut points: Vec<[f64; 2]> = [0.25, 0.5, 0.75]
            .iter()
            .enumerate()
            .map(|(n, t)| {
                let w = keyed(k + n as u64, -0.07, 0.07);
                [
                    p[0] + t * (q[0] - p[0]) + w * normal[0],
                    p[1] + t * (q[1] - p[1]) + w * normal[1],
                ]
            })
            .collect();
        if a > b {
            points.reverse();
        }
        points
    }

    /// The closed, counter-clockwise ring of cell (c, r).
    fn cell_ring(&self, c: usize, r: usize) -> Vec<[f64; 2]> {
        let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)];
        let mut ring = Vec::new();
        for i in 0..4 {
            let (a, b) = (corners[i], corners[(i + 1) % 4]);
            ring.push(self.vertex(a.0, a.1));
            ring.extend(self.edge(a, b));
        }
        ring.push(ring[0]);
        ring
    }
}

/// A closed hexagon around `centre`, counter-clockwise (or clockwise for a hole).
fn hexagon(centre: [f64; 2], rx: f64, ry: f64, clockwise: bool) -> Vec<[f64; 2]> {
    let mut ring: Vec<[f64; 2]> = (0..6)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / 6.0;
            [centre[0] + rx * a.cos(), centre[1] + ry * a.sin()]
        })
        .collect();
    if clockwise {
        ring.reverse();
    }
    ring.push(ring[0]);
    ring
}

fn round6(ring: &[[f64; 2]]) -> Value {
    json!(
        ring.iter()
            .map(|p| [(p[0] * 1e6).round() / 1e6, (p[1] * 1e6).round() / 1e6])
            .collect::<Vec<_>>()
    )
}

fn feature(
    id: String,
    name: &str,
    name_en: &str,
    city: &str,
    marginal: bool,
    population: u64,
    geometry: Value,
) -> Value {
    json!({
        "type": "Feature",
        "properties": {
            "id": id,
            "name": name.replace('|', ZWNJ),
            "name_en": name_en,
            "city": city,
            "settlement": if marginal { "marginal" } else { "formal" },
            "population": population,
        },
        "geometry": geometry,
    })
}

fn population(key: u64, marginal: bool) -> u64 {
    let (lo, hi) = if marginal {
        (9_000.0, 18_000.0)
    } else {
        (4_000.0, 16_000.0)
    };
    (keyed(key, lo, hi) / 10.0).round() as u64 * 10
}

/// The sample map as GeoJSON text, one feature per line.
///
/// ```
/// let text = mahalleh::synth::sample_map_geojson();
/// assert!(text.contains("حسن\u{200c}آباد") && text.contains("\"Meybod: marginal area A\""));
/// ```
pub fn sample_map_geojson() -> String {
    let mut features = Vec::new();
    let yazd = Grid {
        key: 0x59a2d,
        west: 54.29,
        south: 31.84,
        dx: 0.02,
        dy: 0.0172,
    };
    for (r, row) in YAZD.iter().enumerate() {
        for (c, &(name, name_en, marginal)) in row.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            let outer = yazd.cell_ring(c, r);
            let id = format!("YZD-{:02}", features.len() + 1);
            let pop = population(yazd.key ^ (r * 8 + c) as u64, marginal);
            if name_en == "Dowlatabad" {
                let centre = [
                    outer.iter().map(|p| p[0]).sum::<f64>() / outer.len() as f64,
                    outer.iter().map(|p| p[1]).sum::<f64>() / outer.len() as f64,
                ];
                let (rx, ry) = (yazd.dx * 0.22, yazd.dy * 0.22);
                let hole = hexagon(centre, rx, ry, true);
                let geometry = json!({"type": "Polygon", "coordinates": [round6(&outer), round6(&hole)]});
                features.push(feature(id, name, name_en, "یزد", marginal, pop, geometry));
                let garden = json!({"type": "Polygon", "coordinates": [round6(&hexagon(centre, rx, ry, false))]});
                let id = format!("YZD-{:02}", features.len() + 1);
                features.push(feature(
                    id,
                    "باغ دولت|آباد",
                    "Bagh-e Dowlatabad",
                    "یزد",
                    false,
                    300,
                    garden,
                ));
            } else {
                let geometry = json!({"type": "Polygon", "coordinates": [round6(&outer)]});
                features.push(feature(id, name, name_en, "یزد", marginal, pop, geometry));
            }
        }
    }
    let meybod = Grid {
        key: 0x3e7b0d,
        west: 53.98,
        south: 32.23,
        dx: 0.02,
        dy: 0.018,
    };
    for (r, row) in MEYBOD.iter().enumerate() {
        for (c, &(name, name_en, marginal)) in row.iter().enumerate() {
            let outer = round6(&meybod.cell_ring(c, r));
            let id = format!("MBD-{:02}", r * 3 + c + 1);
            let pop = population(meybod.key ^ (r * 3 + c) as u64, marginal);
            let geometry = if name_en.ends_with('B') {
                // A detached part east of the town.
                let part = hexagon([54.052, 32.236], 0.004, 0.0035, false);
                json!({"type": "MultiPolygon", "coordinates": [[outer], [round6(&part)]]})
            } else {
                json!({"type": "Polygon", "coordinates": [outer]})
            };
            features.push(feature(id, name, name_en, "میبد", marginal, pop, geometry));
        }
    }
    let mut text = String::from(
        "{\"type\":\"FeatureCollection\",\n\"name\":\"Yazd and Meybod neighbourhoods (illustrative, not official)\",\n\"features\":[\n",
    );
    let lines: Vec<String> = features.iter().map(Value::to_string).collect();
    text.push_str(&lines.join(",\n"));
    text.push_str("\n]}\n");
    text
}
