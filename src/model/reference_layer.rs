//! The plan's reference layers: roads, rivers, points of interest and other boundaries drawn
//! over the districts to plan against. Each is a file (any format the districts can come in,
//! points and lines too), shown or hidden, with its opacity and its style; the plan lists them
//! top first and changes them only by commands.

use std::path::PathBuf;

use super::{FieldPath, ReadChoices};
use crate::map::palette::Rgb;

/// A reference layer's id in its plan: stable through renames, moves and undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct LayerId(pub u64);

impl std::fmt::Display for LayerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How a line is drawn along its length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineDash {
    /// Unbroken.
    #[default]
    Solid,
    /// Dashes four widths long with gaps of two.
    Dashed,
    /// Dots one width long with gaps of two.
    Dotted,
}

impl LineDash {
    /// Every dash style, in menu order.
    pub const ALL: [Self; 3] = [Self::Solid, Self::Dashed, Self::Dotted];

    /// Lengths of the drawn and blank parts in multiples of the line width; `None` when solid.
    pub fn pattern(self) -> Option<[f64; 2]> {
        match self {
            Self::Solid => None,
            Self::Dashed => Some([4.0, 2.0]),
            Self::Dotted => Some([1.0, 2.0]),
        }
    }
}

/// The symbol of a point feature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointSymbol {
    /// A filled circle.
    #[default]
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle, point up.
    Triangle,
}

impl PointSymbol {
    /// Every symbol, in menu order.
    pub const ALL: [Self; 3] = [Self::Circle, Self::Square, Self::Triangle];

    /// The symbol's outline around `centre` for a radius `r`, y down (screen and page): the
    /// same shape in the window and in layouts.
    ///
    /// ```
    /// use mahalleh::model::PointSymbol;
    /// assert_eq!(PointSymbol::Triangle.corners([0.0, 0.0], 1.0).len(), 3);
    /// assert_eq!(PointSymbol::Circle.corners([0.0, 0.0], 1.0)[0], [1.0, 0.0]);
    /// ```
    pub fn corners(self, centre: [f64; 2], r: f64) -> Vec<[f64; 2]> {
        let [x, y] = centre;
        match self {
            Self::Circle => (0..16)
                .map(|k| {
                    let a = f64::from(k) / 16.0 * std::f64::consts::TAU;
                    [x + r * a.cos(), y + r * a.sin()]
                })
                .collect(),
            Self::Square => {
                let h = r * 0.9;
                vec![[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]]
            }
            Self::Triangle => {
                let h = r * 1.15;
                vec![[x, y - h], [x + h * 0.866, y + h * 0.5], [x - h * 0.866, y + h * 0.5]]
            }
        }
    }
}

/// How a reference layer is drawn: lines and outlines by `stroke`, areas by `fill` (none when
/// `None`), points by `symbol`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LayerStyle {
    /// Colour of lines, polygon outlines and point symbols.
    pub stroke: Rgb,
    /// Width of lines and outlines, screen points (printed at the same size in points).
    pub stroke_width_pt: f32,
    /// Line dashes.
    pub dash: LineDash,
    /// Fill of polygons; they are outlines only when `None`.
    pub fill: Option<Rgb>,
    /// Symbol of point features.
    pub symbol: PointSymbol,
    /// Symbol size (diameter), screen points.
    pub symbol_size_pt: f32,
    /// The property shown as a label by each feature, if any.
    pub label_field: Option<FieldPath>,
    /// Label text size, points.
    pub label_size_pt: f32,
}

impl Default for LayerStyle {
    fn default() -> Self {
        Self {
            stroke: [0x44, 0x4C, 0x5C],
            stroke_width_pt: 1.5,
            dash: LineDash::Solid,
            fill: None,
            symbol: PointSymbol::Circle,
            symbol_size_pt: 7.0,
            label_field: None,
            label_size_pt: 11.0,
        }
    }
}

/// The stroke colours given to new layers in turn, so that two layers added one after another
/// do not look alike (ColorBrewer Dark2).
pub const LAYER_COLOURS: [Rgb; 6] = [
    [0x1B, 0x9E, 0x77],
    [0xD9, 0x5F, 0x02],
    [0x75, 0x70, 0xB3],
    [0xE7, 0x29, 0x8A],
    [0x66, 0xA6, 0x1E],
    [0xA6, 0x76, 0x1D],
];

/// A reference layer of the plan.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReferenceLayer {
    /// Its id in the plan.
    pub id: LayerId,
    /// Its name in the layer panel and legends.
    pub name: String,
    /// The file, absolute or relative to the working directory (plan files store it relative to
    /// themselves).
    pub path: PathBuf,
    /// The layer, coordinate system and encoding chosen for the file.
    #[serde(default)]
    pub read: ReadChoices,
    /// Whether it is drawn.
    pub visible: bool,
    /// Its opacity, 0 to 1.
    pub opacity: f32,
    /// How it is drawn.
    #[serde(default)]
    pub style: LayerStyle,
}

impl ReferenceLayer {
    /// The file `path` as layer `id`, named after the file, shown, in the `id`-th colour.
    ///
    /// ```
    /// use mahalleh::model::{LayerId, ReferenceLayer};
    /// let roads = ReferenceLayer::file(LayerId(1), "data/roads.gpkg");
    /// assert_eq!(roads.name, "roads");
    /// assert!(roads.visible);
    /// ```
    pub fn file(id: LayerId, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("layer {id}"));
        let colour = LAYER_COLOURS[(id.0 as usize).wrapping_sub(1) % LAYER_COLOURS.len()];
        Self {
            id,
            name,
            path,
            read: ReadChoices::default(),
            visible: true,
            opacity: 1.0,
            style: LayerStyle {
                stroke: colour,
                ..LayerStyle::default()
            },
        }
    }
}

/// One change to one reference layer; each touches one field so that edits made one after
/// another never undo each other.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerEdit {
    /// Rename it.
    Rename(String),
    /// Show or hide it.
    Visible(bool),
    /// Set its opacity, 0 to 1.
    Opacity(f32),
    /// Set its style.
    Style(Box<LayerStyle>),
    /// Read its file with other choices (layer, coordinate system, encoding).
    Read(ReadChoices),
}
