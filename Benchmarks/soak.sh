#!/usr/bin/env bash
# Long-run footprint of the two long-running modes, side by side, with the release build:
#   `edgeprobe agent` (sampling every 1 s, stdout only, no schedule) and
#   `edgeprobe sample --interval 1s`.
# Every minute: VmRSS, anonymous and file-backed RSS, CPU time of all threads. At the end: RSS at
# start and end, the RSS slope (least squares, KiB per hour, after the first minute), and CPU share
# of one core. Targets (issues 2 and 5): <= 8 MiB, <= 0.05 %, RSS flat.
# Usage: Benchmarks/soak.sh [path/to/edgeprobe] [DURATION_S] [CSV]  (defaults: release, 3600, soak.csv)
# SOAK_AGENT_CONFIG=FILE runs the agent with that configuration instead (e.g. with a schedule, to
# measure it idle between suites; its suites' child processes are not counted).
# SOAK_SCRAPE_URL=http://127.0.0.1:PORT/metrics scrapes the agent's metrics endpoint (a config with
# metrics.listen) every SOAK_SCRAPE_EVERY seconds (default 15), as Prometheus would.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/edgeprobe}
DURATION=${2:-3600}
CSV=${3:-soak.csv}
[ -x "$BIN" ] || { echo "no executable at $BIN: run 'make release' first" >&2; exit 1; }

python3 - "$BIN" "$DURATION" "$CSV" "${SOAK_AGENT_CONFIG:-}" "${SOAK_SCRAPE_URL:-}" "${SOAK_SCRAPE_EVERY:-15}" <<'PY'
import glob, os, signal, subprocess, sys, tempfile, threading, time, urllib.request

binary, duration, csv_path, given_config = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
scrape_url, scrape_every = sys.argv[5], float(sys.argv[6])
work = tempfile.mkdtemp(prefix="edgeprobe-soak-")
config = os.path.abspath(given_config) if given_config else os.path.join(work, "agent.yaml")
if not given_config:
    with open(config, "w") as handle:
        handle.write("sampling:\n  interval: 1s\nboard: generic\noutputs:\n  stdout: true\n")

def status_kib(pid):
    found = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                found[name] = int(value.split()[0])
    return found

def cpu_ns(pid):
    total = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(path) as handle:
                total += int(handle.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total

runs = {
    "agent": [binary, "agent", "--config", config],
    "sample": [binary, "sample", "--interval", "1s"],
}
processes = {}
for name, command in runs.items():
    output = open(os.path.join(work, name + ".jsonl"), "w")
    processes[name] = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL)
time.sleep(5)
scrapes = {"ok": 0, "failed": 0, "bytes": 0}
stop_scraping = threading.Event()
def scrape():
    while not stop_scraping.wait(scrape_every):
        try:
            with urllib.request.urlopen(scrape_url, timeout=5) as answer:
                scrapes["bytes"] = len(answer.read())
                scrapes["ok"] += 1
        except OSError:
            scrapes["failed"] += 1
if scrape_url:
    threading.Thread(target=scrape, daemon=True).start()
start = time.monotonic()
first_cpu = {name: cpu_ns(process.pid) for name, process in processes.items()}
rows = []
with open(csv_path, "w") as csv:
    csv.write("elapsed_s,process,vmrss_kib,rss_anon_kib,rss_file_kib,cpu_ns\n")
    while True:
        elapsed = time.monotonic() - start
        for name, process in processes.items():
            figures = status_kib(process.pid)
            cpu = cpu_ns(process.pid) - first_cpu[name]
            rows.append((elapsed, name, figures["VmRSS"], cpu))
            csv.write(f"{elapsed:.0f},{name},{figures['VmRSS']},{figures['RssAnon']},{figures['RssFile']},{cpu}\n")
        csv.flush()
        if elapsed >= duration:
            break
        time.sleep(min(60, duration - elapsed))

stop_scraping.set()
if scrape_url:
    print(f"scrapes of {scrape_url} every {scrape_every:.0f} s: {scrapes['ok']} answered "
          f"({scrapes['bytes']} bytes the last), {scrapes['failed']} failed")
for name, process in processes.items():
    process.send_signal(signal.SIGTERM)
    status = process.wait(timeout=10)
    series = [(t, rss) for t, n, rss, _ in rows if n == name]
    later = [(t, rss) for t, rss in series if t >= 60] or series
    n = len(later)
    mean_t = sum(t for t, _ in later) / n
    mean_r = sum(r for _, r in later) / n
    var_t = sum((t - mean_t) ** 2 for t, _ in later)
    slope = (sum((t - mean_t) * (r - mean_r) for t, r in later) / var_t * 3600) if var_t > 0 else 0.0
    elapsed = max(t for t, n2, _, _ in rows if n2 == name)
    cpu = [c for _, n2, _, c in rows if n2 == name][-1]
    lines = sum(1 for _ in open(os.path.join(work, name + ".jsonl")))
    print(f"{name}: {elapsed / 60:.0f} min, RSS {series[0][1] / 1024:.2f} -> {series[-1][1] / 1024:.2f} MiB "
          f"(max {max(r for _, r in series) / 1024:.2f}), slope {slope:+.1f} KiB/h, "
          f"CPU {cpu / 1e9 / elapsed * 100:.4f}% of one core, {lines} lines, exit status {status}")
PY
