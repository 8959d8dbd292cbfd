//! The interface's words in Persian and English.

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Language {
    /// فارسی
    #[default]
    Fa,
    /// English
    En,
}

/// A piece of interface text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    File,
    Open,
    OpenRecent,
    NoRecent,
    Quit,
    View,
    ZoomToLayer,
    Labels,
    LoadWarnings,
    Language,
    Districts,
    Search,
    SortByName,
    SortByPopulation,
    SortByFileOrder,
    Attributes,
    NothingSelected,
    SelectedCount,
    Loading,
    Cancel,
    CouldNotOpen,
    Dismiss,
    Skipped,
    Warnings,
    NoWarnings,
    DropHint,
    Legend,
    Marginal,
    Formal,
    Field,
    Value,
    TotalPopulation,
}

impl Language {
    /// The text of `msg` in this language.
    pub fn tr(self, msg: Msg) -> &'static str {
        use Msg::*;
        match self {
            Self::Fa => match msg {
                File => "پرونده",
                Open => "باز کردن…",
                OpenRecent => "پرونده‌های اخیر",
                NoRecent => "(هیچ)",
                Quit => "خروج",
                View => "نما",
                ZoomToLayer => "نمایش همه",
                Labels => "برچسب‌ها",
                LoadWarnings => "هشدارهای بارگذاری",
                Language => "زبان",
                Districts => "محله‌ها",
                Search => "جستجو",
                SortByName => "نام",
                SortByPopulation => "جمعیت",
                SortByFileOrder => "ترتیب پرونده",
                Attributes => "ویژگی‌ها",
                NothingSelected => "محله‌ای انتخاب نشده است. روی نقشه یا فهرست کلیک کنید.",
                SelectedCount => "محله انتخاب شده",
                Loading => "در حال بارگذاری",
                Cancel => "لغو",
                CouldNotOpen => "باز نشد",
                Dismiss => "بستن",
                Skipped => "کنار گذاشته",
                Warnings => "هشدار",
                NoWarnings => "بدون هشدار",
                DropHint => "یک پرونده GeoJSON را اینجا رها کنید یا از منوی پرونده باز کنید.",
                Legend => "راهنما",
                Marginal => "سکونتگاه حاشیه‌ای",
                Formal => "بافت رسمی",
                Field => "ویژگی",
                Value => "مقدار",
                TotalPopulation => "جمعیت کل",
            },
            Self::En => match msg {
                File => "File",
                Open => "Open…",
                OpenRecent => "Open recent",
                NoRecent => "(none)",
                Quit => "Quit",
                View => "View",
                ZoomToLayer => "Zoom to layer",
                Labels => "Labels",
                LoadWarnings => "Load warnings",
                Language => "Language",
                Districts => "Districts",
                Search => "Search",
                SortByName => "Name",
                SortByPopulation => "Population",
                SortByFileOrder => "File order",
                Attributes => "Attributes",
                NothingSelected => "No district selected. Click one on the map or in the list.",
                SelectedCount => "districts selected",
                Loading => "Loading",
                Cancel => "Cancel",
                CouldNotOpen => "Could not open",
                Dismiss => "Dismiss",
                Skipped => "skipped",
                Warnings => "warnings",
                NoWarnings => "No warnings",
                DropHint => "Drop a GeoJSON file here or open one from the File menu.",
                Legend => "Legend",
                Marginal => "Marginal settlement",
                Formal => "Formal",
                Field => "Field",
                Value => "Value",
                TotalPopulation => "Total population",
            },
        }
    }
}
