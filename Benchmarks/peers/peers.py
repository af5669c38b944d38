#!/usr/bin/env python3
"""Measure the conv suite's layers in ONNX Runtime and LiteRT (XNNPACK) on this machine.

Every layer of a suite file (Profiles/suites/*.yaml) is built as a one-layer model in each peer
(same shapes, float32, batch 1, the layer's activation fused, TensorFlow SAME padding), then timed:
warm-up, then iterations until both a minimum count and a minimum time are met; the median is
reported. Output: one JSON line per (peer, layer, threads) on stdout, type "peer".

The peers are never edgeprobe dependencies: run.sh installs them into Benchmarks/.venv.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import yaml


# MARK: - Suite

def load_layers(path):
    """The suite's layers with defaults filled in (see the comment block of conv-default.yaml)."""
    with open(path) as handle:
        suite = yaml.safe_load(handle)
    layers = []
    for entry in suite["layers"]:
        op = entry["op"]
        cin, h, w = entry["cin"], entry["h"], entry["w"]
        layer = {
            "name": entry["name"], "op": op, "cin": cin, "h": h, "w": w,
            "cout": entry.get("cout", cin),
            "k": entry.get("k", 1 if op == "pointwise" else 3),
            "stride": entry.get("stride", 1),
            "padding": entry.get("padding", "same"),
            "groups": entry.get("groups", cin if op == "depthwise" else 1),
            "activation": entry.get("activation", "relu6"),
        }
        layers.append(layer)
    return layers


def same_padding(size, kernel, stride):
    """TensorFlow SAME: output ceil(size / stride), the odd extra pixel at the end."""
    output = (size + stride - 1) // stride
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def explicit_padding(layer):
    """(top, left, bottom, right) for the layer's padding field."""
    padding = layer["padding"]
    if padding == "same":
        top, bottom = same_padding(layer["h"], layer["k"], layer["stride"])
        left, right = same_padding(layer["w"], layer["k"], layer["stride"])
        return top, left, bottom, right
    if padding == "valid":
        return 0, 0, 0, 0
    return (int(padding),) * 4


def stages(layer):
    """The layer as a list of convolutions (cin, cout, k, stride, groups); separable is two."""
    if layer["op"] == "separable":
        return [(layer["cin"], layer["cin"], layer["k"], layer["stride"], layer["cin"]),
                (layer["cin"], layer["cout"], 1, 1, 1)]
    return [(layer["cin"], layer["cout"], layer["k"], layer["stride"], layer["groups"])]


def weights_for(layer, seed=1):
    """Per stage: weights in OHWI (edgeprobe/TFLite layout) and bias, reproducible."""
    generator = np.random.default_rng(seed)
    result = []
    for cin, cout, k, _, groups in stages(layer):
        scale = 1.0 / np.sqrt(k * k * cin // groups)
        weights = generator.uniform(-scale, scale, size=(cout, k, k, cin // groups)).astype(np.float32)
        bias = generator.uniform(-0.1, 0.1, size=(cout,)).astype(np.float32)
        result.append((weights, bias))
    return result


# MARK: - Timing

def median_latency_us(run, min_iterations, min_time_s, warmup=10):
    for _ in range(warmup):
        run()
    samples = []
    start = time.perf_counter()
    while len(samples) < min_iterations or time.perf_counter() - start < min_time_s:
        t0 = time.perf_counter_ns()
        run()
        samples.append((time.perf_counter_ns() - t0) / 1000.0)
    return statistics.median(samples), min(samples), len(samples)


# MARK: - ONNX Runtime (NCHW: its CPU Conv is NCHW; the optimizer may re-layout to NCHWc)

def onnx_model(layer):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    top, left, bottom, right = explicit_padding(layer)
    nodes, initializers = [], []
    current = "x"
    for index, ((cin, cout, k, stride, groups), (weights, bias)) in enumerate(zip(stages(layer), weights_for(layer))):
        pads = [top, left, bottom, right] if k > 1 else [0, 0, 0, 0]
        w_name, b_name, out = f"w{index}", f"b{index}", f"conv{index}"
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(weights.transpose(0, 3, 1, 2)), w_name))
        initializers.append(numpy_helper.from_array(bias, b_name))
        nodes.append(helper.make_node("Conv", [current, w_name, b_name], [out], kernel_shape=[k, k],
                                      strides=[stride, stride], pads=[pads[0], pads[1], pads[2], pads[3]],
                                      group=groups))
        current = out
        if layer["activation"] != "none":
            low, high = f"low{index}", f"high{index}"
            initializers.append(numpy_helper.from_array(np.array(0, dtype=np.float32), low))
            if layer["activation"] == "relu6":
                initializers.append(numpy_helper.from_array(np.array(6, dtype=np.float32), high))
                nodes.append(helper.make_node("Clip", [current, low, high], [f"act{index}"]))
            else:
                nodes.append(helper.make_node("Relu", [current], [f"act{index}"]))
            current = f"act{index}"
    nodes[-1].output[0] = "y"
    out_h = (layer["h"] + top + bottom - layer["k"]) // layer["stride"] + 1
    out_w = (layer["w"] + left + right - layer["k"]) // layer["stride"] + 1
    graph = helper.make_graph(
        nodes, layer["name"],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, layer["cin"], layer["h"], layer["w"]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, layer["cout"], out_h, out_w])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def measure_onnxruntime(layer, threads, args):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(onnx_model(layer), options, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(2).uniform(-1, 1, (1, layer["cin"], layer["h"], layer["w"])).astype(np.float32)
    binding = session.io_binding()
    binding.bind_cpu_input("x", x)
    binding.bind_output("y")
    session.run_with_iobinding(binding)
    output = binding.get_outputs()[0]
    binding.bind_ortvalue_output("y", output)
    return median_latency_us(lambda: session.run_with_iobinding(binding), args.min_iterations, args.min_time), ort.__version__


# MARK: - LiteRT (NHWC, XNNPACK delegate applied by default for float32 models)

def tflite_model(layer):
    from ai_edge_litert import schema_py_generated as schema
    import flatbuffers
    activation = {"none": schema.ActivationFunctionType.NONE, "relu": schema.ActivationFunctionType.RELU,
                  "relu6": schema.ActivationFunctionType.RELU6}[layer["activation"]]
    padding = {"same": schema.Padding.SAME, "valid": schema.Padding.VALID}.get(layer["padding"])
    if padding is None:
        raise ValueError(f"{layer['name']}: LiteRT supports only same/valid padding")
    buffers = [schema.BufferT()]
    tensors = []

    def tensor(name, shape, data=None):
        buffer = 0
        if data is not None:
            entry = schema.BufferT()
            entry.data = np.frombuffer(data.tobytes(), dtype=np.uint8)
            buffers.append(entry)
            buffer = len(buffers) - 1
        t = schema.TensorT()
        t.name, t.shape, t.type, t.buffer = name, list(shape), schema.TensorType.FLOAT32, buffer
        tensors.append(t)
        return len(tensors) - 1

    codes = []

    def opcode(builtin):
        if builtin not in codes:
            codes.append(builtin)
        return codes.index(builtin)

    current = tensor("x", [1, layer["h"], layer["w"], layer["cin"]])
    h, w = layer["h"], layer["w"]
    operators = []
    for index, ((cin, cout, k, stride, groups), (weights, bias)) in enumerate(zip(stages(layer), weights_for(layer))):
        h, w = (h + stride - 1) // stride, (w + stride - 1) // stride
        if padding == schema.Padding.VALID:
            raise ValueError("valid padding not wired up")
        op = schema.OperatorT()
        if groups == 1:
            options = schema.Conv2DOptionsT()
            options.padding, options.strideH, options.strideW = padding, stride, stride
            options.fusedActivationFunction = activation
            filter_index = tensor(f"w{index}", weights.shape, weights)
            op.opcodeIndex = opcode(schema.BuiltinOperator.CONV_2D)
            op.builtinOptionsType = schema.BuiltinOptions.Conv2DOptions
        elif groups == cin and cout == cin:
            options = schema.DepthwiseConv2DOptionsT()
            options.padding, options.strideH, options.strideW = padding, stride, stride
            options.depthMultiplier = 1
            options.fusedActivationFunction = activation
            depthwise = np.ascontiguousarray(weights.reshape(cout, k, k).transpose(1, 2, 0)).reshape(1, k, k, cout)
            filter_index = tensor(f"w{index}", depthwise.shape, depthwise)
            op.opcodeIndex = opcode(schema.BuiltinOperator.DEPTHWISE_CONV_2D)
            op.builtinOptionsType = schema.BuiltinOptions.DepthwiseConv2DOptions
        else:
            raise ValueError(f"{layer['name']}: grouped conv not supported in this LiteRT builder")
        op.builtinOptions = options
        bias_index = tensor(f"b{index}", bias.shape, bias)
        out = tensor(f"y{index}", [1, h, w, cout])
        op.inputs, op.outputs = [current, filter_index, bias_index], [out]
        operators.append(op)
        current = out
    subgraph = schema.SubGraphT()
    subgraph.tensors, subgraph.inputs, subgraph.outputs, subgraph.operators = tensors, [0], [current], operators
    model = schema.ModelT()
    model.version = 3
    model.operatorCodes = []
    for builtin in codes:
        code = schema.OperatorCodeT()
        code.builtinCode, code.deprecatedBuiltinCode, code.version = builtin, builtin, 1
        model.operatorCodes.append(code)
    model.subgraphs, model.buffers, model.description = [subgraph], buffers, "edgeprobe peer"
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def measure_litert(layer, threads, args):
    from ai_edge_litert.interpreter import Interpreter
    import importlib.metadata
    interpreter = Interpreter(model_content=tflite_model(layer), num_threads=threads)
    interpreter.allocate_tensors()
    x = np.random.default_rng(2).uniform(-1, 1, (1, layer["h"], layer["w"], layer["cin"])).astype(np.float32)
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    return median_latency_us(interpreter.invoke, args.min_iterations, args.min_time), \
        importlib.metadata.version("ai-edge-litert")


# MARK: - Cross-check

def outputs_agree(layer):
    """Both peers compute the same function of the same weights (NCHW vs NHWC), within 1e-3."""
    import onnxruntime as ort
    from ai_edge_litert.interpreter import Interpreter
    x = np.random.default_rng(3).uniform(-1, 1, (1, layer["h"], layer["w"], layer["cin"])).astype(np.float32)
    session = ort.InferenceSession(onnx_model(layer), providers=["CPUExecutionProvider"])
    onnx_out = session.run(None, {"x": np.ascontiguousarray(x.transpose(0, 3, 1, 2))})[0].transpose(0, 2, 3, 1)
    interpreter = Interpreter(model_content=tflite_model(layer), num_threads=1)
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    interpreter.invoke()
    lite_out = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    return onnx_out.shape == lite_out.shape and float(np.max(np.abs(onnx_out - lite_out))) < 1e-3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="Profiles/suites/conv-default.yaml")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--peers", default="onnxruntime,litert")
    parser.add_argument("--min-iterations", type=int, default=20)
    parser.add_argument("--min-time", type=float, default=1.0, help="seconds per measurement")
    parser.add_argument("--only", default="", help="substring of layer names to run")
    parser.add_argument("--check", action="store_true", help="first check both peers compute the same outputs")
    args = parser.parse_args()
    measures = {"onnxruntime": measure_onnxruntime, "litert": measure_litert}
    layers = [layer for layer in load_layers(args.suite) if args.only in layer["name"]]
    if args.check:
        for layer in layers:
            if not outputs_agree(layer):
                sys.exit(f"peers disagree on {layer['name']}")
        print(f"peers agree on {len(layers)} layers", file=sys.stderr)
    for threads in [int(t) for t in args.threads.split(",")]:
        # Pin like edgeprobe's pool: threads on CPUs 0..threads-1 (workers inherit the mask).
        cpus = set(range(min(threads, os.cpu_count() or 1)))
        os.sched_setaffinity(0, cpus)
        for layer in layers:
            for peer in args.peers.split(","):
                (p50, minimum, n), version = measures[peer](layer, threads, args)
                print(json.dumps({"type": "peer", "peer": peer, "version": version, "name": layer["name"],
                                  "op": layer["op"], "threads": threads, "cpus": sorted(cpus), "n": n,
                                  "latency_us": {"p50": round(p50, 2), "min": round(minimum, 2)}},
                                 sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
