#!/usr/bin/env bash
# Serve benchmark for docs/BENCHMARKS.md: for each size, a synthetic mentions layer
# (docs/bench/synth), then `newsmap serve -warm -1` started on it twice: the time until
# /healthz answers (the layers are loaded and indexed before the server listens) and the
# server's resident memory (VmRSS, its file-backed part RssFile — mapped index pages the
# kernel can drop — and the peak VmHWM) once it answers. The first start builds the
# layer's index (data/layers/.index), the second finds it.
#
# Usage: docs/bench/serve.sh [SIZES...]     (default: 10000 100000)
#        NEWSMAP=path docs/bench/serve.sh    times that binary instead of building one
# Run from the repository root; the server listens on 127.0.0.1:18089 and is stopped.
set -euo pipefail
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${NEWSMAP:-}
if [[ -z $bin ]]; then
	go build -o "$work/newsmap" ./cmd/newsmap
	bin=$work/newsmap
fi
go build -o "$work/synth" ./docs/bench/synth
start_once() { # prints: seconds CPU-seconds RSS-MB RssFile-MB HWM-MB
	local start end pid
	start=$(date +%s.%N)
	"$bin" serve -addr 127.0.0.1:18089 -layers "$work/layers" -warm -1 >"$work/serve.log" 2>&1 &
	pid=$!
	until curl -fsS -o /dev/null http://127.0.0.1:18089/healthz 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
		sleep 0.05
	done
	end=$(date +%s.%N)
	cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat")
	awk -v s="$start" -v e="$end" -v cpu="$cpu" '/VmRSS/ {rss=int($2/1024)} /RssFile/ {f=int($2/1024)} /VmHWM/ {hwm=int($2/1024)}
		END {printf "%.1f %s %d %d %d\n", e - s, cpu, rss, f, hwm}' "/proc/$pid/status"
	kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo "| mentions | layer MB | index MB | first start (CPU) | RSS (file-backed) | peak RSS | second start (CPU) | RSS (file-backed) | peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
	rm -rf "$work/layers"
	"$work/synth" -n "$n" -out "$work/layers" >/dev/null
	mb=$(du -m "$work/layers/mentions.geojson" | cut -f1)
	read -r s1 c1 r1 f1 h1 <<<"$(start_once)"
	read -r s2 c2 r2 f2 h2 <<<"$(start_once)"
	idx=$(du -sm "$work/layers/.index" 2>/dev/null | cut -f1 || echo 0)
	printf "| %d | %d | %s | %s s (%s s) | %d MB (%d) | %d MB | %s s (%s s) | %d MB (%d) | %d MB |\n" "$n" "$mb" "${idx:-0}" "$s1" "$c1" "$r1" "$f1" "$h1" "$s2" "$c2" "$r2" "$f2" "$h2"
done
