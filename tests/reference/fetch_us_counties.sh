#!/usr/bin/env bash
# Makes target/reference-data/us-counties.geojson: the 3,231 US counties of the npm package
# us-atlas (counties-10m), turned into GeoJSON by topojson-client, as d3 users do. Its rings are
# clockwise, which is what tests/coverage.rs needs. Needs node and npm; does nothing
# when the file is there already.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/reference-data
[ -s "$out/us-counties.geojson" ] && exit 0
mkdir -p "$out/npm"
npm install --silent --no-audit --no-fund --prefix "$out/npm" us-atlas@3.0.1 topojson-client@3.1.0 >/dev/null
node -e '
const topojson = require(process.argv[1] + "/node_modules/topojson-client");
const us = require(process.argv[1] + "/node_modules/us-atlas/counties-10m.json");
const counties = topojson.feature(us, us.objects.counties);
require("fs").writeFileSync(process.argv[2], JSON.stringify(counties));
' "$PWD/$out/npm" "$out/us-counties.geojson"
