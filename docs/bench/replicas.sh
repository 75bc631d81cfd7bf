#!/usr/bin/env bash
# Replicas benchmark: two `newsmap serve -db` replicas behind nginx as load balancer,
# sharing one PostGIS; one replica killed mid-run, the database stopped and started
# mid-run. Prints a Markdown summary.
#
#   docs/bench/replicas.sh        # from the repository root
#
# Needs Go, curl, wrk, nginx and PostgreSQL + PostGIS server packages (Debian:
# apt-get install wrk nginx-light curl postgresql postgresql-postgis); it starts its own
# throw-away cluster with .ci/postgres.sh and removes it at the end.
#
# Timeline of the load run (wrk -t2 -c32 for $RUN seconds on one tile through nginx):
# at 1/3 replica A is killed (SIGKILL); at 1/2 the database is stopped, at 2/3 started
# again; then a new build is written, which the surviving replica must serve.
#
# Environment: FEATURES (50000), RUN (30), TILE (6/40/24), KEEP=1 keeps the work folder;
# CHECK=1 (CI) skips the throughput runs and fails unless every request of the load run
# succeeded and the new build reached the surviving replica.
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
PG=$(freeport 38290)
A=$(freeport $((PG + 1)))
B=$(freeport $((A + 1)))
LB=$(freeport $((B + 1)))

log "PostgreSQL on $PG; newsmap and $FEATURES synthetic mentions in $work"
eval "$("$root/.ci/postgres.sh" start "$work/pg" "$PG")"
db=$NEWSMAP_TEST_DB
pgctl=$NEWSMAP_TEST_PGCTL
(cd "$root" && go build -o "$work/newsmap" ./cmd/newsmap && go build -o "$work/dbload" ./docs/bench/dbload &&
	go run ./docs/bench/synth -n "$FEATURES" -out "$work/layers")
"$work/dbload" -layers "$work/layers" -db "$db" >"$work/dbload.out"
log "$(cat "$work/dbload.out")"

start_replica() { # name port -> pid; prints seconds to ready
	local t0 t1
	t0=$(date +%s.%N)
	"$work/newsmap" serve -addr "127.0.0.1:$2" -db "$db" -db-cache "$work/cache-$1" -reload 1s -warm -1 \
		>"$work/$1.out" 2>"$work/$1.log" &
	echo $! >"$work/$1.pid"
	for _ in $(seq 600); do
		[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/api/layers") == 200 ]] && break
		sleep 0.1
	done
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}'
}
startA=$(start_replica a "$A")
startB=$(start_replica b "$B")
rss() { ps -o rss= -p "$(cat "$work/$1.pid")" | awk '{printf "%.0f", $1/1024}'; }
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
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 1s;
        }
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
pids+=($!)
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$LB/api/layers" 2>/dev/null && break; sleep 0.1; done

path="/tiles/mentions/$TILE.mvt"
one() { # url -> req/s
	wrk -t2 -c32 -d10s -H 'Accept-Encoding: gzip' "$1" | awk '/^Requests\/sec:/{print $2}'
}
rpsA="(not measured with CHECK=1)"
rpsLB=$rpsA
if [[ ${CHECK:-0} != 1 ]]; then
	log "one replica alone, 10 s"
	rpsA=$(one "http://127.0.0.1:$A$path")
	log "both behind nginx, 10 s"
	rpsLB=$(one "http://127.0.0.1:$LB$path")
fi

log "load run: $RUN s; replica a killed at $((RUN / 3)) s, database stopped at $((RUN / 2)) s, started at $((2 * RUN / 3)) s"
wrk -t2 -c32 -d"${RUN}s" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$LB$path" >"$work/run.wrk" &
wrkpid=$!
sleep $((RUN / 3))
kill -9 "$(cat "$work/a.pid")"
sleep $((RUN / 2 - RUN / 3))
$pgctl -m fast stop >/dev/null 2>&1 || su postgres -s /bin/sh -c "$pgctl -m fast stop" >/dev/null
during=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LB/api/layers/mentions.geojson?limit=1")
sleep $((2 * RUN / 3 - RUN / 2))
start_pg="$pgctl -l $work/pg/server2.log -w -o \"-p $PG -k $work/pg -c listen_addresses=127.0.0.1\" start"
sh -c "$start_pg" >/dev/null 2>&1 || su postgres -s /bin/sh -c "$start_pg" >/dev/null
wait "$wrkpid"
total=$(awk '/requests in/{print $1}' "$work/run.wrk")
non2xx=$(awk '/Non-2xx/{print $4}' "$work/run.wrk")
sockerr=$(awk '/Socket errors/{print}' "$work/run.wrk")
runrps=$(awk '/^Requests\/sec:/{print $2}' "$work/run.wrk")

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
echo "Replicas behind nginx, $FEATURES synthetic mentions in PostGIS ($(nproc) cores; tile $TILE, wrk -t2 -c32):"
echo
echo "| figure | value |"
echo "|---|---|"
echo "| build into PostGIS (dbload = build -db's write) | $(cat "$work/dbload.out") |"
echo "| replica start (sync from PostGIS, load, ready) | a: ${startA} s, b: ${startB} s |"
echo "| replica memory (RSS after start) | a: ${rssA} MiB, b: ${rssB} MiB |"
echo "| one replica alone | $rpsA req/s |"
echo "| two replicas behind nginx | $rpsLB req/s |"
echo "| load run ($RUN s, replica a killed, database restarted) | $total requests, $runrps req/s, non-2xx: ${non2xx:-0}, ${sockerr:-no socket errors} |"
echo "| answer while the database was down | $during |"
echo "| new build served by the surviving replica after the restart | $newbuild |"

# CHECK=1 (CI): fail unless no request failed, the database outage was answered and the
# new build reached the surviving replica.
if [[ ${CHECK:-0} == 1 ]]; then
	if [[ -n ${non2xx:-} && ${non2xx:-0} != 0 ]] || [[ -n ${sockerr:-} ]] || [[ $during != 200 ]] || [[ $newbuild != yes ]]; then
		echo "replicas.sh: CHECK failed" >&2
		exit 1
	fi
	echo "replicas.sh: CHECK passed" >&2
fi
