#!/usr/bin/env bash
# Starts a throw-away PostgreSQL + PostGIS cluster on a loopback port for the tests and
# prints the export line for NEWSMAP_TEST_DB. Usage (from .ci/run):
#
#   eval "$(.ci/postgres.sh start DIR PORT)"   ...   .ci/postgres.sh stop DIR
#
# The cluster's files live in DIR (created; removed by stop). The server runs as the
# postgres user when started by root (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=$1 dir=$2 port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $bin/initdb ]] || { echo "postgres.sh: PostgreSQL server binaries not found (apt-get install postgresql postgis)" >&2; exit 1; }
as_pg() {
	if [[ $(id -u) == 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case $cmd in
start)
	mkdir -p "$dir"
	[[ $(id -u) == 0 ]] && chown postgres "$dir"
	as_pg "'$bin/initdb' -D '$dir/data' -A trust -U postgres -E UTF8 --no-locale" >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'CREATE DATABASE newsmap_test' >/dev/null
	psql -q -h 127.0.0.1 -p "$port" -U postgres -d newsmap_test -c 'CREATE EXTENSION postgis' >/dev/null
	echo "export NEWSMAP_TEST_DB=postgres://postgres@127.0.0.1:$port/newsmap_test"
	echo "export NEWSMAP_TEST_PGCTL='$bin/pg_ctl -D $dir/data'"
	;;
stop)
	as_pg "'$bin/pg_ctl' -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: postgres.sh start|stop DIR [PORT]" >&2
	exit 2
	;;
esac
