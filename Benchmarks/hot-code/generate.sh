#!/usr/bin/env bash
# Writes Benchmarks/hot-code/steady-state.order: the functions one sampling tick runs, in
# `edgeprobe sample` (edgeprobe-sample) and in the idle `edgeprobe agent` (edgeprobe-agent), with
# and without metrics.textfile (rewritten after every sample), and those one scrape of the
# agent's `/metrics` runs (metrics.listen: HTTPServer on NIOHTTP1, scraped every 15 s for
# months), as section names for gold's --section-ordering-file (Package.swift links the
# executables with it).
#
# Counts come from valgrind's callgrind, which sees every call (no sampling): a function belongs
# to the steady state when it is called at least once per tick after start-up. Rerun after
# changing the sampling path and commit the result; a stale list only costs resident memory.
# Usage: Benchmarks/hot-code/generate.sh   (needs valgrind: apt-get install valgrind)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 1; }
make release >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Valgrind cannot read the full binary's DWARF; the symbol table is all it needs.
for binary in edgeprobe edgeprobe-sample edgeprobe-agent; do objcopy --strip-debug ".build/release/$binary" "$work/$binary"; done

# edgeprobe sample: 300 ticks back to back.
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/sample.out" \
    "$work/edgeprobe-sample" sample --interval 1ms --count 300 >/dev/null 2>"$work/sample.log"
echo 300 > "$work/sample.ticks"

start_agent() {  # RUN: edgeprobe-agent (which `edgeprobe agent` hands over to) with $work/RUN.yaml
    EDGEPROBE_PROFILES="$PWD/Profiles" valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/$1.out" \
        "$work/edgeprobe-agent" agent --config "$work/$1.yaml" >"$work/$1.jsonl" 2>"$work/$1.log" &
    agent=$!
}

# edgeprobe agent sampling every 100 ms for 40 s, no schedule, then SIGTERM; once with stdout
# only, once also rewriting metrics.textfile after every sample.
base='sampling:\n  interval: 100ms\nboard: generic\noutputs:\n  stdout: true\n'
printf "$base" > "$work/agent.yaml"
printf "${base}metrics:\n  textfile: %s\n" "$work/edgeprobe.prom" > "$work/textfile.yaml"
for run in agent textfile; do
    start_agent "$run"
    sleep 40
    kill -TERM "$agent"
    wait "$agent" || true
    grep -c '"type":"sample"' "$work/$run.jsonl" > "$work/$run.ticks" || { cat "$work/$run.log" >&2; exit 1; }
done
[ -s "$work/edgeprobe.prom" ] || { echo "the textfile run wrote no $work/edgeprobe.prom" >&2; cat "$work/textfile.log" >&2; exit 1; }

# edgeprobe agent with metrics.listen, sampling every second, its /metrics scraped 40 times
# (a "tick" of this run is a scrape).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'sampling:\n  interval: 1s\nboard: generic\noutputs:\n  stdout: true\nmetrics:\n  listen: 127.0.0.1:%s\n' "$port" > "$work/metrics.yaml"
start_agent metrics
python3 - "$port" "$work/metrics.ticks" <<'PY'
import sys, time, urllib.request
url, scrapes = f"http://127.0.0.1:{sys.argv[1]}/metrics", 0
deadline = time.monotonic() + 120
while scrapes == 0 and time.monotonic() < deadline:
    try:
        urllib.request.urlopen(url, timeout=30).read()
        scrapes = 1
    except OSError:
        time.sleep(0.5)
while 0 < scrapes < 40:
    time.sleep(0.5)
    urllib.request.urlopen(url, timeout=30).read()
    scrapes += 1
open(sys.argv[2], "w").write(f"{scrapes}\n")
PY
kill -TERM "$agent"
wait "$agent" || true
[ "$(cat "$work/metrics.ticks")" -gt 0 ] || { cat "$work/metrics.log" >&2; exit 1; }

python3 - "$work" > Benchmarks/hot-code/steady-state.order <<'PY'
import collections, re, sys
work = sys.argv[1]
hot = set()
for run in ("sample", "agent", "textfile", "metrics"):
    ticks = int(open(f"{work}/{run}.ticks").read())
    names, calls, callee = {}, collections.Counter(), None
    for line in open(f"{work}/{run}.out"):
        match = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?", line)
        if match:
            kind, index, name = match.groups()
            if name:
                names[index] = name.strip()
            if kind == "cfn":
                callee = index
            continue
        match = re.match(r"^calls=(\d+)", line)
        if match and callee is not None:
            calls[callee] += int(match.group(1))
    steady = {names[i] for i, n in calls.items() if i in names and n >= ticks * 0.8 and not names[i].startswith("0x")}
    print(f"{run}: {ticks} ticks (scrapes for metrics), {len(steady)} functions called every tick", file=sys.stderr)
    hot |= steady
for name in sorted(hot):
    print(".text." + name)
PY
echo "wrote Benchmarks/hot-code/steady-state.order ($(wc -l < Benchmarks/hot-code/steady-state.order) functions)" >&2
# SwiftPM does not track the list as a link input: remove the executables so the next build
# links them with it.
rm -f .build/release/edgeprobe .build/release/edgeprobe-sample .build/release/edgeprobe-agent
