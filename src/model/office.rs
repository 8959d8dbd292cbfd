//! A local development facilitation office (دفتر تسهیلگری توسعه محلی): where it is, what stage it is
//! at, which services it hosts and who runs it.

use std::collections::BTreeSet;
use std::fmt;

/// A stable identifier of an office within a plan; never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct OfficeId(pub u64);

impl fmt::Display for OfficeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "office-{}", self.0)
    }
}

/// How far an office has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficeStatus {
    /// A candidate site under discussion.
    #[default]
    Proposed,
    /// Approved by the provincial or municipal authority.
    Approved,
    /// Open and working.
    Operating,
}

impl OfficeStatus {
    /// Every status, in order.
    pub const ALL: [OfficeStatus; 3] = [Self::Proposed, Self::Approved, Self::Operating];
}

/// A service an office can host.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Consulting (مشاوره).
    Consulting,
    /// Urban planning (شهرسازی).
    UrbanPlanning,
    /// Sociology (جامعه‌شناسی).
    Sociology,
    /// Legal aid (مشاوره حقوقی).
    LegalAid,
    /// Micro-finance (تأمین مالی خرد).
    MicroFinance,
    /// Anything else, in the planner's words.
    Other(String),
}

impl Service {
    /// The services with names of their own.
    pub const NAMED: [Service; 5] = [
        Self::Consulting,
        Self::UrbanPlanning,
        Self::Sociology,
        Self::LegalAid,
        Self::MicroFinance,
    ];
}

/// One office. The district it stands in is not stored: it is derived from the district layer.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Office {
    /// Stable identifier.
    pub id: OfficeId,
    /// Name, as the planners call it.
    pub name: String,
    /// Location, WGS 84 longitude and latitude in degrees.
    pub lon_lat: [f64; 2],
    /// Stage.
    #[serde(default)]
    pub status: OfficeStatus,
    /// Services hosted.
    #[serde(default)]
    pub services: BTreeSet<Service>,
    /// The organisation or local group that runs (or will run) it.
    #[serde(default)]
    pub operator: String,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
}

impl Office {
    /// A proposed office with no services yet.
    pub fn proposed(id: OfficeId, name: impl Into<String>, lon_lat: [f64; 2]) -> Self {
        Self {
            id,
            name: name.into(),
            lon_lat,
            status: OfficeStatus::Proposed,
            services: BTreeSet::new(),
            operator: String::new(),
            notes: String::new(),
        }
    }
}
