#!/usr/bin/env python3
"""End-to-end float32 latency of edgeprobe's MobileNet-style model (96x96, 16 convolutions) next to
ONNX Runtime running the same architecture, measured in the same run on this machine.

The architecture mirrors `MobileNetStyleModel.definition` (Sources/Models/MobileNetStyleModel.swift):
stem conv3x3/2 3->16, seven depthwise-separable blocks (dw 3x3 + pw 1x1, ReLU6; strides 1,2,1,2,1,2,1;
outputs 32,64,64,128,128,256,256), a 6x6 valid convolution to 10 logits; TensorFlow SAME padding.
Weights are random (latency does not depend on their values). Both run batch 1 on one thread.

Usage: Benchmarks/.venv/bin/python Benchmarks/peers/mobilenet_model.py PATH/TO/edgeprobe [--min-time 2]
Prints one JSON line with both medians and their ratio.
"""
import argparse
import json
import statistics
import subprocess
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper


def same_padding(size, kernel, stride):
    output = (size + stride - 1) // stride
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def build_model():
    """The ONNX graph of the MobileNet-style model, NCHW, with seeded random weights."""
    rng = np.random.default_rng(1)
    nodes, initializers = [], []
    state = {"name": "x", "size": 96, "channels": 3, "index": 0}

    def conv(outputs, kernel, stride, groups, activation, valid=False):
        index = state["index"]
        size, channels = state["size"], state["channels"]
        top, bottom = (0, 0) if valid or kernel == 1 else same_padding(size, kernel, stride)
        weights = rng.uniform(-0.1, 0.1, (outputs, channels // groups, kernel, kernel)).astype(np.float32)
        bias = rng.uniform(-0.1, 0.1, (outputs,)).astype(np.float32)
        initializers.append(numpy_helper.from_array(weights, f"w{index}"))
        initializers.append(numpy_helper.from_array(bias, f"b{index}"))
        out = f"conv{index}"
        nodes.append(helper.make_node("Conv", [state["name"], f"w{index}", f"b{index}"], [out],
                                      kernel_shape=[kernel, kernel], strides=[stride, stride],
                                      pads=[top, top, bottom, bottom], group=groups))
        if activation:
            nodes.append(helper.make_node("Clip", [out, "zero", "six"], [f"act{index}"]))
            out = f"act{index}"
        state.update(name=out, size=(size + top + bottom - kernel) // stride + 1, channels=outputs, index=index + 1)

    initializers.append(numpy_helper.from_array(np.array(0, dtype=np.float32), "zero"))
    initializers.append(numpy_helper.from_array(np.array(6, dtype=np.float32), "six"))
    conv(16, 3, 2, 1, True)
    for outputs, stride in [(32, 1), (64, 2), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1)]:
        conv(state["channels"], 3, stride, state["channels"], True)
        conv(outputs, 1, 1, 1, True)
    conv(10, state["size"], 1, 1, False, valid=True)
    graph = helper.make_graph(nodes, "mobilenet-style-96",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 96, 96])],
                              [helper.make_tensor_value_info(state["name"], TensorProto.FLOAT, [1, 10, 1, 1])],
                              initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def time_onnxruntime(model, min_time):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(2).uniform(-1, 1, (1, 3, 96, 96)).astype(np.float32)
    for _ in range(20):
        session.run(None, {"x": x})
    latencies, start = [], time.perf_counter()
    while len(latencies) < 50 or time.perf_counter() - start < min_time:
        begin = time.perf_counter_ns()
        session.run(None, {"x": x})
        latencies.append((time.perf_counter_ns() - begin) / 1e3)
    return statistics.median(latencies), len(latencies)


def time_edgeprobe(binary, min_time):
    result = subprocess.run([binary, "compress", "--model", "mobilenet", "--min-time", f"{min_time}s"],
                            capture_output=True, text=True, check=True)
    original = next(json.loads(line) for line in result.stdout.splitlines()
                    if json.loads(line).get("variant") == "original")
    return original["latency_us"]["p50"], original["latency_us"]["n"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edgeprobe")
    parser.add_argument("--min-time", type=float, default=2.0)
    args = parser.parse_args()
    model = build_model()
    onnx.checker.check_model(model)
    ort_p50, ort_n = time_onnxruntime(model, args.min_time)
    edgeprobe_p50, edgeprobe_n = time_edgeprobe(args.edgeprobe, args.min_time)
    ort_again, _ = time_onnxruntime(model, args.min_time)
    print(json.dumps({
        "type": "model_peer", "model": "mobilenet-style-96", "threads": 1,
        "edgeprobe_p50_us": round(edgeprobe_p50, 1), "edgeprobe_n": edgeprobe_n,
        "onnxruntime_p50_us": round(ort_p50, 1), "onnxruntime_p50_us_after": round(ort_again, 1), "onnxruntime_n": ort_n,
        "onnxruntime_version": ort.__version__,
        "ratio_edgeprobe_over_onnxruntime": round(edgeprobe_p50 / min(ort_p50, ort_again), 3),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
