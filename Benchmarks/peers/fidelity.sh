#!/usr/bin/env bash
# Fidelity for NAS: random architectures of a search space on edgeprobe's kernels, XNNPACK,
# ONNX Runtime and LiteRT, in turns; latency ratios and Kendall's tau between every pair.
#
#   Benchmarks/peers/fidelity.sh [--archs 20] [--seed 1] [--threads 1,2] [--rounds 2]
#                                [--rounds-statistic median|min] [--min-time 0.2]
#                                [--space PATH] [--engines LIST]
#
# Builds nothing: needs .build/release/edgeprobe (make release). Creates the git-ignored venv
# Benchmarks/.venv with the pinned peers (requirements.txt), runs fidelity.py (its docstring says
# what is measured) and writes Benchmarks/peers/results/fidelity.jsonl and the specs edgeprobe
# sampled (`edgeprobe latency sample`) in Benchmarks/peers/results/fidelity-archs/; the table goes
# to stderr. On a shared machine wrap it in the machine's benchmark lock
# (e.g. `flock /work/bench.lock Benchmarks/peers/fidelity.sh`).
set -euo pipefail
cd "$(dirname "$0")/../.."

case "${1:-}" in -h|--help) sed -n '2,14p' "$0"; exit 0 ;; esac
EDGEPROBE=.build/release/edgeprobe
if [ ! -x "$EDGEPROBE" ]; then
    echo "fidelity.sh: $EDGEPROBE not built (make release)" >&2
    exit 2
fi
. Benchmarks/peers/venv.sh
"$VENV/bin/python" Benchmarks/peers/fidelity.py "$EDGEPROBE" "$@" | tee "$RESULTS/fidelity.jsonl"
