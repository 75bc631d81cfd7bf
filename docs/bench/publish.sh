#!/usr/bin/env bash
# Static publishing benchmark: the same vector tile from nginx serving a published site
# (a range request into tiles/layers.pmtiles, as the page's PMTiles reader asks for it)
# and from `newsmap serve` (GET /tiles/mentions/Z/X/Y.mvt, cached after the first hit).
#
#   docs/bench/publish.sh         # from the repository root; prints a Markdown table
#   PUBLISH_ONLY=1 FEATURES="100000 1000000" docs/bench/publish.sh
#                                 # only `newsmap publish`: wall, CPU and peak RSS per size
#
# Needs Go, curl, wrk, nginx and node with web/static/node_modules (cd web/static &&
# npm ci). It installs nothing; on Debian: apt-get install wrk nginx-light curl.
#
# What it does: builds newsmap; writes the synthetic 50k-point mentions layer of
# docs/bench/synth; times `newsmap publish` on it; starts `newsmap serve` on the layer and
# nginx on the published folder; finds the byte range of tile $TILE in the archive with
# npm pmtiles (docs/bench/tilerange.mjs); then runs `wrk -t2 -c32 -d10s --latency` on
# both, one after the other, and on the site's index.json. Both servers log each request.
#
# With PUBLISH_ONLY=1 it needs Go and GNU time (/usr/bin/time) only: for each size in
# FEATURES it writes the synthetic layer and runs `newsmap publish` on it under
# /usr/bin/time -v, then prints wall time, CPU time (user + system), peak RSS (GNU time's
# maximum resident set size) and the tiles. NEWSMAP=path times that binary instead of
# building one (e.g. one built from an earlier commit, for a before/after comparison);
# PUBLISH_ARGS adds flags (e.g. "-maxzoom 10").
#
# Environment: NEWSMAP_PORT, NGINX_PORT (default: free ports from 38180), DURATION (10s),
# CONNS (32), THREADS (2), FEATURES (50000), TILE (6/40/24), KEEP=1 keeps the work folder.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
FEATURES=${FEATURES:-50000}
TILE=${TILE:-6/40/24}

root=$(cd "$(dirname "$0")/../.." && pwd)
if [[ ${PUBLISH_ONLY:-0} == 1 ]]; then
	[[ -x /usr/bin/time ]] || { echo "publish.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
	work=$(mktemp -d /tmp/newsmap-publish-bench.XXXXXX)
	trap 'if [[ ${KEEP:-0} == 1 ]]; then echo "publish.sh: work folder kept: $work" >&2; else rm -rf "$work"; fi' EXIT
	bin=${NEWSMAP:-}
	if [[ -z $bin ]]; then
		(cd "$root" && go build -o "$work/newsmap" ./cmd/newsmap)
		bin=$work/newsmap
	fi
	(cd "$root" && go build -o "$work/synth" ./docs/bench/synth)
	echo "| mentions | wall s | CPU s (user+sys) | peak RSS MB | tiles |"
	echo "|---:|---:|---:|---:|---|"
	for n in $FEATURES; do
		echo "publish.sh: $n synthetic mentions" >&2
		rm -rf "$work/layers" "$work/site"
		"$work/synth" -n "$n" -out "$work/layers"
		# shellcheck disable=SC2086 # PUBLISH_ARGS is a list of flags
		/usr/bin/time -v -o "$work/time.txt" "$bin" publish -layers "$work/layers" -o "$work/site" ${PUBLISH_ARGS:-} \
			>"$work/publish.out" 2>"$work/publish.log" || { tail -n 3 "$work/publish.log" >&2; echo "| $n | failed | | | $(tail -n 1 "$work/publish.log") |"; continue; }
		awk -v n="$n" -v tiles="$(grep -o 'pmtiles: [0-9]* tiles' "$work/publish.out" | grep -o '[0-9]*')" '
			/Elapsed \(wall clock\)/ { k = split($NF, t, ":"); wall = (k == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
			/User time/ { cpu += $NF } /System time/ { cpu += $NF }
			/Maximum resident set size/ { rss = $NF / 1024 }
			END { printf "| %d | %.1f | %.1f | %.0f | %s |\n", n, wall, cpu, rss, tiles }' "$work/time.txt"
	done
	exit 0
fi

missing=()
for tool in go curl wrk nginx node; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	echo "publish.sh: missing ${missing[*]}; apt-get install wrk nginx-light curl nodejs" >&2
	exit 1
fi
nm_dir="$root/web/static/node_modules"
[[ -f $nm_dir/pmtiles/package.json ]] || { echo "publish.sh: run (cd web/static && npm ci) first" >&2; exit 1; }

work=$(mktemp -d /tmp/newsmap-publish-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	if [[ ${KEEP:-0} == 1 ]]; then echo "publish.sh: work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
log() { echo "publish.sh: $*" >&2; }
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
freeport() { local p=$1; while busy "$p" || [[ $p == "${2:-}" ]]; do p=$((p + 1)); done; echo "$p"; }
NEWSMAP_PORT=${NEWSMAP_PORT:-$(freeport 38180)}
NGINX_PORT=${NGINX_PORT:-$(freeport 38181 "$NEWSMAP_PORT")}

log "building newsmap and the synthetic layer ($FEATURES features) in $work"
(cd "$root" && go build -o "$work/newsmap" ./cmd/newsmap && go run ./docs/bench/synth -n "$FEATURES" -out "$work/layers")

log "publishing"
t0=$(date +%s.%N)
"$work/newsmap" publish -layers "$work/layers" -o "$work/site" >"$work/publish.out" 2>"$work/publish.log"
t1=$(date +%s.%N)
publish_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
chmod -R a+rX "$work/site"

"$work/newsmap" serve -addr "127.0.0.1:$NEWSMAP_PORT" -layers "$work/layers" -reload 0 \
	>"$work/newsmap.out" 2>"$work/newsmap.log" &
pids+=($!)
nm="http://127.0.0.1:$NEWSMAP_PORT"
for _ in $(seq 300); do curl -fsS -o /dev/null "$nm/healthz" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$nm/healthz" || { log "newsmap did not start"; cat "$work/newsmap.log" >&2; exit 1; }

mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $work/nginx/access.log;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $work/site;
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
pids+=($!)
ng="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 50); do curl -fsS -o /dev/null "$ng/index.json" 2>/dev/null && break; sleep 0.1; done

read -r off len <<<"$(node "$root/docs/bench/tilerange.mjs" "$work/site/tiles/layers.pmtiles" ${TILE//\// } "$nm_dir")"
range="bytes=$off-$((off + len - 1))"
code=$(curl -s -o "$work/range.bin" -w '%{http_code}' -H "Range: $range" "$ng/tiles/layers.pmtiles")
[[ $code == 206 ]] || { log "nginx answered $code to the range request"; exit 1; }

ms() { awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'; }
bench() { # url header...
	local url=$1; shift
	local hdr=()
	for h in "$@"; do hdr+=(-H "$h"); done
	local out
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${hdr[@]}" "$url")
	echo "$out" >>"$work/wrk.log"
	echo "$(awk '/^Requests\/sec:/{print $2}' <<<"$out") $(ms "$(awk '$1=="50%"{print $2}' <<<"$out")") $(ms "$(awk '$1=="99%"{print $2}' <<<"$out")") $(awk '/Non-2xx|Socket errors/{n++} END{print n+0}' <<<"$out")"
}
curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' "$nm/tiles/mentions/$TILE.mvt" # warm the cache
log "wrk newsmap serve /tiles/mentions/$TILE.mvt"
read -r nrps np50 np99 nerr <<<"$(bench "$nm/tiles/mentions/$TILE.mvt" 'Accept-Encoding: gzip')"
log "wrk nginx range request for $TILE ($range)"
read -r grps gp50 gp99 gerr <<<"$(bench "$ng/tiles/layers.pmtiles" "Range: $range")"
log "wrk nginx index.json"
read -r irps ip50 ip99 ierr <<<"$(bench "$ng/index.json" 'Accept-Encoding: gzip')"
nsize=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$nm/tiles/mentions/$TILE.mvt")

echo
echo "Static publishing, $FEATURES synthetic mentions ($(nproc) cores, wrk -t$THREADS -c$CONNS -d$DURATION):"
echo
echo "- \`newsmap publish\`: ${publish_s} s; $(tail -n 2 "$work/publish.out" | head -n 1)"
echo "- site: $(du -sh "$work/site" | cut -f1), archive $(du -h "$work/site/tiles/layers.pmtiles" | cut -f1), index.json $(du -h "$work/site/index.json" | cut -f1)"
echo
echo "| request | bytes | req/s | p50 ms | p99 ms | errors |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| newsmap serve: tile $TILE (mentions, cached, gzip) | $nsize | $nrps | $np50 | $np99 | $nerr |"
echo "| nginx: tile $TILE from the archive (Range, 206) | $len | $grps | $gp50 | $gp99 | $gerr |"
echo "| nginx: index.json | $(stat -c %s "$work/site/index.json") | $irps | $ip50 | $ip99 | $ierr |"
echo
awk -v a="$nrps" -v b="$grps" 'BEGIN{printf "newsmap serve reaches %.2f× of nginx serving the published tile.\n", a/b}'
