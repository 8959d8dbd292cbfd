//! The map: camera, drawing (GPU and CPU), labels, scale bar and the widget that ties them.

/// The basemap's tiles as textures, drawn under the districts.
pub mod basemap_tiles;
/// Where the map looks.
pub mod camera;
/// Drawing with egui meshes.
pub mod cpu_paint;
/// The district layer as an image of district ids, for panning and zooming.
pub mod gl_cache;
/// A picture of part of the map held on the GPU, for panning and zooming.
pub mod gl_image;
/// Reference layers' lines drawn with OpenGL from buffers uploaded once.
pub mod gl_lines;
/// Heavy reference layers kept as pictures while the camera moves.
pub mod gl_lines_image;
/// Drawing round marks with OpenGL.
pub mod gl_marks;
/// Drawing with OpenGL buffers.
pub mod gl_paint;
/// The map as last drawn in full, shown while the camera moves.
pub mod gl_snapshot;
/// Basemap tiles drawn in the GL callback.
pub mod gl_tiles;
/// Hovered and selected districts drawn over the map.
pub mod highlights;
/// Labels with collision avoidance.
pub mod labels;
/// Levels of detail, coarse ones built on a thread.
pub mod levels;
/// Round marks (office symbols, catchments) drawn for overlays.
pub mod marks;
/// Reference layers drawn as egui meshes.
pub mod reference_paint;
/// The scale bar.
pub mod scale_bar;
/// A layer prepared for drawing.
pub mod scene;
/// Colours.
pub mod style;
/// The hover tooltip.
pub mod tooltip;
/// The map widget.
pub mod view;

pub use camera::Camera;
pub use marks::Mark;
pub use scene::MapScene;
pub use view::{MapOutput, MapOverlay, MapRenderer, MapState, OverlayStack, Projector, map_ui};
