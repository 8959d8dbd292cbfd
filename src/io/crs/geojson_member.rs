//! The legacy `crs` member of GeoJSON (2008 spec): WGS 84 longitude/latitude needs nothing, an
//! EPSG system is read in that system and reprojected at load, and anything else is refused
//! with its name (coordinates in an unknown system would be drawn in the wrong place).

use serde_json::Value;

use super::{CrsDefinition, crs_from_epsg};

/// The coordinate system a top-level `crs` value names: `Ok(None)` for null, CRS84 or
/// EPSG:4326 (nothing to do); the definition of another EPSG system; otherwise the name of the
/// system found, such as `EPSG:999999` or "a linked coordinate system definition".
///
/// ```
/// use serde_json::json;
/// use mahalleh::io::crs::crs_of_member;
/// let wgs = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}});
/// assert!(crs_of_member(&wgs).unwrap().is_none());
/// let utm = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32640"}});
/// assert!(crs_of_member(&utm).unwrap().unwrap().to_string().contains("32640"));
/// ```
pub fn crs_of_member(crs: &Value) -> Result<Option<CrsDefinition>, String> {
    match named_code(crs)? {
        None | Some(4326) => Ok(None),
        Some(code) => crs_from_epsg(code).map(Some).map_err(|_| format!("EPSG:{code}")),
    }
}

/// The EPSG code a `crs` value names; `None` for null and CRS84.
fn named_code(crs: &Value) -> Result<Option<u32>, String> {
    let kind = crs.get("type").and_then(Value::as_str).unwrap_or_default();
    let props = crs.get("properties");
    match (crs, kind.to_ascii_lowercase().as_str()) {
        (Value::Null, _) => Ok(None),
        (_, "name") => {
            let name = props
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            check_name(name)
        }
        (_, "epsg") => match props.and_then(|p| p.get("code")) {
            Some(code) => code
                .as_u64()
                .and_then(|c| u32::try_from(c).ok())
                .or_else(|| code.as_str().and_then(|c| c.trim().parse().ok()))
                .map(Some)
                .ok_or_else(|| format!("EPSG:{code}")),
            None => Err("an EPSG system without a code".to_string()),
        },
        (_, "link") => Err("a linked coordinate system definition".to_string()),
        _ => Err(format!("an unrecognised crs member {crs}")),
    }
}

fn check_name(name: &str) -> Result<Option<u32>, String> {
    let upper = name.trim().to_ascii_uppercase();
    if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
        return Ok(None);
    }
    if let Some(at) = upper.rfind("EPSG") {
        let digits: String = upper[at..].chars().rev().take_while(char::is_ascii_digit).collect();
        let code: String = digits.chars().rev().collect();
        return code.parse().map(Some).map_err(|_| name.to_string());
    }
    Err(if name.is_empty() {
        "an unnamed coordinate system".to_string()
    } else {
        name.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn named(name: &str) -> Value {
        json!({"type": "name", "properties": {"name": name}})
    }

    #[test]
    fn wgs84_spellings_need_nothing() {
        for n in [
            "urn:ogc:def:crs:OGC:1.3:CRS84",
            "urn:ogc:def:crs:OGC::CRS84",
            "EPSG:4326",
            "urn:ogc:def:crs:EPSG::4326",
            "epsg:4326",
        ] {
            assert_eq!(crs_of_member(&named(n)), Ok(None), "{n}");
        }
        assert_eq!(crs_of_member(&Value::Null), Ok(None));
        assert_eq!(
            crs_of_member(&json!({"type": "EPSG", "properties": {"code": 4326}})),
            Ok(None)
        );
    }

    #[test]
    fn epsg_systems_are_defined_and_others_named() {
        let def = |v: Value| crs_of_member(&v).unwrap().unwrap().to_string();
        assert!(def(named("EPSG:3857")).contains("3857"));
        assert!(def(json!({"type": "EPSG", "properties": {"code": 32640}})).contains("32640"));
        assert!(def(json!({"type": "EPSG", "properties": {"code": "2060"}})).contains("2060"));
        assert_eq!(crs_of_member(&named("EPSG:999999")), Err("EPSG:999999".into()));
        assert_eq!(crs_of_member(&named("LOCAL_CS")), Err("LOCAL_CS".into()));
        assert_eq!(
            crs_of_member(&json!({"type": "link", "properties": {"href": "x.prj"}})),
            Err("a linked coordinate system definition".into())
        );
    }
}
