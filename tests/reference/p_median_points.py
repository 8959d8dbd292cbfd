"""Reference for `mahalleh suggest --demand-layer --candidates-layer`: the best p sites by brute
force, with geodesic distances on the WGS 84 ellipsoid (pyproj) and demand points kept only when
a district (shapely) holds them.

Usage: p_median_points.py DISTRICTS.geojson HOMES.geojson SITES.geojson P FIELD
Prints JSON: {"objective": ..., "chosen_lon_lat": [[lon, lat], ...], "demand_points": n}
"""
import itertools
import json
import sys

from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

districts_path, homes_path, sites_path, p, field = sys.argv[1:6]
p = int(p)
districts = [shape(f["geometry"]) for f in json.load(open(districts_path, encoding="utf-8"))["features"]]
tree = STRtree(districts)


def inside(lon, lat):
    pt = Point(lon, lat)
    return any(districts[i].covers(pt) for i in tree.query(pt))


homes = []
for f in json.load(open(homes_path, encoding="utf-8"))["features"]:
    lon, lat = f["geometry"]["coordinates"][:2]
    if inside(lon, lat):
        homes.append((lon, lat, float(f["properties"].get(field, 1))))
sites = [tuple(f["geometry"]["coordinates"][:2]) for f in json.load(open(sites_path, encoding="utf-8"))["features"]]
geod = Geod(ellps="WGS84")
cost = [[geod.inv(h[0], h[1], s[0], s[1])[2] for s in sites] for h in homes]
best = None
for combo in itertools.combinations(range(len(sites)), p):
    total = sum(h[2] * min(cost[i][j] for j in combo) for i, h in enumerate(homes))
    if best is None or total < best[0]:
        best = (total, combo)
print(json.dumps({"objective": best[0], "chosen_lon_lat": [list(sites[j]) for j in best[1]], "demand_points": len(homes)}))
