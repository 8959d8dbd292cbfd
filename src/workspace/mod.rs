//! The data a plan's layers are loaded into, kept apart from the plan itself: the plan says
//! which files (and how to read them); the workspace holds what was read, keyed by layer id,
//! and says which layers still need reading after a command changed the plan. The window reads
//! them on threads, the command line all at once; both go through [`ReferenceData`].

/// The reference layers a file makes when added.
pub mod new_layers;
/// Loaded reference layers keyed by layer id.
pub mod reference_data;

pub use new_layers::add_layers_command;
pub use reference_data::{LayerSlot, LoadRequest, ReferenceData};
