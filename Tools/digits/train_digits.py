#!/usr/bin/env python3
"""Train edgeprobe's small digits CNN on scikit-learn's bundled 8x8 digits and export it.

Model (NHWC, explicit zero padding of 1 on every side for both convolutions):
    conv3x3(1 -> 8, stride 1, pad 1) + ReLU      8x8x1  -> 8x8x8
    conv3x3(8 -> 16, stride 2, pad 1) + ReLU     8x8x8  -> 4x4x16
    flatten (NHWC order: index = (y * 4 + x) * 16 + c)
    dense(256 -> 10)                             logits

Forward and backward passes are written by hand in numpy (im2col + matmul), trained with Adam.
Everything is seeded and BLAS runs on one thread, so a rerun writes the same bytes.
The test split is held out before training and never used for it. The binary format of every
output file is described in README.md next to this script.

Usage: python3 train_digits.py [--out OUT_DIR]
"""

import argparse
import hashlib
import json
import os
import struct
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

SEED = 20261123
TEST_FRACTION = 0.25
EPOCHS = 40
BATCH_SIZE = 32
LEARNING_RATE = 2e-3
# Prune-and-retrain schedule (sparsity per weight tensor after each step), as in Deep Compression.
PRUNE_SCHEDULE = [
    {"conv2.weight": 0.3, "dense.weight": 0.5},
    {"conv2.weight": 0.5, "dense.weight": 0.8},
    {"conv2.weight": 0.6, "dense.weight": 0.9},
]
RETRAIN_EPOCHS = 20
RETRAIN_LEARNING_RATE = 3e-3
FORMAT_VERSION = 1

# ---------------------------------------------------------------------------------------------
# Layers (NHWC activations, weights [outC][kh][kw][inC] as the Swift kernels expect)
# ---------------------------------------------------------------------------------------------


def im2col(x, stride):
    """Patches of a 3x3, pad-1 convolution: (N, OH, OW, 3*3*C), patch order (ky, kx, c)."""
    n, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    oh = (h + 2 - 3) // stride + 1
    ow = (w + 2 - 3) // stride + 1
    cols = np.empty((n, oh, ow, 3, 3, c), dtype=x.dtype)
    for ky in range(3):
        for kx in range(3):
            cols[:, :, :, ky, kx, :] = padded[:, ky:ky + stride * oh:stride, kx:kx + stride * ow:stride, :]
    return cols.reshape(n, oh, ow, 9 * c)


def col2im(dcols, x_shape, stride):
    """Adjoint of im2col: scatter-add patch gradients back to the (unpadded) input."""
    n, h, w, c = x_shape
    oh, ow = dcols.shape[1], dcols.shape[2]
    dcols = dcols.reshape(n, oh, ow, 3, 3, c)
    dpadded = np.zeros((n, h + 2, w + 2, c), dtype=dcols.dtype)
    for ky in range(3):
        for kx in range(3):
            dpadded[:, ky:ky + stride * oh:stride, kx:kx + stride * ow:stride, :] += dcols[:, :, :, ky, kx, :]
    return dpadded[:, 1:h + 1, 1:w + 1, :]


def conv_forward(x, weight, bias, stride):
    """weight (outC, 3, 3, inC); returns output and the patches for backward."""
    cols = im2col(x, stride)
    out = cols @ weight.reshape(weight.shape[0], -1).T + bias
    return out, cols


def conv_backward(dout, cols, x_shape, weight, stride):
    out_c = weight.shape[0]
    dflat = dout.reshape(-1, out_c)
    dweight = (dflat.T @ cols.reshape(dflat.shape[0], -1)).reshape(weight.shape)
    dbias = dflat.sum(axis=0)
    dcols = (dflat @ weight.reshape(out_c, -1)).reshape(cols.shape)
    return col2im(dcols, x_shape, stride), dweight, dbias


def init_params(rng):
    def he(shape, fan_in):
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)

    return {
        "conv1.weight": he((8, 3, 3, 1), 9 * 1),
        "conv1.bias": np.zeros(8, np.float32),
        "conv2.weight": he((16, 3, 3, 8), 9 * 8),
        "conv2.bias": np.zeros(16, np.float32),
        "dense.weight": (rng.standard_normal((10, 256)) * np.sqrt(1.0 / 256)).astype(np.float32),
        "dense.bias": np.zeros(10, np.float32),
    }


def forward(params, x, keep=False):
    a1, cols1 = conv_forward(x, params["conv1.weight"], params["conv1.bias"], 1)
    r1 = np.maximum(a1, 0)
    a2, cols2 = conv_forward(r1, params["conv2.weight"], params["conv2.bias"], 2)
    r2 = np.maximum(a2, 0)
    flat = r2.reshape(r2.shape[0], -1)  # NHWC flatten: (y * 4 + x) * 16 + c
    logits = flat @ params["dense.weight"].T + params["dense.bias"]
    if keep:
        return logits, (x, cols1, a1, r1, cols2, a2, r2, flat)
    return logits


def loss_and_grads(params, x, y):
    logits, (x, cols1, a1, r1, cols2, a2, r2, flat) = forward(params, x, keep=True)
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    n = x.shape[0]
    loss = -np.log(probs[np.arange(n), y] + 1e-12).mean()
    dlogits = probs
    dlogits[np.arange(n), y] -= 1
    dlogits /= n
    grads = {
        "dense.weight": dlogits.T @ flat,
        "dense.bias": dlogits.sum(axis=0),
    }
    dr2 = (dlogits @ params["dense.weight"]).reshape(r2.shape) * (a2 > 0)
    dr1, grads["conv2.weight"], grads["conv2.bias"] = conv_backward(dr2, cols2, r1.shape, params["conv2.weight"], 2)
    da1 = dr1 * (a1 > 0)
    _, grads["conv1.weight"], grads["conv1.bias"] = conv_backward(da1, cols1, x.shape, params["conv1.weight"], 1)
    return float(loss), {k: v.astype(np.float32) for k, v in grads.items()}


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


def train(params, x_train, y_train, rng, epochs, learning_rate, masks=None):
    """Adam on mini-batches; with `masks`, pruned weights get no update and stay exactly 0."""
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(x_train))
        total = 0.0
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            loss, grads = loss_and_grads(params, x_train[batch], y_train[batch])
            total += loss * len(batch)
            step += 1
            for name, grad in grads.items():
                m, v = moments[name]
                m[:] = beta1 * m + (1 - beta1) * grad
                v[:] = beta2 * v + (1 - beta2) * grad * grad
                m_hat = m / (1 - beta1 ** step)
                v_hat = v / (1 - beta2 ** step)
                params[name] = (params[name] - learning_rate * m_hat / (np.sqrt(v_hat) + eps)).astype(np.float32)
                if masks is not None and name in masks:
                    params[name] *= masks[name]
        if epoch % 10 == 9 or epoch == epochs - 1:
            print(f"epoch {epoch + 1:3d}  train loss {total / len(order):.4f}", file=sys.stderr)
    return params


def magnitude_mask(weights, sparsity):
    """Keep-mask pruning exactly floor(sparsity * n + 0.5) weights of smallest magnitude, ties
    to the lower index: the same rule as Swift's MagnitudePruning.prune, so re-pruning the
    exported weights in Swift at the same sparsity finds the same mask."""
    flat = np.abs(weights.reshape(-1))
    pruned_count = int(np.floor(sparsity * flat.size + 0.5))
    order = np.argsort(flat, kind="stable")
    mask = np.ones(flat.size, dtype=np.float32)
    mask[order[:pruned_count]] = 0
    return mask.reshape(weights.shape)


def prune_and_retrain(params, x_train, y_train, rng):
    """Deep Compression's first stage: prune by magnitude and retrain, in growing steps."""
    params = {k: v.copy() for k, v in params.items()}
    for step_sparsities in PRUNE_SCHEDULE:
        masks = {name: magnitude_mask(params[name], sparsity) for name, sparsity in step_sparsities.items()}
        for name, mask in masks.items():
            params[name] *= mask
        print(f"pruned to {step_sparsities}, retraining", file=sys.stderr)
        params = train(params, x_train, y_train, rng, RETRAIN_EPOCHS, RETRAIN_LEARNING_RATE, masks)
    return params


# ---------------------------------------------------------------------------------------------
# Export (little-endian; formats in README.md)
# ---------------------------------------------------------------------------------------------


def write_weights(path, params):
    with open(path, "wb") as f:
        f.write(b"EPDW")
        f.write(struct.pack("<II", FORMAT_VERSION, len(params)))
        for name, tensor in params.items():
            encoded = name.encode("utf-8")
            f.write(struct.pack("<H", len(encoded)))
            f.write(encoded)
            f.write(struct.pack("<B", tensor.ndim))
            f.write(struct.pack(f"<{tensor.ndim}I", *tensor.shape))
            f.write(np.ascontiguousarray(tensor, dtype="<f4").tobytes())


def write_test_split(path, images, labels):
    with open(path, "wb") as f:
        f.write(b"EPDT")
        f.write(struct.pack("<IIIII", FORMAT_VERSION, len(images), 8, 8, 1))
        f.write(np.ascontiguousarray(images, dtype="<f4").tobytes())
        f.write(np.ascontiguousarray(labels, dtype=np.uint8).tobytes())


def write_logits(path, logits):
    with open(path, "wb") as f:
        f.write(b"EPDL")
        f.write(struct.pack("<III", FORMAT_VERSION, logits.shape[0], logits.shape[1]))
        f.write(np.ascontiguousarray(logits, dtype="<f4").tobytes())


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[..., np.newaxis]  # (N, 8, 8, 1), 0...1
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=TEST_FRACTION, random_state=SEED % (2**32), stratify=labels)

    rng = np.random.default_rng(SEED)
    params = train(init_params(rng), x_train, y_train, rng, EPOCHS, LEARNING_RATE)
    pruned_params = prune_and_retrain(params, x_train, y_train, rng)

    test_logits = forward(params, x_test).astype(np.float32)
    test_accuracy = float((test_logits.argmax(axis=1) == y_test).mean())
    train_accuracy = float((forward(params, x_train).argmax(axis=1) == y_train).mean())
    pruned_logits = forward(pruned_params, x_test).astype(np.float32)
    pruned_correct = int((pruned_logits.argmax(axis=1) == y_test).sum())

    paths = {
        "weights": os.path.join(args.out, "digits-cnn.weights"),
        "test_split": os.path.join(args.out, "digits-test.bin"),
        "test_logits": os.path.join(args.out, "digits-test-logits.bin"),
        "pruned_weights": os.path.join(args.out, "digits-cnn-pruned.weights"),
        "pruned_test_logits": os.path.join(args.out, "digits-test-logits-pruned.bin"),
    }
    write_weights(paths["weights"], params)
    write_test_split(paths["test_split"], x_test, y_test)
    write_logits(paths["test_logits"], test_logits)
    write_weights(paths["pruned_weights"], pruned_params)
    write_logits(paths["pruned_test_logits"], pruned_logits)

    report = {
        "format_version": FORMAT_VERSION,
        "seed": SEED,
        "numpy_version": np.__version__,
        "scikit_learn_version": sklearn.__version__,
        "train_count": int(len(x_train)),
        "test_count": int(len(x_test)),
        "epochs": EPOCHS,
        "train_accuracy": round(train_accuracy, 6),
        "test_accuracy": round(test_accuracy, 6),
        "test_correct": int((test_logits.argmax(axis=1) == y_test).sum()),
        "pruned": {
            "schedule": PRUNE_SCHEDULE,
            "retrain_epochs_per_step": RETRAIN_EPOCHS,
            "sparsity": {name: round(float((pruned_params[name] == 0).mean()), 6) for name in PRUNE_SCHEDULE[-1]},
            "test_accuracy": round(pruned_correct / len(x_test), 6),
            "test_correct": pruned_correct,
        },
        "sha256": {key: sha256(path) for key, path in paths.items()},
    }
    with open(os.path.join(args.out, "digits-report.json"), "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"test accuracy {test_accuracy:.4f} ({report['test_correct']}/{len(x_test)}), "
          f"train accuracy {train_accuracy:.4f}; pruned and retrained: test accuracy "
          f"{pruned_correct / len(x_test):.4f} ({pruned_correct}/{len(x_test)})", file=sys.stderr)


if __name__ == "__main__":
    main()
