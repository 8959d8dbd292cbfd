//! The plan's data: districts, property paths, label fields, load reports, offices, reference
//! layers as the plan names them, and the plan with the commands that change it. What is loaded
//! from files (layers with their indexes and drawing data) is the workspace's.

/// The tile file drawn under the map.
pub mod basemap;
/// One district and its properties.
pub mod district;
/// One feature of a reference layer.
pub mod feature;
/// The fields of a layer's districts.
pub mod field_catalogue;
/// Dotted paths into nested properties.
pub mod field_path;
/// Undo and redo.
pub mod history;
/// Choosing the label field.
pub mod label_field;
/// Map layouts: page and printed items.
pub mod layout;
/// Skipped features, warnings and timings of a load.
pub mod load_report;
/// Facilitation offices.
pub mod office;
/// The plan and the commands that change it.
pub mod plan;
/// Reference layers of the plan and their styles.
pub mod reference_layer;
/// The planar area of a ring.
pub mod ring_area;
/// What kind of settlement a district is (marginal, informal or formal).
pub mod settlement;
/// Tables joined to the districts.
pub mod table_join;

pub use basemap::{Basemap, BasemapSource, DEFAULT_DISTRICTS_OPACITY, DEFAULT_ONLINE_MAX_ZOOM};
pub use district::{District, orient_rings, union_rect};
pub use feature::Feature;
pub use field_catalogue::{FieldInfo, field_catalogue};
pub use field_path::FieldPath;
pub use history::History;
pub use label_field::{LabelChoice, LabelField, LabelFieldReason, choose_label_fields};
pub use load_report::{
    FailedJoin, FeatureWarning, LoadReport, LoadStage, LoadWarning, SkipReason, SkippedFeature, SourceInfo,
};
pub use office::{Office, OfficeId, OfficeStatus, Service};
pub use plan::{Command, CommandError, DEFAULT_RADIUS_M, DistrictsSource, OfficeEdit, Plan, ReadChoices};
pub use reference_layer::{LAYER_COLOURS, LayerEdit, LayerId, LayerStyle, LineDash, PointSymbol, ReferenceLayer};
pub use ring_area::twice_signed_area;
pub use settlement::is_marginal;
pub use table_join::{JoinReport, JoinedColumn, KeyMatch, TableJoin, TableRowKey};
