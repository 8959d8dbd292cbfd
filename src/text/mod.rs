//! Text helpers that do not depend on a renderer: script detection for Persian and Latin.

/// Which script a string is written in, as far as label choice cares.
pub mod script;

pub use script::{is_arabic_script_char, is_mostly_arabic_script};
