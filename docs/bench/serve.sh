#!/usr/bin/env bash
# Serve benchmark for docs/BENCHMARKS.md: for each size, a synthetic mentions layer
# (docs/bench/synth), then `newsmap serve -warm -1` started on it: the time until
# /healthz answers (the layers are loaded and indexed before the server listens) and the
# server's resident memory (VmRSS, and its peak VmHWM) once it answers.
#
# Usage: docs/bench/serve.sh [SIZES...]     (default: 10000 100000)
# Run from the repository root; the server listens on 127.0.0.1:18089 and is stopped.
set -euo pipefail
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/newsmap" ./cmd/newsmap
echo "| mentions | layer MB | start (until /healthz) | RSS | peak RSS |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
	rm -rf "$work/layers"
	go run ./docs/bench/synth -n "$n" -out "$work/layers" >/dev/null
	mb=$(du -m "$work/layers/mentions.geojson" | cut -f1)
	start=$(date +%s.%N)
	"$work/newsmap" serve -addr 127.0.0.1:18089 -layers "$work/layers" -warm -1 >"$work/serve.log" 2>&1 &
	pid=$!
	until curl -fsS -o /dev/null http://127.0.0.1:18089/healthz 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
		sleep 0.05
	done
	end=$(date +%s.%N)
	rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
	hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
	kill "$pid"; wait "$pid" 2>/dev/null || true
	printf "| %d | %d | %.1f s | %d MB | %d MB |\n" "$n" "$mb" "$(echo "$end - $start" | awk '{print $1 - $3}')" "$rss" "$hwm"
done
