//! The reference layers a file makes when a planner adds it: one per feature layer of a
//! GeoPackage that holds several (an OpenStreetMap export has its streets and its points of
//! interest side by side), else one for the file.

use std::path::Path;

use crate::io::SourceFormat;
use crate::io::read::geopackage::geopackage_layers;
use crate::model::{Command, Plan, ReadChoices, ReferenceLayer};

/// The command that adds the layers of `path` on top of `plan`'s over the districts, or on top
/// of those under the districts when `under_districts` (one undo step), with fresh ids taken
/// from `plan`.
///
/// ```
/// use mahalleh::model::Plan;
/// use mahalleh::workspace::add_layers_command;
/// let mut plan = Plan::default();
/// let add = add_layers_command(&mut plan, "roads.geojson".as_ref(), false);
/// plan.apply(add).unwrap();
/// assert_eq!(plan.layers[0].name, "roads");
/// ```
pub fn add_layers_command(plan: &mut Plan, path: &Path, under_districts: bool) -> Command {
    let mut tables = match SourceFormat::of(path) {
        SourceFormat::GeoPackage => geopackage_layers(path).unwrap_or_default(),
        _ => Vec::new(),
    };
    // Added one over the other: areas at the bottom, then lines, points on top.
    let rank = |geometry_type: &str| match geometry_type.to_ascii_uppercase().as_str() {
        "POINT" | "MULTIPOINT" => 2,
        "LINESTRING" | "MULTILINESTRING" => 1,
        _ => 0,
    };
    tables.sort_by_key(|t| rank(&t.geometry_type));
    let tables: Vec<String> = tables.into_iter().map(|t| t.name).collect();
    let layers: Vec<ReferenceLayer> = if tables.len() > 1 {
        tables
            .into_iter()
            .map(|table| {
                let file = ReferenceLayer::file(plan.new_layer_id(), path);
                ReferenceLayer {
                    name: format!("{}: {table}", file.name),
                    read: ReadChoices {
                        layer: Some(table),
                        ..ReadChoices::default()
                    },
                    ..file
                }
            })
            .collect()
    } else {
        vec![ReferenceLayer::file(plan.new_layer_id(), path)]
    };
    Command::Batch(
        layers
            .into_iter()
            .map(|layer| Command::AddLayer {
                index: 0,
                layer: Box::new(layer),
                under_districts,
            })
            .collect(),
    )
}
