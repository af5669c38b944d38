#!/usr/bin/env python3
"""Side-by-side table: edgeprobe's median latency per layer vs the best peer, with the ratio.

Reads JSON lines from the given files: peer records (type "peer", from peers.py) and edgeprobe
bench records (type "bench" with `name`, `threads` and `latency_us.p50`). Prints a table on
stderr and one JSON line of type "peer_comparison" per (layer, threads) on stdout.
ratio = edgeprobe p50 / best peer p50 (below 1: edgeprobe is faster).
"""
import json
import sys


def read(paths):
    peers, edgeprobe = {}, {}
    for path in paths:
        with open(path) as handle:
            for line in handle:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                record = json.loads(line)
                kind = record.get("type")
                if kind == "peer":
                    key = (record["name"], record["threads"])
                    peers.setdefault(key, {})[record["peer"]] = record["latency_us"]["p50"]
                elif kind == "bench" and isinstance(record.get("latency_us"), dict):
                    edgeprobe[(record["name"], record.get("threads", 1))] = record["latency_us"]["p50"]
    return peers, edgeprobe


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: compare.py FILE.jsonl [FILE.jsonl ...]")
    peers, edgeprobe = read(sys.argv[1:])
    names = sorted({name for name, _ in peers} | {name for name, _ in edgeprobe},
                   key=lambda n: [k[0] for k in list(peers) + list(edgeprobe)].index(n))
    threads_list = sorted({t for _, t in peers} | {t for _, t in edgeprobe})
    header = f"{'layer':24s} {'thr':>3s} {'edgeprobe_us':>13s} {'onnxruntime_us':>15s} {'litert_us':>10s} {'best':>12s} {'ratio':>6s}"
    print(header, file=sys.stderr)
    for threads in threads_list:
        for name in names:
            ours = edgeprobe.get((name, threads))
            theirs = peers.get((name, threads), {})
            best_peer = min(theirs, key=theirs.get) if theirs else None
            best = theirs.get(best_peer) if best_peer else None
            ratio = ours / best if ours is not None and best else None
            cell = lambda v: f"{v:.1f}" if v is not None else "-"
            print(f"{name:24s} {threads:3d} {cell(ours):>13s} {cell(theirs.get('onnxruntime')):>15s} "
                  f"{cell(theirs.get('litert')):>10s} {best_peer or '-':>12s} "
                  f"{(f'{ratio:.2f}' if ratio is not None else '-'):>6s}", file=sys.stderr)
            print(json.dumps({"type": "peer_comparison", "name": name, "threads": threads,
                              "edgeprobe_p50_us": ours, "peers_p50_us": theirs, "best_peer": best_peer,
                              "ratio_to_best": round(ratio, 3) if ratio is not None else None}, sort_keys=True))


if __name__ == "__main__":
    main()
