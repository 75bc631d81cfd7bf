#!/usr/bin/env bash
# Build benchmark for docs/BENCHMARKS.md: for each corpus size, a JSON Lines corpus made
# from the repository's own articles (docs/bench/corpus), a full build (wall time, CPU
# time, peak RSS from /usr/bin/time), end-to-end MB/s per core (article text / CPU
# seconds); a -force rebuild (every article parsed again, with the gazetteer snapshot
# the first build left in the cache folder); then an incremental build after adding
# one article, and a no-op rebuild.
#
# Usage: docs/bench/build.sh [SIZES...]      (default: 1000 10000; 100000 takes long)
# Needs GNU time (/usr/bin/time, Debian package "time"). Run from the repository root.
# Prints one Markdown table row per size; the goal is a peak RSS under 2 GB at 100k.
set -euo pipefail
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=${BENCH_DIR:-$(mktemp -d)}
bin=$work/newsmap
go build -o "$bin" ./cmd/newsmap
echo "| articles | text MB | full build | CPU s | peak RSS | MB/s per core (CPU) | -force rebuild | CPU s | MB/s per core | +1 article | peak RSS | no change |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
	dir=$work/c$n
	rm -rf "$dir" && mkdir -p "$dir/articles"
	go run ./docs/bench/corpus -n "$n" -o "$dir/articles/corpus.jsonl" 2>"$dir/corpus.log"
	mb=$(sed -E 's/.* ([0-9.]+) MB of text/\1/' "$dir/corpus.log")
	run() { # label: runs a build, prints "wall cpu rssMB"
		/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$bin" build -q -articles "$dir/articles" -out "$dir/layers" -cache "$dir/cache" "$@" >"$dir/out" 2>"$dir/err"
		read -r wall user sys rss <"$dir/time"
		awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN { printf "%s %.1f %d\n", w, u + s, r / 1024 }'
	}
	read -r fwall fcpu frss < <(run)
	# every article parsed again, the gazetteer snapshot made by the first build read
	read -r rwall rcpu rrss < <(run -force)
	# one more article: a copy of the first line under a new id
	head -1 "$dir/articles/corpus.jsonl" | sed -E 's/"id":"([^"]*)"/"id":"\1-added"/' >"$dir/articles/added.jsonl"
	read -r iwall _ irss < <(run)
	grep -q "(1 parsed" "$dir/out" || { echo "incremental build parsed more than one article: $(cat "$dir/out")" >&2; exit 1; }
	read -r nwall _ _ < <(run)
	mbps=$(awk -v m="$mb" -v c="$fcpu" 'BEGIN { printf "%.2f", m / c }')
	rmbps=$(awk -v m="$mb" -v c="$rcpu" 'BEGIN { printf "%.2f", m / c }')
	echo "| $n | $mb | ${fwall} s | ${fcpu} | ${frss} MB | ${mbps} | ${rwall} s | ${rcpu} | ${rmbps} | ${iwall} s | ${irss} MB | ${nwall} s |"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
