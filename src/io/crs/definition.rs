//! Which coordinate system a file's coordinates are in: from an EPSG code, or from WKT as written
//! in a Shapefile's `.prj` (ESRI flavour) or a GeoPackage. ESRI `.prj` files never carry a datum
//! shift (TOWGS84); for a datum other than WGS 84 the shift comes from the EPSG definition of the
//! named system or datum, never a silent zero shift that puts the map tens of metres off.

use std::fmt;

/// A coordinate system coordinates can be turned into WGS 84 longitude/latitude from.
#[derive(Clone, Debug, PartialEq)]
pub struct CrsDefinition {
    /// The PROJ string proj4rs reads, datum shift included.
    pub proj: String,
    /// The name a planner recognises ("WGS 84 / UTM zone 39N (EPSG:32639)").
    pub name: String,
    /// How the definition was found, for the load report ("the .prj names EPSG:32639").
    pub how: String,
    /// True for WGS 84 longitude/latitude itself: nothing to transform.
    pub is_wgs84_lon_lat: bool,
}

/// Why a coordinate system could not be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CrsError {
    /// An EPSG code no bundled definition has.
    #[error("unsupported coordinate system EPSG:{0}")]
    UnknownEpsg(u32),
    /// WKT that could not be read.
    #[error("the coordinate system definition cannot be read ({0})")]
    BadWkt(String),
    /// A datum with no known shift to WGS 84.
    #[error("the datum {0} has no known shift to WGS 84; give the layer's EPSG code (--crs EPSG:NNNN)")]
    UnknownDatum(String),
    /// A definition proj4rs cannot use.
    #[error("the coordinate system {name} cannot be used ({reason})")]
    Unusable {
        /// Its name.
        name: String,
        /// proj4rs's reason.
        reason: String,
    },
}

/// WGS 84 longitude/latitude, the coordinates the model keeps.
pub fn wgs84() -> CrsDefinition {
    CrsDefinition {
        proj: "+proj=longlat +datum=WGS84 +no_defs".into(),
        name: "WGS 84 (EPSG:4326)".into(),
        how: "longitude/latitude".into(),
        is_wgs84_lon_lat: true,
    }
}

/// The system with EPSG code `code`, from the bundled EPSG definitions.
///
/// ```
/// let utm = mahalleh::io::crs::crs_from_epsg(32640).unwrap();
/// assert!(utm.proj.contains("+zone=40"));
/// assert!(mahalleh::io::crs::crs_from_epsg(4326).unwrap().is_wgs84_lon_lat);
/// ```
pub fn crs_from_epsg(code: u32) -> Result<CrsDefinition, CrsError> {
    if code == 4326 {
        return Ok(CrsDefinition {
            how: "EPSG:4326".into(),
            ..wgs84()
        });
    }
    let def = u16::try_from(code)
        .ok()
        .and_then(crs_definitions::from_code)
        .ok_or(CrsError::UnknownEpsg(code))?;
    // The bundled definitions carry EPSG's 19 m three-parameter shift for ED50(ED77); PROJ uses
    // the 1 m seven-parameter one for Iran, and so do we.
    let (proj, how) = if matches!(code, 2058..=2061 | 4154) {
        (
            replace_towgs84(def.proj4, ED77_IRAN.towgs84),
            format!("EPSG:{code}, with the {} shift", ED77_IRAN.source),
        )
    } else {
        (def.proj4.to_string(), format!("EPSG:{code}"))
    };
    Ok(CrsDefinition {
        proj,
        name: format!("{} (EPSG:{code})", epsg_name(code)),
        how,
        is_wgs84_lon_lat: false,
    })
}

/// The OGC WKT of EPSG `code`, for writing a `.prj` or a GeoPackage's `gpkg_spatial_ref_sys`.
/// For systems whose datum shift is chosen by region (ED50(ED77) in Iran) the bundled mean
/// `TOWGS84` is left out, so readers use EPSG's regional shift by the code, as mahalleh does.
///
/// ```
/// let wkt = mahalleh::io::crs::wkt_of_epsg(2060).unwrap();
/// assert!(wkt.contains("AUTHORITY[\"EPSG\",\"2060\"]") && !wkt.contains("TOWGS84"));
/// ```
pub fn wkt_of_epsg(code: u32) -> Option<String> {
    let def = u16::try_from(code).ok().and_then(crs_definitions::from_code)?;
    let wkt = def.wkt.to_string();
    if !matches!(code, 2058..=2061 | 4154) {
        return Some(wkt);
    }
    let Some(start) = wkt.find(",TOWGS84[") else {
        return Some(wkt);
    };
    let end = wkt[start..].find(']').map(|e| start + e + 1)?;
    Some(format!("{}{}", &wkt[..start], &wkt[end..]))
}

/// EPSG's transformation "ED50(ED77) to WGS 84 (1)" for Iran, onshore and offshore (accuracy
/// 1 m), as PROJ chooses it; position-vector convention, as `+towgs84` takes it.
const ED77_IRAN: DatumShift = DatumShift {
    towgs84: "-110.33,-97.73,-119.85,0.3423,1.1634,0.2715,0.063",
    source: "EPSG \"ED50(ED77) to WGS 84 (1)\" (Iran, 1 m)",
};

/// A readable name for the systems Iranian data comes in; others are named by their code.
fn epsg_name(code: u32) -> String {
    match code {
        32601..=32660 => format!("WGS 84 / UTM zone {}N", code - 32600),
        32701..=32760 => format!("WGS 84 / UTM zone {}S", code - 32700),
        2058..=2061 => format!("ED50(ED77) / UTM zone {}N", code - 2058 + 38),
        23028..=23038 => format!("ED50 / UTM zone {}N", code - 23000),
        3857 => "WGS 84 / Pseudo-Mercator".into(),
        2263 => "NAD83 / New York Long Island (ftUS)".into(),
        _ => format!("EPSG:{code}"),
    }
}

/// The system a WKT text describes (a `.prj`, a GeoPackage `definition`).
///
/// ```
/// let prj = r#"PROJCS["WGS_1984_UTM_Zone_39N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",51.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
/// let crs = mahalleh::io::crs::crs_from_wkt(prj).unwrap();
/// assert_eq!(crs.name, "WGS 84 / UTM zone 39N (EPSG:32639)");
/// ```
pub fn crs_from_wkt(wkt: &str) -> Result<CrsDefinition, CrsError> {
    let wkt = wkt.trim().trim_start_matches('\u{feff}');
    if let Some(code) = top_authority_epsg(wkt) {
        let mut crs = crs_from_epsg(code)?;
        crs.how = format!("the definition names EPSG:{code}");
        return Ok(crs);
    }
    let name = first_quoted(wkt).unwrap_or_default();
    if let Some(code) = epsg_from_esri_name(&name) {
        let mut crs = crs_from_epsg(code)?;
        crs.how = format!("the definition's name \"{name}\" is EPSG:{code}");
        return Ok(crs);
    }
    if wkt.starts_with("GEOGCS") && is_wgs84_datum(&datum_name(wkt).unwrap_or_default()) {
        return Ok(CrsDefinition {
            how: format!("the definition is WGS 84 longitude/latitude (\"{name}\")"),
            ..wgs84()
        });
    }
    let proj = proj4wkt::wkt_to_projstring(wkt).map_err(|e| CrsError::BadWkt(e.to_string()))?;
    // proj4wkt assumes a zero shift when the WKT has none: right only for WGS 84 and its kin.
    let datum = datum_name(wkt).unwrap_or_default();
    let has_shift = wkt.to_ascii_uppercase().contains("TOWGS84");
    let (proj, how) = if has_shift || is_wgs84_datum(&datum) {
        (proj, format!("the definition \"{name}\" read as WKT"))
    } else {
        let shift = datum_shift(&datum).ok_or_else(|| CrsError::UnknownDatum(datum.clone()))?;
        (
            replace_towgs84(&proj, shift.towgs84),
            format!(
                "the definition \"{name}\" read as WKT, with the {} shift of datum {datum}",
                shift.source
            ),
        )
    };
    Ok(CrsDefinition {
        proj,
        name: if name.is_empty() { "unnamed".into() } else { name },
        how,
        is_wgs84_lon_lat: false,
    })
}

/// The EPSG code in the outermost `AUTHORITY["EPSG","N"]` (the last one at nesting depth 1).
fn top_authority_epsg(wkt: &str) -> Option<u32> {
    let mut depth = 0usize;
    let mut found = None;
    let bytes = wkt.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth = depth.saturating_sub(1),
            b'A' | b'a' if depth == 1 => {
                let rest = &wkt[i..];
                if rest.len() > 9 && rest[..9].eq_ignore_ascii_case("AUTHORITY") {
                    let inner = rest[9..].trim_start().strip_prefix('[')?;
                    let mut parts = inner.split(',');
                    let authority = parts.next()?.trim().trim_matches('"');
                    let code = parts.next()?.split(']').next()?.trim().trim_matches('"');
                    if authority.eq_ignore_ascii_case("EPSG") {
                        found = code.parse().ok();
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The first quoted string: the system's name.
fn first_quoted(wkt: &str) -> Option<String> {
    let start = wkt.find('"')? + 1;
    let end = start + wkt[start..].find('"')?;
    Some(wkt[start..end].to_string())
}

/// The `DATUM["…"]` name.
fn datum_name(wkt: &str) -> Option<String> {
    let at = wkt.to_ascii_uppercase().find("DATUM[")?;
    first_quoted(&wkt[at..])
}

/// The names Esri writes for systems EPSG defines, as the `.prj` files planners get carry them.
fn epsg_from_esri_name(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase().replace(['-', ' '], "_");
    let zone = |prefix: &str| -> Option<(u32, char)> {
        let rest = n.strip_prefix(prefix)?;
        let hemisphere = rest.chars().last()?;
        let number: u32 = rest[..rest.len() - 1].parse().ok()?;
        (1..=60).contains(&number).then_some((number, hemisphere))
    };
    if let Some((z, h)) = zone("wgs_1984_utm_zone_") {
        return Some(if h == 's' { 32700 + z } else { 32600 + z });
    }
    if let Some((z, 'n')) = zone("ed_1950_ed77_utm_zone_") {
        return (38..=41).contains(&z).then_some(2058 + z - 38);
    }
    if let Some((z, 'n')) = zone("ed_1950_utm_zone_") {
        return (28..=38).contains(&z).then_some(23000 + z);
    }
    match n.as_str() {
        "wgs_1984_web_mercator_auxiliary_sphere" | "wgs_84_pseudo_mercator" | "wgs_1984_web_mercator" => Some(3857),
        "nad_1983_stateplane_new_york_long_island_fips_3104_feet" => Some(2263),
        _ => None,
    }
}

/// True for WGS 84 and the datums that coincide with it at map scale (GRS 80 based, NAD83).
fn is_wgs84_datum(datum: &str) -> bool {
    let d = datum.to_ascii_lowercase().replace([' ', '-'], "_");
    let d = d.trim_start_matches("d_");
    matches!(
        d,
        "wgs_1984" | "wgs84" | "world_geodetic_system_1984" | "north_american_1983" | "north_american_datum_1983"
    )
}

/// A datum's shift to WGS 84 and where it comes from.
struct DatumShift {
    towgs84: &'static str,
    source: &'static str,
}

/// Shifts of the datums Iranian data is in (EPSG's own transformations).
fn datum_shift(datum: &str) -> Option<DatumShift> {
    let d = datum.to_ascii_lowercase().replace([' ', '-', '(', ')'], "_");
    let d = d.trim_start_matches("d_").trim_end_matches('_');
    match d {
        "european_1950_ed77" | "european_datum_1950_1977" | "ed50_ed77" => Some(ED77_IRAN),
        "european_1950" | "european_datum_1950" | "ed50" => Some(DatumShift {
            towgs84: "-87,-98,-121,0,0,0,0",
            source: "EPSG ED50 to WGS 84 (mean, Western Europe)",
        }),
        // GDAL names the datum of a bare proj string this way; PROJ then shifts nothing.
        _ if d.starts_with("unknown_based_on_wgs") || d.starts_with("unknown_based_on_grs") => Some(DatumShift {
            towgs84: "0,0,0,0,0,0,0",
            source: "zero (an unnamed datum on the WGS 84 or GRS 80 ellipsoid, as PROJ takes it)",
        }),
        _ => None,
    }
}

/// `proj` with its `+towgs84=` replaced (or added).
fn replace_towgs84(proj: &str, towgs84: &str) -> String {
    let mut parts: Vec<String> = proj
        .split_whitespace()
        .filter(|p| !p.starts_with("+towgs84="))
        .map(str::to_string)
        .collect();
    parts.push(format!("+towgs84={towgs84}"));
    parts.join(" ")
}

impl fmt::Display for CrsDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.contains(&self.how) {
            f.write_str(&self.name)
        } else {
            write!(f, "{} ({})", self.name, self.how)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esri_names_of_iranian_systems_are_epsg_codes() {
        assert_eq!(epsg_from_esri_name("WGS_1984_UTM_Zone_40N"), Some(32640));
        assert_eq!(epsg_from_esri_name("WGS_1984_UTM_Zone_38S"), Some(32738));
        assert_eq!(epsg_from_esri_name("ED_1950_ED77_UTM_Zone_39N"), Some(2059));
        assert_eq!(epsg_from_esri_name("ED_1950_UTM_Zone_38N"), Some(23038));
        assert_eq!(
            epsg_from_esri_name("ED_1950_UTM_Zone_39N"),
            None,
            "EPSG has no such system"
        );
        assert_eq!(
            epsg_from_esri_name("WGS_1984_Web_Mercator_Auxiliary_Sphere"),
            Some(3857)
        );
    }

    #[test]
    fn an_authority_at_the_top_names_the_system() {
        let wkt = r#"PROJCS["ED50(ED77) / UTM zone 40N",GEOGCS["ED50(ED77)",DATUM["European_Datum_1950_1977",SPHEROID["International 1924",6378388,297,AUTHORITY["EPSG","7022"]],AUTHORITY["EPSG","6154"]],AUTHORITY["EPSG","4154"]],PROJECTION["Transverse_Mercator"],AUTHORITY["EPSG","2060"]]"#;
        assert_eq!(top_authority_epsg(wkt), Some(2060));
        let crs = crs_from_wkt(wkt).unwrap();
        assert!(crs.proj.contains("+towgs84=-110.33,-97.73,-119.85"), "{}", crs.proj);
    }

    #[test]
    fn an_esri_prj_with_another_datum_gets_that_datums_shift_not_zero() {
        // An Esri-style ED50(ED77) Lambert definition with no TOWGS84 and a name EPSG does not use.
        let wkt = r#"PROJCS["Iran_Lambert_ED77",GEOGCS["GCS_European_1950_ED77",DATUM["D_European_1950_ED77",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",5000000.0],PARAMETER["False_Northing",30000000.0],PARAMETER["Central_Meridian",54.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",36.0],PARAMETER["Latitude_Of_Origin",24.0],UNIT["Meter",1.0]]"#;
        let crs = crs_from_wkt(wkt).unwrap();
        assert!(crs.proj.contains("+proj=lcc"), "{}", crs.proj);
        assert!(
            crs.proj.contains("+towgs84=-110.33,-97.73,-119.85,0.3423"),
            "{}",
            crs.proj
        );
        assert!(!crs.proj.contains("towgs84=0,0,0"), "{}", crs.proj);
        assert!(crs.how.contains("D_European_1950_ED77"), "{}", crs.how);
        let unknown = wkt.replace("D_European_1950_ED77", "D_Somewhere_1900");
        assert_eq!(
            crs_from_wkt(&unknown),
            Err(CrsError::UnknownDatum("D_Somewhere_1900".into()))
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in ["", "hello", "PROJCS[", "PROJCS[\"x\",GEOGCS[", "\u{0}\u{1}"] {
            assert!(crs_from_wkt(text).is_err(), "{text:?}");
        }
    }
}
