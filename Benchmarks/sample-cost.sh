#!/usr/bin/env bash
# Measures what telemetry sampling costs with the release build:
#   1. one full sample (Sampler.read: every collector once), from the records' collect_us,
#      over many back-to-back samples: median, p10, p90, min (microseconds);
#   2. CPU time per tick including JSON encoding and the write (from /proc/PID/schedstat);
#   3. `edgeprobe sample --interval 1s` in steady state: RSS (VmRSS, anonymous and file-backed
#      parts) and CPU share of one core over DURATION seconds.
# Usage: Benchmarks/sample-cost.sh [path/to/edgeprobe] [DURATION_S]   (defaults: release build, 60)
# Targets (issue 2): sample <= 150 us, steady state <= 8 MiB RSS and <= 0.05% of one core.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/edgeprobe}
DURATION=${2:-60}
[ -x "$BIN" ] || { echo "no executable at $BIN: run 'make release' first" >&2; exit 1; }

python3 - "$BIN" "$DURATION" <<'PY'
import json, os, shutil, signal, statistics, subprocess, sys, tempfile, time

binary, duration = sys.argv[1], float(sys.argv[2])

def schedstat_ns(pid):
    with open(f"/proc/{pid}/schedstat") as handle:
        return int(handle.read().split()[0])

def status_kib(pid, keys=("VmRSS", "RssAnon", "RssFile")):
    found = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in keys:
                found[name] = int(value.split()[0])
    return found

# 1 and 2: back-to-back samples, at normal priority and (as root) at real-time priority, where
# other processes on a busy machine cannot preempt the reads and the figures show the code's cost.
def percentile(values, share):
    return values[min(len(values) - 1, int(share * len(values)))]

def cost_phase(label, prefix, count=2000):
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as output:
        process = subprocess.Popen(prefix + [binary, "sample", "--interval", "2ms", "--count", str(count),
                                             "--output", output.name])
        time.sleep(0.3)
        start_cpu, start_lines = schedstat_ns(process.pid), sum(1 for _ in open(output.name))
        last_cpu, last_lines = start_cpu, start_lines
        while process.poll() is None:
            try:
                last_cpu = schedstat_ns(process.pid)
                last_lines = sum(1 for _ in open(output.name))
            except (FileNotFoundError, ProcessLookupError):
                break
            time.sleep(0.2)
        if process.wait() != 0:
            sys.exit(f"{binary} sample exited with {process.returncode}")
        records = [json.loads(line) for line in open(output.name)]
    costs = sorted(record["collect_us"] for record in records[1:])
    print(f"[{label}] sample cost over {len(costs)} reads (collect_us): median {statistics.median(costs):.1f} us, "
          f"p10 {percentile(costs, 0.1):.1f}, p90 {percentile(costs, 0.9):.1f}, min {costs[0]:.1f}")
    ticks = last_lines - start_lines
    if ticks > 0:
        print(f"[{label}] CPU per tick incl. JSON encoding and write: "
              f"{(last_cpu - start_cpu) / ticks / 1000:.1f} us (over {ticks} ticks)")

print(f"load average before: {open('/proc/loadavg').read().split()[0]} on {os.cpu_count()} CPUs")
cost_phase("normal priority", [])
if os.geteuid() == 0 and shutil.which("chrt"):
    cost_phase("SCHED_FIFO 10", ["chrt", "-f", "10"])

# 3: steady state at the default interval.
process = subprocess.Popen([binary, "sample", "--interval", "1s", "--output", "/dev/null"])
time.sleep(5)
cpu_before, wall_before = schedstat_ns(process.pid), time.monotonic()
time.sleep(duration)
cpu_after, wall_after = schedstat_ns(process.pid), time.monotonic()
memory = status_kib(process.pid)
process.send_signal(signal.SIGTERM)
status = process.wait(timeout=10)
share = (cpu_after - cpu_before) / 1e9 / (wall_after - wall_before) * 100
print(f"steady state, --interval 1s over {wall_after - wall_before:.0f} s: CPU {share:.4f}% of one core, "
      f"VmRSS {memory['VmRSS'] / 1024:.2f} MiB (anonymous {memory['RssAnon'] / 1024:.2f}, "
      f"file-backed {memory['RssFile'] / 1024:.2f}), exit status after SIGTERM {status}")
PY
