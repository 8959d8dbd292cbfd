"""Reference coverage figures computed with GEOS (shapely) and PROJ/GeographicLib (pyproj),
independently of mahalleh's own geometry code.

usage: coverage_geos.py DISTRICTS.geojson OFFICES.geojson|- RADIUS_M [ANCHORS.json]

Prints one JSON object: {"districts": [{"index", "area_m2", "covered_fraction",
"valid", "nearest_office_m", "inside_lon_lat"}...]} in feature order (polygonal features only; `index` is the feature's
position in the file). ANCHORS.json, when given, maps feature index to the [lon, lat] that
distances are measured from.
"""

import json
import sys

from pyproj import Geod
from shapely.geometry import Polygon, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

GEOD = Geod(ellps="WGS84")
CIRCLE_POINTS = 720


def geodesic_area_m2(geometry):
    # pyproj's area is signed by winding; orient() makes exteriors counter-clockwise first.
    polygons = [geometry] if geometry.geom_type == "Polygon" else list(getattr(geometry, "geoms", []))
    total = 0.0
    for p in polygons:
        if p.geom_type != "Polygon" or p.is_empty:
            continue
        area, _ = GEOD.geometry_area_perimeter(orient(p, sign=1.0))
        total += area
    return total


def circle(lon, lat, radius_m):
    azimuths = [360.0 * k / CIRCLE_POINTS for k in range(CIRCLE_POINTS)]
    lons, lats, _ = GEOD.fwd([lon] * CIRCLE_POINTS, [lat] * CIRCLE_POINTS, azimuths, [radius_m] * CIRCLE_POINTS)
    return orient(Polygon(list(zip(lons, lats))), sign=1.0)


def main():
    districts_path, offices_path, radius_m = sys.argv[1], sys.argv[2], float(sys.argv[3])
    anchors = {}
    if len(sys.argv) > 4:
        anchors = {int(k): v for k, v in json.load(open(sys.argv[4], encoding="utf-8")).items()}
    with open(districts_path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    offices = []
    if offices_path != "-":
        with open(offices_path, encoding="utf-8") as f:
            offices = [feat["geometry"]["coordinates"] for feat in json.load(f)["features"]]
    reach = unary_union([circle(lon, lat, radius_m) for lon, lat in offices]) if offices else None
    rows = []
    for index, feature in enumerate(features):
        geometry = feature.get("geometry")
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        district = shape(geometry)
        # The area as the file draws it; GEOS intersects only valid shapes, so the covered share
        # is measured on the mended shape (buffer(0)), which differs little.
        area = geodesic_area_m2(district)
        valid = district.is_valid
        if not valid:
            district = district.buffer(0)
        mended = geodesic_area_m2(district)
        covered = 0.0
        if reach is not None and mended > 0 and district.intersects(reach):
            covered = geodesic_area_m2(district.intersection(reach)) / mended
        nearest = None
        if index in anchors and offices:
            lon, lat = anchors[index]
            _, _, dist = GEOD.inv([lon] * len(offices), [lat] * len(offices), [o[0] for o in offices], [o[1] for o in offices])
            nearest = min(dist)
        inside = district.representative_point() if not district.is_empty else None
        rows.append({
            "index": index,
            "area_m2": area,
            "covered_fraction": covered,
            "valid": valid,
            "nearest_office_m": nearest,
            "inside_lon_lat": [inside.x, inside.y] if inside is not None else None,
        })
    json.dump({"districts": rows}, sys.stdout)


if __name__ == "__main__":
    main()
