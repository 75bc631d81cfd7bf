#!/usr/bin/env bash
# vendor.sh: install the pinned front-end packages (package-lock.json) with `npm ci`
# and copy just the files the page needs, with their licences, into vendor/.
# vendor/ is committed so that `newsmap serve` needs no npm and no CDN at run time.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --ignore-scripts --no-audit --no-fund

out=vendor
tmp=$(mktemp -d vendor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

nm=node_modules
mkdir -p "$tmp/leaflet/images" "$tmp/leaflet.markercluster" "$tmp/topojson-client" "$tmp/world-atlas" \
  "$tmp/protomaps-leaflet"

cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$tmp/leaflet/"
cp "$nm/leaflet/dist/images/"*.png "$tmp/leaflet/images/"
cp "$nm/leaflet/LICENSE" "$tmp/leaflet/LICENSE"

cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" "$tmp/leaflet.markercluster/"
cp "$nm/leaflet.markercluster/MIT-LICENCE.txt" "$tmp/leaflet.markercluster/LICENSE"

cp "$nm/topojson-client/dist/topojson-client.min.js" "$tmp/topojson-client/"
cp "$nm/topojson-client/LICENSE" "$tmp/topojson-client/LICENSE"

# protomaps-leaflet: draws the PMTiles archive of a published site (newsmap publish);
# its browser bundle includes the npm pmtiles reader.
cp "$nm/protomaps-leaflet/dist/protomaps-leaflet.js" "$tmp/protomaps-leaflet/"
cp "$nm/protomaps-leaflet/LICENSE" "$tmp/protomaps-leaflet/LICENSE"

# Natural Earth 1:110m countries (public domain) as TopoJSON.
cp "$nm/world-atlas/countries-110m.json" "$tmp/world-atlas/"
cp "$nm/world-atlas/LICENSE" "$tmp/world-atlas/LICENSE"

# Record the exact versions that were copied.
node -e '
const fs = require("fs");
const names = ["leaflet", "leaflet.markercluster", "topojson-client", "world-atlas", "protomaps-leaflet"];
const lines = names.map(n => n + "@" + JSON.parse(fs.readFileSync("node_modules/" + n + "/package.json")).version);
fs.writeFileSync(process.argv[1] + "/VERSIONS", lines.join("\n") + "\n");
' "$tmp"

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "vendored into $(pwd)/$out:"
cat "$out/VERSIONS"
