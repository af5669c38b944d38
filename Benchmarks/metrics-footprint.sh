#!/usr/bin/env bash
# The agent's metrics footprint, side by side in one run (the machine's noise hits all alike):
# Benchmarks/soak.sh for the idle agent (sampling every 1 s, stdout only) with
#   off       no metrics,
#   textfile  metrics.textfile on the disk this script's temporary directory is on,
#   tmpfs     metrics.textfile on /dev/shm (as /run/edgeprobe under Deploy's textfile drop-in),
#   listen    metrics.listen, scraped every 15 s as Prometheus would,
# and, given a second build, `off` and `textfile` with that one too (other-off, other-textfile:
# before/after a change).
# Usage: flock /work/bench.lock Benchmarks/metrics-footprint.sh [EDGEPROBE] [DURATION_S] [OTHER_EDGEPROBE]
# (defaults: .build/release/edgeprobe, 900). Results: one soak.sh summary per configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-.build/release/edgeprobe}")
DURATION=${2:-900}
OTHER=${3:+$(realpath "$3")}
work=$(mktemp -d /tmp/edgeprobe-metrics-footprint-XXXXXX)
shm=$(mktemp -d /dev/shm/edgeprobe-metrics-footprint-XXXXXX)
trap 'rm -rf "$shm"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=$'sampling:\n  interval: 1s\nboard: generic\noutputs:\n  stdout: true\n'
mkdir -p "$work/textfile" "$work/other-textfile"
printf '%s' "$base" > "$work/off.yaml"
printf '%smetrics:\n  textfile: %s\n' "$base" "$work/textfile/edgeprobe.prom" > "$work/textfile.yaml"
printf '%smetrics:\n  textfile: %s\n' "$base" "$shm/edgeprobe.prom" > "$work/tmpfs.yaml"
printf '%smetrics:\n  listen: 127.0.0.1:%s\n' "$base" "$port" > "$work/listen.yaml"
cp "$work/off.yaml" "$work/other-off.yaml"
printf '%smetrics:\n  textfile: %s\n' "$base" "$work/other-textfile/edgeprobe.prom" > "$work/other-textfile.yaml"

run() {  # NAME BINARY [ENVIRONMENT...]
    local name=$1 binary=$2; shift 2
    env SOAK_AGENT_CONFIG="$work/$name.yaml" "$@" Benchmarks/soak.sh "$binary" "$DURATION" "$work/$name.csv" > "$work/$name.out" 2>&1
}
pids=()
run off "$BIN" & pids+=($!)
run textfile "$BIN" & pids+=($!)
run tmpfs "$BIN" & pids+=($!)
run listen "$BIN" SOAK_SCRAPE_URL="http://127.0.0.1:$port/metrics" SOAK_SCRAPE_EVERY=15 & pids+=($!)
if [ -n "$OTHER" ]; then run other-off "$OTHER" & pids+=($!); run other-textfile "$OTHER" & pids+=($!); fi
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
for name in off textfile tmpfs listen ${OTHER:+other-off other-textfile}; do
    echo "== $name ($(sed -n 's/^  //p' "$work/$name.yaml" | tail -1 | tr -d '\n'))"
    cat "$work/$name.out"
done
echo "(CSVs in $work)"
if [ "$failed" != 0 ]; then echo "metrics-footprint: a configuration failed (see its output above)" >&2; exit 1; fi
