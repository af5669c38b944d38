#!/usr/bin/env python3
"""Writes the seed corpora in Fuzz/Corpus/<target>/ (make fuzz starts from them).

YAML seeds are the repository's own profiles, suites, architectures, spaces and agent
configuration, plus small hand-written ones; model-file seeds are built here in the container
format of Docs/compressed-model-format.md; latency-request seeds are HTTP/1.1 requests.
Run again after changing a format: `python3 Fuzz/make-seeds.py`.
"""
import os
import shutil
import struct
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")


def put(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as file:
        file.write(data if isinstance(data, bytes) else data.encode())


def copy(target, *paths):
    for path in paths:
        with open(os.path.join(ROOT, path), "rb") as file:
            put(target, os.path.basename(path), file.read())


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def huffman_single_symbol(count, alphabet):
    """A Huffman block of `count` copies of symbol 0: one used symbol, 1-bit codeword 0."""
    lengths = [1] + [0] * (alphabet - 1)
    bits = "".join(format(length, "05b") for length in lengths)
    bits += "0" * (-len(bits) % 8)
    packed = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    return varint(count) + varint(alphabet) + packed + varint(count) + bytes((count + 7) // 8)


def model_file(sections):
    """sections: (name, encoding tag, shape, payload)."""
    table = b""
    for name, tag, shape, payload in sections:
        table += struct.pack("<H", len(name)) + name.encode() + bytes([tag, len(shape)])
        table += b"".join(struct.pack("<I", d) for d in shape) + b"\0" * 16
    header_size = 24
    offset = header_size + len(table)
    table = b""
    payloads = b""
    for name, tag, shape, payload in sections:
        table += struct.pack("<H", len(name)) + name.encode() + bytes([tag, len(shape)])
        table += b"".join(struct.pack("<I", d) for d in shape)
        table += struct.pack("<QQ", offset, len(payload))
        offset += len(payload)
        payloads += payload
    length = header_size + len(table) + len(payloads) + 4
    body = b"\x89EPCM\r\n\x1a" + struct.pack("<HHIQ", 1, 0, len(sections), length) + table + payloads
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    copy("agent-config", "Deploy/agent.example.yaml")
    put("agent-config", "minimal.yaml", "sample_interval: 1s\noutput:\n  stdout: true\n")
    copy("suite", "Profiles/suites/conv-default.yaml", "Profiles/suites/compressed.yaml")
    copy("board-profile", *[f"Profiles/boards/{n}" for n in sorted(os.listdir(os.path.join(ROOT, "Profiles/boards")))])
    copy("architecture-spec", "Profiles/archs/tiny.yaml", "Profiles/archs/mobilenet-v2-96.yaml")
    copy("search-space", "Profiles/spaces/tiny.yaml")
    put("lookup-table", "small.yaml", LOOKUP_TABLE)

    floats = struct.pack("<4f", 0.5, -1.0, 2.0, 0.0)
    int8 = struct.pack("<I2f", 2, 0.1, 0.2) + bytes([1, 255, 127, 129])
    shared = bytes([1]) + struct.pack("<2f", -0.5, 0.5) + huffman_single_symbol(4, 2)
    sparse = bytes([2]) + huffman_single_symbol(2, 4) + struct.pack("<2f", 1.0, -1.0)
    put("model-file", "float32.epcm", model_file([("conv.weight", 0, [2, 2], floats), ("meta", 5, [], b'{"a":1}')]))
    put("model-file", "int8.epcm", model_file([("conv.weight", 1, [2, 2], int8)]))
    put("model-file", "shared.epcm", model_file([("conv.weight", 2, [4], shared)]))
    put("model-file", "sparse.epcm", model_file([("fc.weight", 4, [4], sparse)]))
    # Found by the fuzzer: 1.6 billion implicit zeros (CompressedModelFileTests.sparseSectionBeyondTheElementLimit).
    put("model-file", "regression-sparse-elements.epcm", model_file([("fc.weight", 4, [0x5F000004], REGRESSION_SPARSE)]))

    with open(os.path.join(ROOT, "Profiles/archs/tiny.yaml")) as file:
        tiny = file.read()
    put("latency-request", "health.http", "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
    put("latency-request", "latency.http",
        f"POST /v1/latency?min_time_s=0.1&percentile=90&accuracy=0.7&target_ms=5 HTTP/1.1\r\n"
        f"Content-Length: {len(tiny)}\r\nAuthorization: Bearer x\r\n\r\n{tiny}")
    put("latency-request", "bad-query.http", "POST /v1/latency?seed=-1&constraint=soft HTTP/1.1\r\n\r\nname: x\n")


REGRESSION_SPARSE = bytes.fromhex("02000a390026102a000000000080bf00")

LOOKUP_TABLE = """\
block0 conv 3x3 s2 c3>8 32x32:
  mean: 0.12
  std: 0.01
  p50: 0.11
  min: 0.1
  n: 20
network_overhead: {mean: 0.02, std: 0.001, p50: 0.02, min: 0.019, n: 20}
reference_network: {mean: 1.5, std: 0.1, p50: 1.4, min: 1.3, n: 10}
board: {name: generic, cpus: "2"}
conditions: {threads: "1", governor: performance}
"""

if __name__ == "__main__":
    main()
