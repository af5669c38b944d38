#!/usr/bin/env bash
# Compares edgeprobe builds on depthwise layers: conv-default, shapes.yaml and narrow.yaml, each
# build in turn (every suite under flock /work/bench.lock, one at a time), ROUNDS times, then a
# table of each layer's edgeprobe p50 (µs) per build: the median of the rounds and every round.
#
#   Benchmarks/depthwise/compare.sh 3 .build/release/ep-old .build/release/ep-new
#
# Builds are paths to edgeprobe binaries (copies of .build/release/edgeprobe beside it, so that
# Profiles/ is found). The float32 path is each build's best one: to measure the `.simd` path on
# an AVX-512 CPU, build with the table's best row set to `.simd`.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 2 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 ROUNDS BUILD..." >&2
    exit 2
fi
ROUNDS=$1
shift
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for round in $(seq 1 "$ROUNDS"); do
    for build in "$@"; do
        for suite in conv-default Benchmarks/depthwise/shapes.yaml Benchmarks/depthwise/narrow.yaml; do
            flock /work/bench.lock "$build" bench --suite "$suite" --engine edgeprobe --threads 1 --min-time 1s \
                --output "$OUT/$(basename "$build")-$(basename "$suite" .yaml)-$round.jsonl" 2>/dev/null
        done
    done
done
python3 - "$OUT" "$@" <<'PY'
import collections, glob, json, os, statistics, sys
out, builds = sys.argv[1], [os.path.basename(b) for b in sys.argv[2:]]
p50 = collections.defaultdict(lambda: collections.defaultdict(list))
for build in builds:
    for path in sorted(glob.glob(f"{out}/{build}-*.jsonl")):
        for line in open(path):
            record = json.loads(line)
            if record.get("type") == "bench" and record["op"] in ("depthwise", "separable"):
                p50[record["name"]][build].append(record["latency_us"]["p50"])
print("| layer | " + " | ".join(builds) + " | last / first |")
print("|---|" + "--:|" * (len(builds) + 1))
for name, runs in p50.items():
    medians = [statistics.median(runs[b]) for b in builds]
    cells = [f"{m:.2f} ({', '.join(f'{x:.2f}' for x in runs[b])})" for m, b in zip(medians, builds)]
    print(f"| {name} | " + " | ".join(cells) + f" | {medians[-1] / medians[0]:.3f} |")
PY
