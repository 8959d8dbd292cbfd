#!/usr/bin/env bash
# Makes a plan for the frame-time bench of issue 14: the districts FILE under a reference layer of
# 10,000 road-like lines and over an offline MBTiles basemap of the same area.
#
#   benches/layers_plan.sh FILE.geojson OUT_DIR [LINES]
#   benches/frame_times.sh OUT_DIR/plan.mahalleh
#
# The lines are random walks (8 to 60 vertices, steps of 0.5 to 4 km, headings that drift) started
# at random points of FILE's main area (the 2nd to 98th percentile of its features' first longitudes
# and latitudes, so the US counties' Aleutians do not stretch it across the globe); the basemap is the districts rasterised by GDAL into a
# 8192-pixel-wide Web Mercator image, tiled with overviews down to zoom 3 (gdal_rasterize,
# gdalwarp, gdal_translate, gdaladdo). Set NO_BASEMAP=1 for the roads alone.
# Needs python3 and, for the basemap, gdal-bin.
set -euo pipefail
file=$(realpath "${1:?usage: benches/layers_plan.sh FILE.geojson OUT_DIR [LINES]}")
out=${2:?usage: benches/layers_plan.sh FILE.geojson OUT_DIR [LINES]}
lines=${3:-10000}
mkdir -p "$out"
out=$(realpath "$out")

python3 - "$file" "$out/roads.geojson" "$lines" <<'EOF'
import json, math, random, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
xs, ys = [], []
def first(c):
    return c if isinstance(c[0], (int, float)) else first(c[0])
for f in json.load(open(src))["features"]:
    if f.get("geometry"):
        x, y = first(f["geometry"]["coordinates"])[:2]
        xs.append(x); ys.append(y)
xs.sort(); ys.sort()
pct = lambda v, q: v[int(q * (len(v) - 1))]
lo = [pct(xs, 0.02), pct(ys, 0.02)]; hi = [pct(xs, 0.98), pct(ys, 0.98)]
open(dst + ".extent", "w").write(f"{lo[0]} {lo[1]} {hi[0]} {hi[1]}\n")
rng = random.Random(14)
features = []
for i in range(n):
    lon, lat = rng.uniform(lo[0], hi[0]), rng.uniform(lo[1], hi[1])
    heading = rng.uniform(0, 2 * math.pi)
    step_km = rng.uniform(0.5, 4.0)
    coords = [[round(lon, 6), round(lat, 6)]]
    for _ in range(rng.randint(8, 60)):
        heading += rng.gauss(0, 0.25)
        lat += step_km / 111.2 * math.sin(heading)
        lon += step_km / (111.2 * max(math.cos(math.radians(lat)), 0.1)) * math.cos(heading)
        coords.append([round(lon, 6), round(lat, 6)])
    kind = rng.choice(["primary", "secondary", "residential", "residential", "track"])
    features.append({"type": "Feature", "properties": {"name": f"road {i}", "highway": kind},
                     "geometry": {"type": "LineString", "coordinates": coords}})
json.dump({"type": "FeatureCollection", "features": features}, open(dst, "w"))
EOF

basemap=""
if [ -z "${NO_BASEMAP:-}" ]; then
  for tool in gdal_rasterize gdalwarp gdal_translate gdaladdo; do
    command -v $tool >/dev/null || { echo "$tool missing (apt-get install gdal-bin); NO_BASEMAP=1 to go without" >&2; exit 1; }
  done
  tmp=$(mktemp -d)
  read -r west south east north < "$out/roads.geojson.extent"
  gdal_rasterize -q -te "$west" "$south" "$east" "$north" -ts 8192 4096 -ot Byte -init 170 -init 211 -init 223 \
    -burn 242 -burn 239 -burn 233 -of GTiff "$file" "$tmp/lonlat.tif"
  gdalwarp -q -t_srs EPSG:3857 -ts 8192 0 -r near "$tmp/lonlat.tif" "$tmp/mercator.tif"
  rm -f "$out/basemap.mbtiles"
  gdal_translate -q -of MBTILES -co TILE_FORMAT=PNG "$tmp/mercator.tif" "$out/basemap.mbtiles"
  gdaladdo -q -r average "$out/basemap.mbtiles" 2 4 8 16 32 64
  rm -rf "$tmp" "$out/roads.geojson.extent"
  basemap='"basemap": {"path": "basemap.mbtiles", "visible": true, "districts_opacity": 0.6},'
fi

cat > "$out/plan.mahalleh" <<EOF
{
  "format": "mahalleh-plan",
  "schema_version": 5,
  "districts": {"path": "$file"},
  "radius_m": 800,
  "offices": [],
  "next_office_id": 1,
  $basemap
  "layers": [{"id": 1, "name": "roads", "path": "roads.geojson", "visible": true, "opacity": 1.0}],
  "next_layer_id": 2
}
EOF
echo "$out/plan.mahalleh: $lines lines${basemap:+, basemap $(du -h "$out/basemap.mbtiles" | cut -f1)}"
