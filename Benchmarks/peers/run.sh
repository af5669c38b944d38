#!/usr/bin/env bash
# Measure the conv suite in ONNX Runtime and LiteRT (XNNPACK) next to edgeprobe, on this machine.
#
#   Benchmarks/peers/run.sh [--threads 1,2] [--min-time SECONDS] [--rounds N] [--only SUBSTRING]
#                           [--edgeprobe FILE.jsonl]... [--suite PATH]
#
# Creates the git-ignored venv Benchmarks/.venv with the pinned peers (requirements.txt), then for
# each round and thread count runs edgeprobe's `bench` (when built at .build/release/edgeprobe, or
# reads the JSON lines given with --edgeprobe) and the peers back to back, so both see the same
# machine state; each figure is the median over rounds. Writes
# Benchmarks/peers/results/{peers,edgeprobe,comparison}.jsonl and prints a table with
# ratio = edgeprobe p50 / best peer p50.
set -euo pipefail
cd "$(dirname "$0")/../.."

THREADS=1,2
MIN_TIME=1.0
ROUNDS=1
ONLY=""
SUITE=Profiles/suites/conv-default.yaml
EDGEPROBE_FILES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) THREADS=$2; shift 2 ;;
        --min-time) MIN_TIME=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --suite) SUITE=$2; shift 2 ;;
        --edgeprobe) EDGEPROBE_FILES+=("$2"); shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

. Benchmarks/peers/venv.sh

EDGEPROBE=.build/release/edgeprobe
: > "$RESULTS/peers.jsonl"
if [ ${#EDGEPROBE_FILES[@]} -eq 0 ]; then : > "$RESULTS/edgeprobe.jsonl"; fi
for round in $(seq "$ROUNDS"); do
    for threads in ${THREADS//,/ }; do
        if [ ${#EDGEPROBE_FILES[@]} -eq 0 ]; then
            if [ -x "$EDGEPROBE" ]; then
                echo "run.sh: round $round, edgeprobe bench, $threads thread(s)" >&2
                "$EDGEPROBE" bench --suite "$SUITE" --threads "$threads" >> "$RESULTS/edgeprobe.jsonl"
            else
                echo "run.sh: $EDGEPROBE not built (make release); peers only" >&2
            fi
        fi
        echo "run.sh: round $round, peers, $threads thread(s)" >&2
        "$VENV/bin/python" Benchmarks/peers/peers.py --suite "$SUITE" --threads "$threads" \
            --min-time "$MIN_TIME" --only "$ONLY" >> "$RESULTS/peers.jsonl"
    done
done
if [ ${#EDGEPROBE_FILES[@]} -eq 0 ]; then EDGEPROBE_FILES=("$RESULTS/edgeprobe.jsonl"); fi
"$VENV/bin/python" Benchmarks/peers/compare.py "$RESULTS/peers.jsonl" "${EDGEPROBE_FILES[@]}" \
    > "$RESULTS/comparison.jsonl"
