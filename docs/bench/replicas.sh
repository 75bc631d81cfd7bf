#!/usr/bin/env bash
# Replicas benchmark: two `newsmap serve -db` replicas behind nginx as load balancer,
# sharing one PostGIS, side by side with one `newsmap serve` of the same layer files;
# one replica killed mid-run, the database stopped and started mid-run. Prints a
# Markdown summary and the load run's timeline.
#
#   docs/bench/replicas.sh        # from the repository root
#
# Needs Go, curl, wrk, nginx and PostgreSQL + PostGIS server packages (Debian:
# apt-get install wrk nginx-light curl postgresql postgresql-postgis); it starts its own
# throw-away cluster with .ci/postgres.sh and removes it at the end.
#
# Measured for the file store (F) and a PostGIS replica (A): start time (to the first
# 200 of /api/layers), memory (RSS after start and after the load), req/s on one cached
# tile (wrk -t2 -c32 -d10s) and on filtered GeoJSON pages, each with a random bbox
# (docs/bench/loadrun -c32 -d10s, so that every page is a query); both replicas behind
# nginx likewise.
#
# The load run (docs/bench/loadrun -c32 for $RUN s through nginx, the cached tile and
# random-bbox pages in turn): at 1/3 replica A is killed (SIGKILL); at 1/2 the database
# is stopped, at 2/3 started again; then a new build is written, which the surviving
# replica must serve. Its per-second timeline counts 200s, 503s, other statuses and
# requests without an answer.
#
# Environment: FEATURES (50000), RUN (30), TILE (6/40/24), KEEP=1 keeps the work folder;
# CHECK=1 (CI) skips the throughput runs and fails unless (the seconds give or take one,
# for the clocks of the script and loadrun): no request went unanswered but when
# replica A was killed (at most its in-flight ones, one per client); no status but 200
# and 503; 503s for the database only from its stop to 3 s after its
# start, some then, and none afterwards (503s of a busy server, which sheds load with
# its concurrency bounds, are counted apart); the new build reached the surviving replica.
set -euo pipefail
FEATURES=${FEATURES:-50000}
RUN=${RUN:-30}
TILE=${TILE:-6/40/24}

for tool in go curl wrk nginx psql; do
	command -v "$tool" >/dev/null 2>&1 || { echo "replicas.sh: missing $tool" >&2; exit 1; }
done
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/newsmap-replicas.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	# The replicas start in command substitutions: their pids are in $work/*.pid.
	for f in "$work"/*.pid; do [[ -f $f ]] && pids+=("$(cat "$f")"); done
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	"$root/.ci/postgres.sh" stop "$work/pg" || true
	if [[ ${KEEP:-0} == 1 ]]; then echo "replicas.sh: work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
log() { echo "replicas.sh: $*" >&2; }
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
freeport() { local p=$1; while busy "$p"; do p=$((p + 1)); done; echo "$p"; }
# Below the kernel's range of ephemeral ports (32768–60999 by default): the database is
# started again mid-run, and in the range its port could meanwhile be the source port of
# one of the load run's connections, failing the restart with "address in use".
PG=$(freeport 28290)
A=$(freeport $((PG + 1)))
B=$(freeport $((A + 1)))
LB=$(freeport $((B + 1)))
F=$(freeport $((LB + 1)))

log "PostgreSQL on $PG; newsmap and $FEATURES synthetic mentions in $work"
eval "$("$root/.ci/postgres.sh" start "$work/pg" "$PG")"
db=$NEWSMAP_TEST_DB
pgctl=$NEWSMAP_TEST_PGCTL
(cd "$root" && go build -o "$work/newsmap" ./cmd/newsmap && go build -o "$work/dbload" ./docs/bench/dbload &&
	go build -o "$work/loadrun" ./docs/bench/loadrun && go run ./docs/bench/synth -n "$FEATURES" -out "$work/layers")
"$work/dbload" -layers "$work/layers" -db "$db" >"$work/dbload.out"
log "$(cat "$work/dbload.out")"

start_replica() { # name port [serve flags] -> pid in $work/name.pid; prints seconds to ready
	local t0 t1 name=$1 port=$2
	shift 2
	t0=$(date +%s.%N)
	"$work/newsmap" serve -addr "127.0.0.1:$port" "$@" >"$work/$name.out" 2>"$work/$name.log" &
	echo $! >"$work/$name.pid"
	for _ in $(seq 600); do
		[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/layers") == 200 ]] && break
		sleep 0.1
	done
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}'
}
startF=$(start_replica f "$F" -layers "$work/layers" -reload 0 -warm -1)
startA=$(start_replica a "$A" -db "$db" -reload 1s)
startB=$(start_replica b "$B" -db "$db" -reload 1s)
rss() { ps -o rss= -p "$(cat "$work/$1.pid")" | awk '{printf "%.0f", $1/1024}'; }
rssF=$(rss f)
rssA=$(rss a)
rssB=$(rss b)

mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
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
    upstream newsmap {
        server 127.0.0.1:$A max_fails=1 fail_timeout=5s;
        server 127.0.0.1:$B max_fails=1 fail_timeout=5s;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$LB;
        location / {
            proxy_pass http://newsmap;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # A replica that is gone is retried on the other; a 503 (the database
            # is down, and so for both) is the answer.
            proxy_next_upstream error timeout;
            proxy_connect_timeout 1s;
        }
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
pids+=($!)
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$LB/api/layers" 2>/dev/null && break; sleep 0.1; done

path="/tiles/mentions/$TILE.mvt"
query='/api/layers/mentions.geojson?bbox={bbox}&limit=100'
one() { # url -> req/s of the cached tile
	wrk -t2 -c32 -d10s -H 'Accept-Encoding: gzip' "$1" | awk '/^Requests\/sec:/{printf "%.0f", $2}'
}
pages() { # base url -> req/s of random-bbox pages answered 200 (and how many were not)
	"$work/loadrun" -c 32 -d 10s "$1$query" | awk '$1=="total"{ printf "%.0f", $2/10; if ($4 > 0) printf " (+%.0f/s 503 busy)", $4/10; if ($3+$5+$6 > 0) printf " (%d other)", $3+$5+$6 }'
}
tileF="(not measured with CHECK=1)"
tileA=$tileF tileLB=$tileF pagesF=$tileF pagesA=$tileF pagesLB=$tileF
if [[ ${CHECK:-0} != 1 ]]; then
	log "cached tile, 10 s each: file store, one replica, both behind nginx"
	tileF=$(one "http://127.0.0.1:$F$path")
	tileA=$(one "http://127.0.0.1:$A$path")
	tileLB=$(one "http://127.0.0.1:$LB$path")
	log "random-bbox pages, 10 s each: file store, one replica, both behind nginx"
	pagesF=$(pages "http://127.0.0.1:$F")
	pagesA=$(pages "http://127.0.0.1:$A")
	pagesLB=$(pages "http://127.0.0.1:$LB")
fi
rss2F=$(rss f)
rss2A=$(rss a)

log "load run: $RUN s; replica a killed at $((RUN / 3)) s, database stopped at $((RUN / 2)) s, started at $((2 * RUN / 3)) s"
"$work/loadrun" -c 32 -d "${RUN}s" "http://127.0.0.1:$LB$path" "http://127.0.0.1:$LB$query" >"$work/run.tsv" &
runpid=$!
t0=$(date +%s.%N)
at() { # wait until $1 s after the start of the run
	sleep "$(awk -v t0="$t0" -v now="$(date +%s.%N)" -v at="$1" 'BEGIN{d=t0+at-now; print (d>0?d:0)}')"
}
at $((RUN / 3))
kill -9 "$(cat "$work/a.pid")"
at $((RUN / 2))
$pgctl -m fast stop >/dev/null 2>&1 || su postgres -s /bin/sh -c "$pgctl -m fast stop" >/dev/null
sleep 0.5
during=$(curl -s -o /dev/null -w '%{http_code} Retry-After %header{retry-after}' "http://127.0.0.1:$LB/api/layers/mentions.geojson?bbox=10,40,11,41")
health=$(curl -s "http://127.0.0.1:$B/healthz" | grep -o '"status":"[a-z]*"')
at $((2 * RUN / 3))
start_pg="$pgctl -l $work/pg/server2.log -w -o \"-p $PG -k $work/pg -c listen_addresses=127.0.0.1\" start"
for try in 1 2 3; do # the stopped server's socket may linger a moment
	if sh -c "$start_pg" >/dev/null 2>&1 || su postgres -s /bin/sh -c "$start_pg" >/dev/null 2>&1; then
		break
	fi
	[[ $try == 3 ]] && { log "PostgreSQL did not start again:"; tail -5 "$work/pg/server2.log" >&2; exit 1; }
	sleep 1
done
wait "$runpid"
read -r _ tot200 tot503 totbusy totother totfailed < <(awk '$1=="total"' "$work/run.tsv")
runrps=$(awk -v n="$tot200" -v u="$tot503" -v b="$totbusy" -v r="$RUN" 'BEGIN{printf "%.0f", (n+u+b)/r}')
# The seconds with 503s, and the verdict on the timeline.
kill_s=$((RUN / 3)) stop_s=$((RUN / 2)) start_s=$((2 * RUN / 3))
unavail_secs=$(awk '$1 ~ /^[0-9]+$/ && $3 > 0 {printf "%s%s", sep, $1; sep=","}' "$work/run.tsv")
verdict=$(awk -v k="$kill_s" -v a="$stop_s" -v b="$start_s" '
	$1 !~ /^[0-9]+$/ { next }
	$6 > 0 && ($1 < k - 1 || $1 > k + 1) { bad = bad " unanswered at " $1 " s;" }
	$6 > 32 { bad = bad " " $6 " unanswered at " $1 " s;" }
	$5 > 0 { bad = bad " other statuses at " $1 " s;" }
	$3 > 0 && ($1 < a - 1 || $1 > b + 3) { bad = bad " 503 at " $1 " s;" }
	$1 >= a - 1 && $1 <= b + 3 { outage += $3 }
	$1 > b + 3 && $2 == 0 { bad = bad " nothing answered at " $1 " s;" }
	END { if (outage == 0) bad = bad " no 503 during the outage;"; print (bad == "" ? "ok" : bad) }' "$work/run.tsv")

# After the outage: a new build reaches the surviving replica.
before=$(curl -s "http://127.0.0.1:$B/api/layers" | md5sum | cut -c1-8)
"$work/dbload" -layers "$work/layers" -db "$db" >/dev/null
after=$before
for _ in $(seq 100); do
	after=$(curl -s "http://127.0.0.1:$B/api/layers" | md5sum | cut -c1-8)
	[[ $after != "$before" ]] && break
	sleep 0.2
done
newbuild=$([[ $after != "$before" ]] && echo "yes" || echo "no")

echo
echo "Replicas behind nginx, $FEATURES synthetic mentions ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); tile $TILE):"
echo
echo "| figure | \`serve -layers\` (files, in memory) | \`serve -db\` (PostGIS) |"
echo "|---|---|---|"
echo "| build into PostGIS (dbload = build -db's write) | | $(cat "$work/dbload.out") |"
echo "| start, to the first catalogue | ${startF} s | a: ${startA} s, b: ${startB} s |"
echo "| memory (RSS) after start | ${rssF} MiB | a: ${rssA} MiB, b: ${rssB} MiB |"
echo "| memory (RSS) after the throughput runs | ${rss2F} MiB | a: ${rss2A} MiB |"
echo "| cached tile, one process (wrk -t2 -c32) | $tileF req/s | $tileA req/s |"
echo "| cached tile, two replicas behind nginx | | $tileLB req/s |"
echo "| random-bbox pages of 100, one process (loadrun -c32) | $pagesF req/s | $pagesA req/s |"
echo "| random-bbox pages, two replicas behind nginx | | $pagesLB req/s |"
echo
echo "Load run ($RUN s through nginx, loadrun -c32, the tile and random-bbox pages in turn; replica a killed at ${kill_s} s, database stopped at ${stop_s} s and started at ${start_s} s):"
echo
echo "| figure | value |"
echo "|---|---|"
echo "| requests | $tot200 answered 200, $tot503 answered 503 (database unavailable), $totbusy answered 503 (server busy), $totother other, $totfailed without an answer ($runrps req/s) |"
echo "| seconds with 503s for the database | ${unavail_secs:-none} |"
echo "| a request while the database was down | $during; /healthz of replica b: $health |"
echo "| new build served by the surviving replica after the restart | $newbuild |"
echo "| verdict | $verdict |"
echo
echo "Timeline (requests ending in each second):"
echo
echo '```'
cat "$work/run.tsv"
echo '```'

if [[ ${CHECK:-0} == 1 ]]; then
	if [[ $verdict != ok ]] || [[ $during != 503* ]] || [[ $newbuild != yes ]]; then
		echo "replicas.sh: CHECK failed" >&2
		exit 1
	fi
	echo "replicas.sh: CHECK passed" >&2
fi
