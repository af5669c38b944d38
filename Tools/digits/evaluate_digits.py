#!/usr/bin/env python3
"""Top-1 accuracy of a digits-CNN weights file (EPDW format, see README.md) on the test split.

Used to check what a compressed and decoded copy of the weights costs in accuracy, with the
same float32 forward pass the training script used.

Usage: python3 evaluate_digits.py WEIGHTS [--test out/digits-test.bin]
"""

import argparse
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_digits import forward  # noqa: E402


def read_weights(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"EPDW":
        sys.exit(f"{path}: not an EPDW weights file (magic {data[:4]!r})")
    version, count = struct.unpack_from("<II", data, 4)
    if version != 1:
        sys.exit(f"{path}: EPDW version {version}, this script reads 1")
    offset = 12
    params = {}
    for _ in range(count):
        (name_length,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset:offset + name_length].decode("utf-8")
        offset += name_length
        (rank,) = struct.unpack_from("<B", data, offset)
        offset += 1
        shape = struct.unpack_from(f"<{rank}I", data, offset)
        offset += 4 * rank
        size = int(np.prod(shape))
        params[name] = np.frombuffer(data, dtype="<f4", count=size, offset=offset).reshape(shape).astype(np.float32)
        offset += 4 * size
    return params


def read_test_split(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"EPDT":
        sys.exit(f"{path}: not an EPDT test split (magic {data[:4]!r})")
    _, count, height, width, channels = struct.unpack_from("<IIIII", data, 4)
    pixels = count * height * width * channels
    images = np.frombuffer(data, dtype="<f4", count=pixels, offset=24).reshape(count, height, width, channels)
    labels = np.frombuffer(data, dtype=np.uint8, count=count, offset=24 + 4 * pixels)
    return images.astype(np.float32), labels.astype(np.int64)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights")
    parser.add_argument("--test", default=os.path.join(here, "out", "digits-test.bin"))
    args = parser.parse_args()
    params = read_weights(args.weights)
    images, labels = read_test_split(args.test)
    predictions = forward(params, images).argmax(axis=1)
    correct = int((predictions == labels).sum())
    print(f"{args.weights}: test accuracy {correct / len(labels):.4f} ({correct}/{len(labels)})")


if __name__ == "__main__":
    main()
