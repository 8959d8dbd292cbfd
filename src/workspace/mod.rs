//! The data a plan's layers are loaded into, kept apart from the plan itself: the plan says
//! which files (and how to read them); the workspace holds what was read, keyed by layer id,
//! and says which layers still need reading after a command changed the plan. The window reads
//! them on threads, the command line all at once; both go through [`ReferenceData`].

/// Identity of one loaded copy of a layer's data, for caches.
pub mod data_id;
/// Districts grouped by a property's value (city, region).
pub mod district_groups;
/// A loaded district layer with its index and drawing data.
pub mod district_layer;
/// A loaded reference layer: features of any geometry.
pub mod feature_layer;
/// The reference layers a file makes when added.
pub mod new_layers;
/// Loaded reference layers keyed by layer id.
pub mod reference_data;

pub use data_id::{DataId, OwnDataId};
pub use district_groups::{DistrictGroup, district_groups};
pub use district_layer::DistrictLayer;
pub use feature_layer::{FeatureLayer, GeometryCounts};
pub use new_layers::add_layers_command;
pub use reference_data::{LayerSlot, LoadRequest, ReferenceData};
