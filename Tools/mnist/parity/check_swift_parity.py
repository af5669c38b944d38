#!/usr/bin/env python3
"""Checks that train_mnist.py's k-means and magnitude pruning give bit-identical results to
Swift's KMeansWeightSharing.cluster and MagnitudePruning.prune on the committed weights.

Compiles main.swift with the two Swift sources (swiftc, no package build), then for every weight
tensor of the committed dense and pruned files compares codebook bits, indices, iteration count
and pruning mask. Exit status 1 on any difference.

Usage: python3 check_swift_parity.py [--swiftc swiftc]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import train_mnist  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swiftc", default="swiftc")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        binary = os.path.join(work, "parity")
        sources = [os.path.join(ROOT, "Sources/Compression", f) for f in
                   ("KMeansWeightSharing.swift", "MagnitudePruning.swift")] + [os.path.join(HERE, "main.swift")]
        subprocess.run([args.swiftc, "-O", *sources, "-o", binary], check=True)
        differences = 0
        for model in train_mnist.ARCHITECTURES:
            bits_used = train_mnist.SCHEDULES[model]["bits"]
            for stage in ("dense", "pruned"):
                tensors = train_mnist.read_weights(os.path.join(HERE, "..", "out", f"{model}-{stage}.weights"))
                for name, value in tensors.items():
                    if name not in bits_used:
                        continue
                    flat = value.reshape(-1).astype(np.float32)
                    flat.tofile(os.path.join(work, "in.f32"))
                    # Dense: prune 90 %; pruned: re-prune at the stored sparsity (must find the same mask).
                    sparsity = 0.9 if stage == "dense" else float((flat == 0).mean())
                    bits = bits_used[name]
                    out = os.path.join(work, "out.bin")
                    iterations = int(subprocess.run(
                        [binary, os.path.join(work, "in.f32"), str(bits), repr(sparsity), out],
                        check=True, capture_output=True, text=True).stdout)
                    data = np.fromfile(out, dtype=np.uint8)
                    k, kept = 1 << bits, flat[flat != 0]
                    codebook, indices = data[:4 * k].view(np.uint32), data[4 * k:4 * k + len(kept)]
                    mask = data[4 * k + len(kept):]
                    py_codebook, py_indices, py_iterations = train_mnist.kmeans_cluster(kept, bits)
                    py_mask = train_mnist.magnitude_mask(flat, sparsity).astype(np.uint8)
                    same = {"codebook": np.array_equal(codebook, py_codebook.view(np.uint32)),
                            "indices": np.array_equal(indices, py_indices),
                            "iterations": iterations == py_iterations,
                            "mask": np.array_equal(mask, py_mask)}
                    differences += not all(same.values())
                    print(f"{model} {stage} {name} bits {bits}: "
                          + ("identical" if all(same.values()) else f"DIFFERENT {same}"))
    print("all identical" if differences == 0 else f"{differences} tensors differ")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
