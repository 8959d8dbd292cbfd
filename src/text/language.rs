//! The two languages mahalleh speaks: the interface's, and the one labels and layouts are in.

/// Persian or English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Language {
    /// فارسی
    #[default]
    Fa,
    /// English
    En,
}
