//! The legacy `crs` member of GeoJSON (2008 spec): accept WGS 84 longitude/latitude, refuse the rest
//! with the system's name, since coordinates in any other system would be drawn in the wrong place.

use serde_json::Value;

/// Checks a top-level `crs` value. `Ok` for null, CRS84 or EPSG:4326; otherwise the name of the
/// coordinate system found, such as `EPSG:32640`.
///
/// ```
/// use serde_json::json;
/// use mahalleh::io::check_crs;
/// let wgs = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}});
/// assert!(check_crs(&wgs).is_ok());
/// let utm = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32640"}});
/// assert_eq!(check_crs(&utm), Err("EPSG:32640".to_string()));
/// ```
pub fn check_crs(crs: &Value) -> Result<(), String> {
    let kind = crs.get("type").and_then(Value::as_str).unwrap_or_default();
    let props = crs.get("properties");
    match (crs, kind.to_ascii_lowercase().as_str()) {
        (Value::Null, _) => Ok(()),
        (_, "name") => {
            let name = props
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            check_name(name)
        }
        (_, "epsg") => match props.and_then(|p| p.get("code")) {
            Some(code) if code.as_u64() == Some(4326) || code.as_str() == Some("4326") => Ok(()),
            Some(code) => Err(format!(
                "EPSG:{}",
                code.as_str().map_or_else(|| code.to_string(), str::to_string)
            )),
            None => Err("an EPSG system without a code".to_string()),
        },
        (_, "link") => Err("a linked coordinate system definition".to_string()),
        _ => Err(format!("an unrecognised crs member {crs}")),
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let upper = name.trim().to_ascii_uppercase();
    if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
        return Ok(());
    }
    if let Some(at) = upper.rfind("EPSG") {
        let digits: String = upper[at..].chars().rev().take_while(char::is_ascii_digit).collect();
        let code: String = digits.chars().rev().collect();
        return match code.as_str() {
            "4326" => Ok(()),
            "" => Err(name.to_string()),
            _ => Err(format!("EPSG:{code}")),
        };
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
    fn wgs84_spellings_pass() {
        for n in [
            "urn:ogc:def:crs:OGC:1.3:CRS84",
            "urn:ogc:def:crs:OGC::CRS84",
            "EPSG:4326",
            "urn:ogc:def:crs:EPSG::4326",
            "epsg:4326",
        ] {
            assert_eq!(check_crs(&named(n)), Ok(()), "{n}");
        }
        assert_eq!(check_crs(&Value::Null), Ok(()));
        assert_eq!(
            check_crs(&json!({"type": "EPSG", "properties": {"code": 4326}})),
            Ok(())
        );
    }

    #[test]
    fn others_are_named() {
        assert_eq!(check_crs(&named("EPSG:3857")), Err("EPSG:3857".into()));
        assert_eq!(
            check_crs(&json!({"type": "EPSG", "properties": {"code": 32640}})),
            Err("EPSG:32640".into())
        );
        assert_eq!(check_crs(&named("LOCAL_CS")), Err("LOCAL_CS".into()));
    }
}
