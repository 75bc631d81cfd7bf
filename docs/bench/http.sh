#!/usr/bin/env bash
# HTTP benchmark: newsmap serve against nginx serving the same bytes as static files.
#
#   docs/bench/http.sh            # from the repository root; prints a Markdown table
#
# Needs Go, curl, wrk and nginx (hyperfine for the other figures in docs/BENCHMARKS.md).
# It installs nothing; on Debian/Ubuntu:
#
#   apt-get install wrk nginx-light hyperfine      # or nginx instead of nginx-light
#
# What it does: builds newsmap; writes a synthetic 50k-point mentions layer
# (docs/bench/synth, independent of the real corpus); starts `newsmap serve` on
# 127.0.0.1:$NEWSMAP_PORT over it; saves what newsmap answers (the GeoJSON file, one z6
# and one z10 tile, the OGC items page, each in its identity and gzip encoding) as static
# files and serves them with nginx on 127.0.0.1:$NGINX_PORT with the same Content-Type and
# Content-Encoding; then runs `wrk -t2 -c32 -d10s --latency` on each URL against both
# servers, one after the other, with and without `Accept-Encoding: gzip`. Last, uncached
# tiles: wrk asks newsmap for distinct tiles of zooms 6–9 over the synthetic area in a
# shuffled order (docs/bench/tiles.lua), so every request renders (nginx has no
# counterpart: it can only serve tiles rendered before). Both servers write an access log
# line per request to a file, as in production.
#
# Environment: NEWSMAP_PORT, NGINX_PORT (default: the first free ports from 38080), DURATION (10s), CONNS (32),
# THREADS (2), TIMEOUT (wrk's per-request timeout, 10s: a slower response is an error and
# missing from the latencies), FEATURES (50000), KEEP=1 keeps the work folder.
set -euo pipefail

NEWSMAP_PORT=${NEWSMAP_PORT:-}
NGINX_PORT=${NGINX_PORT:-}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10s}
FEATURES=${FEATURES:-50000}
TILE=${TILE:-6/40/24}      # z/x/y: east of the Black Sea, inside the synthetic area
TILE10=${TILE10:-10/645/390} # a z10 tile inside TILE

missing=()
for tool in go curl wrk nginx; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	echo "http.sh: missing ${missing[*]}; install with: apt-get install wrk nginx-light hyperfine curl (and Go 1.26)" >&2
	exit 1
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/newsmap-bench.XXXXXX)
chmod 755 "$work" # nginx workers run as another user
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	if [[ ${KEEP:-0} == 1 ]]; then echo "http.sh: work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

log() { echo "http.sh: $*" >&2; }

busy() { ss -Htln "sport = :$1" 2>/dev/null | grep -q . || (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
freeport() { # first port from $1 that nothing listens on and is not $2
	local p=$1
	while busy "$p" || [[ $p == "${2:-}" ]]; do p=$((p + 1)); done
	echo "$p"
}
NEWSMAP_PORT=${NEWSMAP_PORT:-$(freeport 38080)}
NGINX_PORT=${NGINX_PORT:-$(freeport 38081 "$NEWSMAP_PORT")}
for p in "$NEWSMAP_PORT" "$NGINX_PORT"; do
	if busy "$p"; then log "port $p is in use"; exit 1; fi
done

log "building newsmap and the synthetic layer ($FEATURES features) in $work"
(cd "$root" && go build -o "$work/newsmap" ./cmd/newsmap && go run ./docs/bench/synth -n "$FEATURES" -out "$work/layers")

"$work/newsmap" serve -addr "127.0.0.1:$NEWSMAP_PORT" -layers "$work/layers" -reload 0 \
	>"$work/newsmap.out" 2>"$work/newsmap.log" &
pids+=($!)
nm="http://127.0.0.1:$NEWSMAP_PORT"
for _ in $(seq 600); do # loading 40 MB takes seconds on a busy machine
	curl -fsS -o /dev/null "$nm/healthz" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "$nm/healthz" || { log "newsmap did not start:"; cat "$work/newsmap.log" >&2; exit 1; }
if "$work/newsmap" serve -h 2>&1 | grep -q -- -warm; then # let the warming of the low zooms end first
	for _ in $(seq 300); do
		grep -q 'warmed tiles' "$work/newsmap.log" && break
		sleep 0.1
	done
	log "$(grep 'warmed tiles' "$work/newsmap.log" || echo 'warming still running after 30 s')"
fi

# The static copies: exactly the bytes newsmap sends.
www="$work/www"
mkdir -p "$www/api/layers" "$www/tiles/mentions/${TILE%/*}" "$www/tiles/mentions/${TILE10%/*}" "$www/ogc/collections/mentions"
fetch() { # url file [accept-encoding]
	local ae=()
	[[ -n ${3:-} ]] && ae=(-H "Accept-Encoding: $3")
	curl -fsS "${ae[@]}" -o "$2" -w '%{http_code}' "$1"
}
fetch "$nm/api/layers/mentions.geojson" "$www/api/layers/mentions.geojson" >/dev/null
fetch "$nm/api/layers/mentions.geojson" "$www/api/layers/mentions.geojson.gz" gzip >/dev/null
for t in "$TILE" "$TILE10"; do
	fetch "$nm/tiles/mentions/$t.mvt" "$www/tiles/mentions/$t.mvt" >/dev/null
	fetch "$nm/tiles/mentions/$t.mvt" "$www/tiles/mentions/$t.mvt.gz" gzip >/dev/null
done
ogc=0
ogcpath="/ogc/collections/mentions/items?limit=1000"
if [[ $(curl -s -o /dev/null -w '%{http_code}' "$nm$ogcpath") == 200 ]]; then
	ogc=1
	fetch "$nm$ogcpath" "$www/ogc/collections/mentions/items" >/dev/null
	fetch "$nm$ogcpath" "$www/ogc/collections/mentions/items.gz" gzip >/dev/null
	ogctype=$(curl -s -o /dev/null -w '%{content_type}' "$nm$ogcpath")
else
	log "$ogcpath does not answer 200 yet; skipped"
fi
chmod -R a+rX "$www"

mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log $work/nginx/access.log;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    etag on;
    # gzip_static without the module (nginx-light lacks it): serve FILE.gz with
    # Content-Encoding: gzip to clients that accept gzip.
    map \$http_accept_encoding \$gzext { ~*gzip ".gz"; default ""; }
    map \$http_accept_encoding \$gzenc { ~*gzip "gzip"; default ""; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $www;
        location /api/ {
            types { } default_type application/geo+json;
            try_files \$uri\$gzext \$uri =404;
            add_header Content-Encoding \$gzenc;
            add_header Vary Accept-Encoding;
        }
        location /ogc/ {
            types { } default_type "${ogctype:-application/geo+json}";
            try_files \$uri\$gzext \$uri =404;
            add_header Content-Encoding \$gzenc;
            add_header Vary Accept-Encoding;
        }
        location /tiles/ {
            types { } default_type application/vnd.mapbox-vector-tile;
            try_files \$uri\$gzext \$uri =404;
            add_header Content-Encoding \$gzenc;
            add_header Vary Accept-Encoding;
        }
    }
}
EOF
nginx -t -q -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>&1 | grep -v 'user.*directive' >&2 || true
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
pids+=($!)
ng="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 50); do
	curl -fsS -o /dev/null "$ng/tiles/mentions/$TILE.mvt" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "$ng/tiles/mentions/$TILE.mvt" || { log "nginx did not start:"; cat "$work/nginx/error.log" >&2; exit 1; }

# Both servers must send the same content (decoded: dynamic gzip, such as the OGC page's,
# need not compress to the same bytes twice; the OGC page's timeStamp aside).
same() { # path [accept-encoding]
	local ae=()
	[[ -n ${2:-} ]] && ae=(--compressed -H "Accept-Encoding: $2")
	curl -fsS "${ae[@]}" -o "$work/same.newsmap" "$nm$1"
	curl -fsS "${ae[@]}" -o "$work/same.nginx" "$ng${1%%\?*}"
	# The OGC page's timeStamp is the time of the response.
	sed -i 's/"timeStamp":"[^"]*"//' "$work/same.newsmap" "$work/same.nginx"
	cmp -s "$work/same.newsmap" "$work/same.nginx" || { log "bodies differ for $1 ${2:-}: $work/same.*"; exit 1; }
}
same /api/layers/mentions.geojson
same /api/layers/mentions.geojson gzip
same "/tiles/mentions/$TILE.mvt" gzip
same "/tiles/mentions/$TILE.mvt"
same "/tiles/mentions/$TILE10.mvt"
((ogc)) && same "$ogcpath" gzip && same "$ogcpath"

# wrk prints latencies as 812.00us, 1.23ms or 1.02s; ms() turns them into milliseconds.
ms() { awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /m$/) n*=60000; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'; }

bench() { # url [accept-encoding] -> "rps p50 p99 errors"
	local hdr=()
	[[ -n ${2:-} ]] && hdr=(-H "Accept-Encoding: $2")
	local out
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout "$TIMEOUT" --latency "${hdr[@]}" "$1")
	echo "$out" >>"$work/wrk.log"
	local rps p50 p99 errs
	rps=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
	p50=$(ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
	p99=$(ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
	errs=$(awk '/Non-2xx|Socket errors/{sub(/^ +/,""); printf "%s; ", $0}' <<<"$out")
	echo "$rps $p50 $p99 ${errs:-none}"
}

rows=()
notes=()
run() { # label path accept-encoding
	local label=$1 path=$2 ae=${3:-}
	log "wrk $label: newsmap"
	read -r nrps np50 np99 nerr <<<"$(bench "$nm$path" "$ae")"
	log "wrk $label: nginx"
	read -r grps gp50 gp99 gerr <<<"$(bench "$ng${path%%\?*}" "$ae")"
	local ratio size
	ratio=$(awk -v a="$nrps" -v b="$grps" 'BEGIN{r=a/b; printf (r < 0.1 ? "%.3f" : "%.2f"), r}')
	size=$(curl -s ${ae:+-H "Accept-Encoding: $ae"} -o /dev/null -w '%{size_download}' "$nm$path")
	rows+=("| $label | $size | $nrps | $np50 | $np99 | $grps | $gp50 | $gp99 | **$ratio** |")
	[[ $nerr == none ]] || notes+=("- $label, newsmap: $nerr")
	[[ $gerr == none ]] || notes+=("- $label, nginx: $gerr")
}

run "GeoJSON layer, identity" /api/layers/mentions.geojson
run "GeoJSON layer, gzip" /api/layers/mentions.geojson gzip
run "tile $TILE, gzip" "/tiles/mentions/$TILE.mvt" gzip
run "tile $TILE, identity" "/tiles/mentions/$TILE.mvt"
run "tile $TILE10, gzip" "/tiles/mentions/$TILE10.mvt" gzip
run "tile $TILE10, identity" "/tiles/mentions/$TILE10.mvt"
if ((ogc)); then
	run "OGC items limit=1000, identity" "$ogcpath"
	run "OGC items limit=1000, gzip" "$ogcpath" gzip
fi

# Uncached tiles: every tile of zooms 5-10 that overlaps the synthetic area (lon -10..140,
# lat 10..70), in an order shuffled the same way on every run; each wrk thread walks its
# own share of the list, so no tile is asked for twice within the run.
tilelist() {
	awk 'function ty(lat, n,  r) { r = lat * 3.141592653589793 / 180; return int((1 - log(sin(r)/cos(r) + 1/cos(r)) / 3.141592653589793) / 2 * n) }
	BEGIN { for (z = 5; z <= 10; z++) { n = 2^z
		for (x = int((-10 + 180) / 360 * n); x <= int((140 + 180) / 360 * n); x++)
			for (y = ty(70, n); y <= ty(10, n); y++) printf "/tiles/mentions/%d/%d/%d.mvt\n", z, x, y } }'
}
tilelist | shuf --random-source=<(yes) >"$work/tiles.txt"
uncached() { # accept-encoding -> table row
	local ae=${1:-} hdr=() out
	[[ -n $ae ]] && hdr=(-H "Accept-Encoding: $ae")
	log "wrk uncached tiles ${ae:-identity}: newsmap"
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout "$TIMEOUT" --latency "${hdr[@]}" -s "$root/docs/bench/tiles.lua" "$nm" -- "$work/tiles.txt" "$THREADS" "${2:-0}")
	echo "$out" >>"$work/wrk.log"
	local rps p50 p99 n
	rps=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
	p50=$(ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
	p99=$(ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
	n=$(awk '/requests in/{print $1}' <<<"$out")
	local total
	total=$(wc -l <"$work/tiles.txt")
	((n <= total / 2)) || notes+=("- uncached tiles ${ae:-identity}: $n requests, more than half the $total tiles: some were answered from the cache")
	rows+=("| uncached tiles z5–z10, ${ae:-identity} ($n distinct) | | $rps | $p50 | $p99 | | | | |")
}
uncached gzip 0
uncached "" $(($(wc -l <"$work/tiles.txt") / 2)) # the other half of the list: still unrendered

echo
echo "wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency, $FEATURES synthetic mentions, $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $(go version | awk '{print $3}'), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| URL | body bytes | newsmap req/s | p50 ms | p99 ms | nginx req/s | p50 ms | p99 ms | newsmap/nginx |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
if ((${#notes[@]})); then
	echo
	echo "wrk errors and notes (a timeout is a response slower than $TIMEOUT):"
	echo
	printf '%s\n' "${notes[@]}"
fi
