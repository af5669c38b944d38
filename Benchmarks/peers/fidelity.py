#!/usr/bin/env python3
"""Fidelity for NAS: do edgeprobe's engines rank random architectures of a search space the way
production runtimes do, and how fast are they next to them?

Has edgeprobe sample --archs random architectures of a search space (Profiles/spaces, format in
Docs/nas.md; seeded: --seed) with `edgeprobe latency sample`, the sampler `lut --check` draws from
(the same seed gives the same architectures), which writes each as an architecture spec
(results/fidelity-archs/NAME.yaml); measures every one with each engine, at each thread count:
  edgeprobe    `edgeprobe latency --arch FILE --engine edgeprobe` (its own kernels)
  xnnpack      `edgeprobe latency --arch FILE --engine xnnpack` (Debian's XNNPACK)
  onnxruntime  ONNX Runtime, CPU provider (the graph mobilenet_model.py builds)
  litert       LiteRT with its default XNNPACK delegate (the flatbuffer mobilenet_model.py builds)
edgeprobe's records must show the layer count, MACs and parameters of the peers' plan.

Engines take turns per architecture and round, rotated (A B C D, B C D A, ...: turn_order), so
a slow phase of a shared machine spreads over all of them; an architecture's figure per engine is
the median of its p50s over --rounds, or with --rounds-statistic min their minimum (the round
other processes disturbed least: a burst of load moves a median of 4 rounds, not the minimum).
Per thread count the summary gives each engine's median
(over architectures) ratio to ONNX Runtime, to LiteRT and to the faster of the two per
architecture, and Kendall's tau-b between every pair of engines.

Usage: Benchmarks/.venv/bin/python Benchmarks/peers/fidelity.py PATH/TO/edgeprobe
           [--space Profiles/spaces/mobilenet-v2-96.yaml] [--archs 20] [--seed 1] [--threads 1,2]
           [--rounds 2] [--rounds-statistic median|min] [--min-time 0.2]
           [--engines edgeprobe,xnnpack,onnxruntime,litert]
JSON lines on stdout: one `fidelity_arch` per (architecture, threads), one `fidelity_summary`
per thread count (with `self_kendall_tau`: each engine's even rounds against its odd rounds, each
half combined as the rounds are, the ceiling the machine's noise puts on the tau between
engines); a table on stderr.
"""
import argparse
import datetime
import importlib.metadata
import itertools
import json
import os
import statistics
import subprocess
import sys

import numpy as np
import yaml

import mobilenet_model as model
from rank_agreement import kendall_tau, median_ratio, split_half_tau, turn_order

ENGINES = ["edgeprobe", "xnnpack", "onnxruntime", "litert"]
PEERS = ["onnxruntime", "litert"]
# How an architecture's per-round p50s become its figure: the median of the rounds, or their
# minimum (the round the machine's other processes disturbed least).
ROUNDS_STATISTICS = {"median": statistics.median, "min": min}


def sample_specs(edgeprobe, space_path, count, seed, directory):
    """The spec files of `count` random architectures of the space, sampled by edgeprobe itself
    (`edgeprobe latency sample`, the Swift sampler `lut --check` uses) and written into `directory`."""
    result = subprocess.run([edgeprobe, "latency", "sample", "--space", space_path, "--archs", str(count),
                             "--seed", str(seed), "--directory", directory], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"fidelity.py: {edgeprobe} latency sample failed: {result.stderr.strip()}")
    return result.stdout.splitlines()


class Architecture:
    """One sampled architecture: its spec file, plan, size and the peers' models (sessions are
    made once per thread count and kept across rounds)."""

    def __init__(self, path):
        self.path = path
        with open(path) as handle:
            spec = yaml.safe_load(handle)
        self.name, self.resolution, self.channels, steps = model.plan(self.path)
        self.size = model.size(steps)
        self.kernels = {k: sum(block["kernel"] == k for block in spec["blocks"]) for k in sorted({b["kernel"] for b in spec["blocks"]})}
        self.onnx = model.onnx_model(self.name, self.resolution, self.channels, steps).SerializeToString()
        self.tflite = model.tflite_model(self.name, self.resolution, self.channels, steps)
        self.sessions = {}

    def timer(self, engine, threads, binary, min_time):
        """A function returning one p50 in microseconds of `engine` on this architecture."""
        if engine in ("edgeprobe", "xnnpack"):
            return lambda: model.time_edgeprobe_latency(binary, self.path, threads, min_time, engine, self.size)[engine]
        key = (engine, threads)
        if key not in self.sessions:
            if engine == "onnxruntime":
                self.sessions[key] = model.onnxruntime_session(self.onnx, threads)
            else:
                self.sessions[key] = model.litert_interpreter(self.tflite, threads)
        return lambda: self.time_peer(engine, self.sessions[key], min_time)

    def time_peer(self, engine, session, min_time):
        generator = np.random.default_rng(2)
        if engine == "onnxruntime":
            x = generator.uniform(-1, 1, (1, self.channels, self.resolution, self.resolution)).astype(np.float32)
            binding = session.io_binding()
            binding.bind_cpu_input("x", x)
            binding.bind_output("y")
            session.run_with_iobinding(binding)
            binding.bind_ortvalue_output("y", binding.get_outputs()[0])
            return model.median_latency_us(lambda: session.run_with_iobinding(binding), 20, min_time, warmup=5)[0]
        x = generator.uniform(-1, 1, (1, self.resolution, self.resolution, self.channels)).astype(np.float32)
        session.set_tensor(session.get_input_details()[0]["index"], x)
        return model.median_latency_us(session.invoke, 20, min_time, warmup=5)[0]


def summary(archs, p50, engines, threads, args):
    """The `fidelity_summary` record of one thread count: ratios and Kendall's tau per pair."""
    figures = {engine: [p50[(arch.name, engine)] for arch in archs] for engine in engines}
    record = {"type": "fidelity_summary", "threads": threads, "archs": len(archs), "rounds": args.rounds,
              "min_time_s": args.min_time, "seed": args.seed, "space": args.space, "engines": engines,
              "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "onnxruntime_version": importlib.metadata.version("onnxruntime"),
              "litert_version": importlib.metadata.version("ai-edge-litert"),
              "median_p50_us": {engine: round(statistics.median(values), 1) for engine, values in figures.items()}}
    peers = [peer for peer in PEERS if peer in engines]
    ratios = {}
    for engine in engines:
        for peer in peers:
            if peer != engine:
                ratios[f"{engine}_to_{peer}"] = round(median_ratio(figures[engine], figures[peer]), 3)
        if peers:
            best = [min(values) for values in zip(*(figures[peer] for peer in peers))]
            ratios[f"{engine}_to_best_peer"] = round(median_ratio(figures[engine], best), 3)
    record["median_ratio"] = ratios
    taus = {}
    for first, second in itertools.combinations(engines, 2):
        tau = kendall_tau(figures[first], figures[second])
        taus[f"{first}~{second}"] = None if tau is None else round(tau, 3)
    if peers:
        best = [min(values) for values in zip(*(figures[peer] for peer in peers))]
        for engine in engines:
            tau = kendall_tau(figures[engine], best)
            taus[f"{engine}~best_peer"] = None if tau is None else round(tau, 3)
    record["kendall_tau"] = taus
    return record


def noise_ceiling(archs, samples, engines, combine):
    """Per engine, Kendall's tau of its even rounds against its odd rounds, each half combined as
    the rounds are (`split_half_tau`):
    how well the machine lets an engine agree with itself, next to which the tau between two
    engines is to be read. None per engine with fewer than 2 rounds."""
    taus = {}
    for engine in engines:
        tau = split_half_tau([samples[(arch.name, engine)] for arch in archs], combine)
        taus[engine] = None if tau is None else round(tau, 3)
    return taus


def print_table(archs, p50, engines, record):
    threads = record["threads"]
    print(f"\n{threads} thread(s): p50 µs, median of {record['rounds']} round(s)", file=sys.stderr)
    print(f"{'architecture':32}{'MMACs':>7}  {'blocks k3/k5/k7':16}" + "".join(f"{engine:>13}" for engine in engines), file=sys.stderr)
    for arch in archs:
        kernels = "/".join(str(arch.kernels.get(k, 0)) for k in (3, 5, 7))
        print(f"{arch.name:32}{arch.size[1] / 1e6:7.1f}  {kernels:16}"
              + "".join(f"{p50[(arch.name, engine)]:13.0f}" for engine in engines), file=sys.stderr)
    print("median ratios: " + ", ".join(f"{k} {v}" for k, v in record["median_ratio"].items()), file=sys.stderr)
    print("Kendall tau:   " + ", ".join(f"{k} {v}" for k, v in record["kendall_tau"].items()), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edgeprobe")
    parser.add_argument("--space", default="Profiles/spaces/mobilenet-v2-96.yaml")
    parser.add_argument("--archs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per measurement")
    parser.add_argument("--rounds-statistic", choices=sorted(ROUNDS_STATISTICS), default="median",
                        help="how an architecture's p50s over the rounds become its figure")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--specs", default="Benchmarks/peers/results/fidelity-archs", help="where the sampled specs are written")
    args = parser.parse_args()
    engines = args.engines.split(",")
    unknown = [engine for engine in engines if engine not in ENGINES]
    if unknown or len(engines) < 2 or args.archs < 2 or args.rounds < 1:
        parser.error(f"--engines: two or more of {','.join(ENGINES)} (unknown: {unknown}); --archs >= 2; --rounds >= 1")
    os.makedirs(args.specs, exist_ok=True)
    archs = [Architecture(path) for path in sample_specs(args.edgeprobe, args.space, args.archs, args.seed, args.specs)]
    for threads in [int(t) for t in args.threads.split(",")]:
        os.sched_setaffinity(0, set(range(min(threads, os.cpu_count() or 1))))
        samples = {}
        for round_index in range(args.rounds):
            for arch_index, arch in enumerate(archs):
                for engine in turn_order(engines, round_index, arch_index):
                    value = arch.timer(engine, threads, args.edgeprobe, args.min_time)()
                    samples.setdefault((arch.name, engine), []).append(value)
                print(f"threads {threads} round {round_index + 1}/{args.rounds}: {arch_index + 1}/{len(archs)}",
                      file=sys.stderr, end="\r", flush=True)
        combine = ROUNDS_STATISTICS[args.rounds_statistic]
        p50 = {key: combine(values) for key, values in samples.items()}
        for arch in archs:
            print(json.dumps({"type": "fidelity_arch", "name": arch.name, "spec": arch.path, "threads": threads,
                              "layers": arch.size[0], "macs": arch.size[1], "params": arch.size[2],
                              "blocks_per_kernel": {str(k): n for k, n in arch.kernels.items()},
                              "p50_us": {engine: round(p50[(arch.name, engine)], 1) for engine in engines},
                              "rounds_p50_us": {engine: [round(v, 1) for v in samples[(arch.name, engine)]]
                                                for engine in engines}}, sort_keys=True), flush=True)
        record = summary(archs, p50, engines, threads, args)
        record["rounds_statistic"] = args.rounds_statistic
        record["self_kendall_tau"] = noise_ceiling(archs, samples, engines, combine)
        print(json.dumps(record, sort_keys=True), flush=True)
        print_table(archs, p50, engines, record)
        print("self tau (even vs odd rounds, the noise ceiling): "
              + ", ".join(f"{k} {v}" for k, v in record["self_kendall_tau"].items()), file=sys.stderr)


if __name__ == "__main__":
    main()
