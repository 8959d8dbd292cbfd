//! A map layout: the page and what is printed on it besides the map. Saved in the plan so that the
//! same layout can be exported again after the plan changes.

use serde::{Deserialize, Serialize};

/// Paper sizes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// 841 × 1189 mm.
    A0,
    /// 594 × 841 mm.
    A1,
    /// 420 × 594 mm.
    A2,
    /// 297 × 420 mm.
    A3,
    /// 210 × 297 mm.
    A4,
    /// Any size, in millimetres (portrait: the shorter side is the width).
    Custom {
        /// Width in millimetres.
        width_mm: f64,
        /// Height in millimetres.
        height_mm: f64,
    },
}

impl Paper {
    /// Width and height of the portrait sheet in millimetres.
    pub fn portrait_mm(self) -> [f64; 2] {
        match self {
            Self::A0 => [841.0, 1189.0],
            Self::A1 => [594.0, 841.0],
            Self::A2 => [420.0, 594.0],
            Self::A3 => [297.0, 420.0],
            Self::A4 => [210.0, 297.0],
            Self::Custom { width_mm, height_mm } => [width_mm.min(height_mm), width_mm.max(height_mm)],
        }
    }

    /// Parses "A0".."A4" (any case) or "WIDTHxHEIGHT" in millimetres ("500x700").
    ///
    /// ```
    /// use mahalleh::model::layout::Paper;
    /// assert_eq!(Paper::parse("a3"), Some(Paper::A3));
    /// assert_eq!(Paper::parse("500x700").map(|p| p.portrait_mm()), Some([500.0, 700.0]));
    /// assert_eq!(Paper::parse("A7"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "A0" => Some(Self::A0),
            "A1" => Some(Self::A1),
            "A2" => Some(Self::A2),
            "A3" => Some(Self::A3),
            "A4" => Some(Self::A4),
            other => {
                let (w, h) = other.split_once('X')?;
                let (width_mm, height_mm) = (w.trim().parse::<f64>().ok()?, h.trim().parse::<f64>().ok()?);
                let sensible = |v: f64| v.is_finite() && (50.0..=5000.0).contains(&v);
                (sensible(width_mm) && sensible(height_mm)).then_some(Self::Custom { width_mm, height_mm })
            }
        }
    }
}

/// Which way the sheet is turned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Taller than wide.
    Portrait,
    /// Wider than tall: the usual for maps of a city.
    #[default]
    Landscape,
}

/// What the map frame shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapExtent {
    /// Every district and every office with its catchment: nothing the page lists is off the map.
    #[default]
    Everything,
    /// The view saved with the plan (or all districts when there is none).
    CurrentView,
    /// All districts of the layer.
    AllDistricts,
    /// The selected districts.
    SelectedDistricts,
    /// All offices, with their catchments.
    AllOffices,
}

/// The calendar of the layout's date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Calendar {
    /// Solar Hijri (Jalali), as on official documents in Iran.
    #[default]
    SolarHijri,
    /// Gregorian.
    Gregorian,
}

/// The language of the layout's own words (titles typed by the user are printed as typed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutLanguage {
    /// Persian: the page reads right to left, with Persian digits.
    #[default]
    Fa,
    /// English.
    En,
}

impl LayoutLanguage {
    /// The language the layout's labels are in.
    pub fn language(self) -> crate::text::Language {
        match self {
            Self::Fa => crate::text::Language::Fa,
            Self::En => crate::text::Language::En,
        }
    }
}

/// A layout. Every member has a default, so layouts saved by older or newer builds still read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Layout {
    /// The sheet.
    pub paper: Paper,
    /// Its orientation.
    pub orientation: Orientation,
    /// Margin on every side, millimetres.
    pub margin_mm: f64,
    /// The title, printed largest.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The organisation issuing the map.
    pub organisation: String,
    /// Who made it.
    pub author: String,
    /// The calendar of the printed date; none means by language (Solar Hijri in Persian
    /// layouts, Gregorian in English ones).
    pub calendar: Option<Calendar>,
    /// A fixed date text instead of the day of export (for reissuing a map as it was).
    pub date_text: Option<String>,
    /// The language of the layout's own words.
    pub language: LayoutLanguage,
    /// What the map frame shows.
    pub extent: MapExtent,
    /// Data source and attribution, printed at the foot.
    pub attribution: String,
    /// Print the coverage summary and the list of offices.
    pub show_indicators: bool,
    /// Print district names on the map.
    pub show_labels: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            paper: Paper::A3,
            orientation: Orientation::Landscape,
            margin_mm: 10.0,
            title: String::new(),
            subtitle: String::new(),
            organisation: String::new(),
            author: String::new(),
            calendar: None,
            date_text: None,
            language: LayoutLanguage::Fa,
            extent: MapExtent::Everything,
            attribution: String::new(),
            show_indicators: true,
            show_labels: true,
        }
    }
}

impl Layout {
    /// The calendar the date is printed in.
    pub fn calendar(&self) -> Calendar {
        self.calendar.unwrap_or(match self.language {
            LayoutLanguage::Fa => Calendar::SolarHijri,
            LayoutLanguage::En => Calendar::Gregorian,
        })
    }

    /// Width and height of the sheet as printed, millimetres.
    pub fn page_mm(&self) -> [f64; 2] {
        let [w, h] = self.paper.portrait_mm();
        match self.orientation {
            Orientation::Portrait => [w, h],
            Orientation::Landscape => [h, w],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landscape_turns_the_sheet_and_unknown_members_are_ignored() {
        let layout = Layout {
            paper: Paper::A4,
            ..Layout::default()
        };
        assert_eq!(layout.page_mm(), [297.0, 210.0]);
        let read: Layout =
            serde_json::from_str(r#"{"paper": "a2", "title": "نقشه", "from_the_future": 1}"#).unwrap_or_default();
        assert_eq!(read.paper, Paper::A2);
        assert_eq!(read.title, "نقشه");
        assert_eq!(read.margin_mm, 10.0);
        let custom = serde_json::to_string(&Paper::Custom {
            width_mm: 500.0,
            height_mm: 700.0,
        })
        .unwrap_or_default();
        assert_eq!(custom, r#"{"custom":{"width_mm":500.0,"height_mm":700.0}}"#);
    }
}
