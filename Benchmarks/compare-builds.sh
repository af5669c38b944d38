#!/usr/bin/env bash
# Compares edgeprobe builds on benchmark suites: each build in turn (every suite under the machine's
# benchmark lock, $BENCH_LOCK or /work/bench.lock, one at a time), ROUNDS times, then a table per
# layer and build of the median over the rounds and every round's figure: edgeprobe's p50 (µs), or
# with --engine both the ratio edgeprobe p50 / XNNPACK p50 measured in the same process.
#
#   Benchmarks/compare-builds.sh [--engine edgeprobe|both] [--threads N] [--ops LIST]
#                                --suite S [--suite S ...] ROUNDS BUILD...
#   Benchmarks/compare-builds.sh --engine both --threads 2 --suite Benchmarks/pointwise/shapes.yaml \
#       3 .build/release/ep-old .build/release/ep-new
#
# Builds are paths to edgeprobe binaries (copies of .build/release/edgeprobe beside it, so that
# Profiles/ is found), with distinct file names. --ops keeps only layers of those ops (e.g.
# depthwise,separable). A failed run stops the comparison, prints its error and keeps the records.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { sed -n '7,8p' "$0" | sed '1s/^# */usage: /; 2s/^#//' >&2; exit 2; }
ENGINE=edgeprobe THREADS=1 OPS="" SUITES=()
LOCK=${BENCH_LOCK:-/work/bench.lock}
while [ $# -gt 0 ]; do
    case "$1" in
        --engine) ENGINE=${2:?--engine needs edgeprobe or both}; shift 2 ;;
        --threads) THREADS=${2:?--threads needs a count}; shift 2 ;;
        --ops) OPS=${2:?--ops needs a list}; shift 2 ;;
        --suite) SUITES+=("${2:?--suite needs a name or path}"); shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        -*) echo "compare-builds.sh: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
case "$ENGINE" in edgeprobe|both) ;; *) echo "compare-builds.sh: --engine must be edgeprobe or both, got $ENGINE" >&2; exit 2 ;; esac
if [ ${#SUITES[@]} -eq 0 ] || [ $# -lt 2 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then usage; fi
ROUNDS=$1
shift
for build in "$@"; do
    [ -x "$build" ] || { echo "compare-builds.sh: $build is not an executable edgeprobe build" >&2; exit 2; }
done
if [ "$(for build in "$@"; do basename "$build"; done | sort | uniq -d)" ]; then
    echo "compare-builds.sh: builds need distinct file names (the table names them so)" >&2
    exit 2
fi
OUT=$(mktemp -d)
for round in $(seq 1 "$ROUNDS"); do
    for b in $(seq 1 $#); do
        build=${!b}
        for s in "${!SUITES[@]}"; do
            record="$OUT/build$b-suite$s-round$round"
            if ! flock "$LOCK" "$build" bench --suite "${SUITES[$s]}" --engine "$ENGINE" --threads "$THREADS" \
                    --min-time 1s --output "$record.jsonl" 2>"$record.err"; then
                echo "compare-builds.sh: $build bench --suite ${SUITES[$s]} failed (records kept in $OUT):" >&2
                tail -5 "$record.err" >&2
                exit 1
            fi
        done
    done
done
python3 - "$OUT" "$ENGINE" "$OPS" "$@" <<'PY' || { echo "compare-builds.sh: the table failed; records kept in $OUT" >&2; exit 1; }
import collections, glob, json, os, statistics, sys
out, engine, ops = sys.argv[1], sys.argv[2], set(filter(None, sys.argv[3].split(",")))
builds = [os.path.basename(b) for b in sys.argv[4:]]
figures = collections.defaultdict(lambda: collections.defaultdict(list))
for index, build in enumerate(builds, start=1):
    for path in sorted(glob.glob(f"{out}/build{index}-suite*-round*.jsonl")):
        p50 = collections.defaultdict(dict)
        for line in open(path):
            record = json.loads(line)
            if record.get("type") == "bench" and (not ops or record["op"] in ops):
                p50[record["name"]][record.get("engine", "edgeprobe")] = record["latency_us"]["p50"]
        for name, engines in p50.items():
            if "edgeprobe" not in engines:
                continue
            if engine == "both" and "xnnpack" in engines:
                figures[name][build].append(engines["edgeprobe"] / engines["xnnpack"])
            elif engine == "edgeprobe":
                figures[name][build].append(engines["edgeprobe"])
digits = 3 if engine == "both" else 2
print("figure: " + ("edgeprobe p50 / XNNPACK p50" if engine == "both" else "edgeprobe p50, µs"))
print("| layer | " + " | ".join(builds) + " | last / first |")
print("|---|" + "--:|" * (len(builds) + 1))
for name, runs in figures.items():
    medians = [statistics.median(runs[b]) if runs[b] else None for b in builds]
    cells = [f"{m:.{digits}f} ({', '.join(f'{x:.{digits}f}' for x in runs[b])})" if m is not None else "–"
             for m, b in zip(medians, builds)]
    change = f"{medians[-1] / medians[0]:.3f}" if medians[0] and medians[-1] else "–"
    print(f"| {name} | " + " | ".join(cells) + f" | {change} |")
PY
rm -rf "$OUT"
