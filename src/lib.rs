//! mahalleh: a planning workbench for neighbourhood-centred urban regeneration.
//!
//! This library is the headless core: it never imports egui. The folders show the architecture:
//! files come in through [`io`], become a [`model::DistrictLayer`], are indexed by [`index`] for
//! spatial questions, and are prepared for drawing by [`map`]. See `ARCHITECTURE.md`.

pub mod analysis;
pub mod basemap;
pub mod export;
pub mod index;
pub mod io;
pub mod map;
pub mod model;
pub mod slots;
pub mod style;
pub mod synth;
pub mod text;
pub mod ui;
pub mod workspace;
