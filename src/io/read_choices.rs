//! The planner's choices about reading a file (layer, coordinate system, encoding), from the
//! text a plan stores and the command line takes into the options a load uses. One place, so
//! the window, the plan and every verb read them alike.

use super::crs::{CrsDefinition, CrsError, crs_from_epsg};
use super::load::LoadOptions;
use super::read::dbf::encoding_from_label;
use crate::model::{FieldPath, ReadChoices};

/// A choice that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ReadChoiceError {
    /// Not an `EPSG:N` code.
    #[error("a coordinate system is given as EPSG:NNNN, not {0}")]
    NotEpsg(String),
    /// An EPSG code no definition is known for.
    #[error(transparent)]
    Crs(#[from] CrsError),
    /// An encoding name no decoder knows.
    #[error("unknown text encoding {0} (UTF-8, windows-1256, ...)")]
    Encoding(String),
}

/// The coordinate system `text` names: `EPSG:32639`, `epsg:32639` or `32639`.
///
/// ```
/// use mahalleh::io::crs_from_text;
/// assert!(crs_from_text("EPSG:32639").unwrap().to_string().contains("32639"));
/// assert!(crs_from_text("UTM 39").is_err());
/// ```
pub fn crs_from_text(text: &str) -> Result<CrsDefinition, ReadChoiceError> {
    let upper = text.trim().to_ascii_uppercase();
    let code = upper
        .strip_prefix("EPSG:")
        .unwrap_or(&upper)
        .trim()
        .parse::<u32>()
        .map_err(|_| ReadChoiceError::NotEpsg(text.to_string()))?;
    Ok(crs_from_epsg(code)?)
}

/// The load options `choices` ask for, labelling by `label_field` when given.
pub fn load_options(choices: &ReadChoices, label_field: Option<FieldPath>) -> Result<LoadOptions, ReadChoiceError> {
    let crs = choices.crs.as_deref().map(crs_from_text).transpose()?;
    let encoding = match &choices.encoding {
        None => None,
        Some(name) => Some(encoding_from_label(name).ok_or_else(|| ReadChoiceError::Encoding(name.clone()))?),
    };
    Ok(LoadOptions {
        label_field,
        crs,
        encoding,
        layer: choices.layer.clone(),
        skip_drawing: false,
        joins: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_become_options_or_say_what_is_wrong() {
        let choices = ReadChoices {
            layer: Some("mahalat".into()),
            crs: Some(" epsg:2060 ".into()),
            encoding: Some("ANSI 1256".into()),
        };
        let options = load_options(&choices, None).unwrap();
        assert_eq!(options.layer.as_deref(), Some("mahalat"));
        assert!(options.crs.unwrap().to_string().contains("2060"));
        assert_eq!(options.encoding.unwrap().name(), "windows-1256");
        let bad = |c: ReadChoices| load_options(&c, None).unwrap_err().to_string();
        let crs = |t: &str| ReadChoices {
            crs: Some(t.into()),
            ..ReadChoices::default()
        };
        assert!(bad(crs("UTM 39N")).contains("EPSG:NNNN, not UTM 39N"));
        assert!(bad(crs("EPSG:99999")).contains("99999"));
        let encoding = ReadChoices {
            encoding: Some("klingon".into()),
            ..ReadChoices::default()
        };
        assert!(bad(encoding).contains("unknown text encoding klingon"));
    }
}
