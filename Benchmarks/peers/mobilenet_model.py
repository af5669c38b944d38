#!/usr/bin/env python3
"""End-to-end latency of edgeprobe's MobileNet model next to ONNX Runtime and LiteRT running the
same architecture, measured in the same run on this machine.

The architecture is read from the same spec edgeprobe builds its model from
(Profiles/archs/mobilenet-v2-96.yaml, format in Docs/nas.md) and planned with the same rules as
`ArchitecturePlan`: TensorFlow SAME padding; inverted residual = expand 1x1 (ReLU6, only when
expand > 1), depthwise kxk (ReLU6), project 1x1 (linear), plus the input where stride is 1 and
the channels match (skip: auto); separable = depthwise (ReLU6), pointwise (ReLU6); head = 1x1
conv (ReLU6), global average pool, fully connected (a 1x1 conv). Weights are random (latency does
not depend on their values); both peers get the same ones (--check compares their outputs).

Every engine runs the architecture --arch names: edgeprobe through `edgeprobe latency --arch FILE
--engine both` (its kernels and XNNPACK's, interleaved in one process), whose record must show the
same layer count, MACs and parameters as this script's plan, or the run stops.

Figures, per thread count, all from one run and interleaved over --rounds:
  fp32: edgeprobe (`latency --engine both`: edgeprobe's kernels and XNNPACK's), ONNX Runtime,
        LiteRT (XNNPACK delegate)
  int8: edgeprobe (`compress --model mobilenet`, variant `int8`: only for the architecture that
        command builds, Profiles/archs/mobilenet-v2-96.yaml; null otherwise), ONNX Runtime on the
        same graph quantized statically (QDQ, per-channel weights, uint8 activations calibrated
        on random inputs)

Usage: Benchmarks/.venv/bin/python Benchmarks/peers/mobilenet_model.py PATH/TO/edgeprobe
           [--threads 1,2] [--min-time 2] [--rounds 1] [--arch Profiles/archs/mobilenet-v2-96.yaml] [--check]
Prints one JSON line (type "model_peer") per thread count with every median and the ratios.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import yaml

from peers import median_latency_us, same_padding


# MARK: - Architecture

def plan(path):
    """The spec's convolutions and wiring: a list of steps, each ("conv", conv) or
    ("block", [conv...], skip) or ("pool",), where conv = dict(cin, cout, k, stride, groups, relu6, size)."""
    with open(path) as handle:
        spec = yaml.safe_load(handle)
    size, channels = spec["resolution"], spec.get("channels", 3)
    steps = []

    def conv(cin, cout, k, stride, groups, relu6):
        nonlocal size
        entry = dict(cin=cin, cout=cout, k=k, stride=stride, groups=groups, relu6=relu6, size=size)
        size = (size + stride - 1) // stride
        return entry

    stem = spec["stem"]
    steps.append(("conv", conv(channels, stem["cout"], stem["kernel"], stem["stride"], 1, True)))
    channels = stem["cout"]
    for block in spec["blocks"]:
        kind, expand = block["type"], block.get("expand", 1)
        for repeat in range(block.get("repeats", 1)):
            stride = block["stride"] if repeat == 0 else 1
            skip = kind == "inverted_residual" and block.get("skip", "auto") != "never" \
                and stride == 1 and channels == block["cout"]
            convs = []
            hidden = channels
            if kind == "inverted_residual" and expand != 1:
                hidden = channels * expand
                convs.append(conv(channels, hidden, 1, 1, 1, True))
            convs.append(conv(hidden, hidden, block["kernel"], stride, hidden, True))
            convs.append(conv(hidden, block["cout"], 1, 1, 1, kind != "inverted_residual"))
            steps.append(("block", convs, skip))
            channels = block["cout"]
    head = spec["head"]
    if head.get("cout"):
        steps.append(("conv", conv(channels, head["cout"], 1, 1, 1, True)))
        channels = head["cout"]
    steps.append(("pool", size, channels))
    size = 1
    steps.append(("conv", conv(channels, head["classes"], 1, 1, 1, False)))
    return spec["name"], spec["resolution"], spec.get("channels", 3), steps


def size(steps):
    """(layers, MACs, parameters) counted as edgeprobe's ArchitecturePlan counts them: one layer per
    stem, block, head conv, pool and classifier; a convolution's MACs are output pixels x cout x
    k x k x cin / groups, a skip adds one per output element, the pool one per input element."""
    layers, macs, params = 0, 0, 0

    def conv(c):
        out = (c["size"] + c["stride"] - 1) // c["stride"]
        per_group = c["cin"] // c["groups"]
        return out * out * c["cout"] * c["k"] * c["k"] * per_group, c["cout"] * (c["k"] * c["k"] * per_group + 1), out

    for step in steps:
        layers += 1
        if step[0] == "pool":
            macs += step[1] * step[1] * step[2]
            continue
        for c in [step[1]] if step[0] == "conv" else step[1]:
            conv_macs, conv_params, out = conv(c)
            macs, params = macs + conv_macs, params + conv_params
        if step[0] == "block" and step[2]:
            macs += out * out * step[1][-1]["cout"]
    return layers, macs, params


def weights(steps, seed=1):
    """Per convolution, in order: OHWI weights (He-uniform) and bias."""
    generator = np.random.default_rng(seed)
    result = []
    for step in steps:
        for c in ([step[1]] if step[0] == "conv" else step[1] if step[0] == "block" else []):
            fan_in = c["k"] * c["k"] * c["cin"] // c["groups"]
            bound = np.sqrt(6.0 / fan_in)
            w = generator.uniform(-bound, bound, (c["cout"], c["k"], c["k"], c["cin"] // c["groups"])).astype(np.float32)
            b = generator.uniform(-0.1, 0.1, (c["cout"],)).astype(np.float32)
            result.append((w, b))
    return result


# MARK: - ONNX (NCHW)

def onnx_model(name, resolution, channels, steps):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes, initializers = [], []
    parameters = iter(weights(steps))
    initializers.append(numpy_helper.from_array(np.array(0, dtype=np.float32), "zero"))
    initializers.append(numpy_helper.from_array(np.array(6, dtype=np.float32), "six"))
    counter = [0]

    def conv(current, c):
        index = counter[0]
        counter[0] += 1
        w, b = next(parameters)
        top, bottom = same_padding(c["size"], c["k"], c["stride"])
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(w.transpose(0, 3, 1, 2)), f"w{index}"))
        initializers.append(numpy_helper.from_array(b, f"b{index}"))
        nodes.append(helper.make_node("Conv", [current, f"w{index}", f"b{index}"], [f"conv{index}"],
                                      kernel_shape=[c["k"], c["k"]], strides=[c["stride"]] * 2,
                                      pads=[top, top, bottom, bottom], group=c["groups"]))
        if not c["relu6"]:
            return f"conv{index}"
        nodes.append(helper.make_node("Clip", [f"conv{index}", "zero", "six"], [f"act{index}"]))
        return f"act{index}"

    current = "x"
    for step in steps:
        if step[0] == "conv":
            current = conv(current, step[1])
        elif step[0] == "block":
            block_input = current
            for c in step[1]:
                current = conv(current, c)
            if step[2]:
                nodes.append(helper.make_node("Add", [current, block_input], [f"add{counter[0]}"]))
                current = f"add{counter[0]}"
        else:
            nodes.append(helper.make_node("GlobalAveragePool", [current], ["pooled"]))
            current = "pooled"
    nodes[-1].output[0] = "y"
    classes = steps[-1][1]["cout"]
    graph = helper.make_graph(nodes, name,
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, channels, resolution, resolution])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, classes, 1, 1])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def quantized_onnx(model, resolution, channels):
    """ONNX Runtime's static int8: QDQ, per-channel int8 weights, uint8 activations (min-max on 3 random inputs)."""
    import onnx
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class Inputs(CalibrationDataReader):
        def __init__(self):
            generator = np.random.default_rng(4)
            self.items = iter([{"x": generator.uniform(-1, 1, (1, channels, resolution, resolution)).astype(np.float32)}
                               for _ in range(3)])

        def get_next(self):
            return next(self.items, None)

    with tempfile.TemporaryDirectory() as directory:
        source, target = os.path.join(directory, "fp32.onnx"), os.path.join(directory, "int8.onnx")
        onnx.save(model, source)
        quantize_static(source, target, Inputs(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        with open(target, "rb") as handle:
            return handle.read()


def onnxruntime_session(model_bytes, threads):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def time_onnxruntime(model_bytes, threads, resolution, channels, args):
    session = onnxruntime_session(model_bytes, threads)
    x = np.random.default_rng(2).uniform(-1, 1, (1, channels, resolution, resolution)).astype(np.float32)
    binding = session.io_binding()
    binding.bind_cpu_input("x", x)
    binding.bind_output("y")
    session.run_with_iobinding(binding)
    binding.bind_ortvalue_output("y", binding.get_outputs()[0])
    return median_latency_us(lambda: session.run_with_iobinding(binding), 50, args.min_time, warmup=20)[0]


# MARK: - LiteRT (NHWC, XNNPACK)

def tflite_model(name, resolution, channels, steps):
    from ai_edge_litert import schema_py_generated as schema
    import flatbuffers
    buffers, tensors, codes, operators = [schema.BufferT()], [], [], []
    parameters = iter(weights(steps))

    def tensor(tensor_name, shape, data=None):
        buffer = 0
        if data is not None:
            entry = schema.BufferT()
            entry.data = np.frombuffer(data.tobytes(), dtype=np.uint8)
            buffers.append(entry)
            buffer = len(buffers) - 1
        t = schema.TensorT()
        t.name, t.shape, t.type, t.buffer = tensor_name, list(shape), schema.TensorType.FLOAT32, buffer
        tensors.append(t)
        return len(tensors) - 1

    def operator(builtin, options_type, options, inputs, output):
        if builtin not in codes:
            codes.append(builtin)
        op = schema.OperatorT()
        op.opcodeIndex, op.builtinOptionsType, op.builtinOptions = codes.index(builtin), options_type, options
        op.inputs, op.outputs = inputs, [output]
        operators.append(op)
        return output

    def conv(current, c):
        index = len(operators)
        w, b = next(parameters)
        activation = schema.ActivationFunctionType.RELU6 if c["relu6"] else schema.ActivationFunctionType.NONE
        size = (c["size"] + c["stride"] - 1) // c["stride"]
        out = tensor(f"y{index}", [1, size, size, c["cout"]])
        bias = tensor(f"b{index}", b.shape, b)
        if c["groups"] == 1:
            options = schema.Conv2DOptionsT()
            options.padding, options.strideH, options.strideW = schema.Padding.SAME, c["stride"], c["stride"]
            options.fusedActivationFunction = activation
            return operator(schema.BuiltinOperator.CONV_2D, schema.BuiltinOptions.Conv2DOptions, options,
                            [current, tensor(f"w{index}", w.shape, w), bias], out)
        options = schema.DepthwiseConv2DOptionsT()
        options.padding, options.strideH, options.strideW = schema.Padding.SAME, c["stride"], c["stride"]
        options.depthMultiplier, options.fusedActivationFunction = 1, activation
        k, cout = c["k"], c["cout"]
        depthwise = np.ascontiguousarray(w.reshape(cout, k, k).transpose(1, 2, 0)).reshape(1, k, k, cout)
        return operator(schema.BuiltinOperator.DEPTHWISE_CONV_2D, schema.BuiltinOptions.DepthwiseConv2DOptions, options,
                        [current, tensor(f"w{index}", depthwise.shape, depthwise), bias], out)

    current = tensor("x", [1, resolution, resolution, channels])
    for step in steps:
        if step[0] == "conv":
            current = conv(current, step[1])
        elif step[0] == "block":
            block_input = current
            for c in step[1]:
                current = conv(current, c)
            if step[2]:
                options = schema.AddOptionsT()
                out = tensor(f"add{len(operators)}", tensors[current].shape)
                current = operator(schema.BuiltinOperator.ADD, schema.BuiltinOptions.AddOptions, options,
                                   [current, block_input], out)
        else:
            _, size, pooled_channels = step
            options = schema.Pool2DOptionsT()
            options.padding, options.strideH, options.strideW = schema.Padding.VALID, 1, 1
            options.filterHeight, options.filterWidth = size, size
            current = operator(schema.BuiltinOperator.AVERAGE_POOL_2D, schema.BuiltinOptions.Pool2DOptions, options,
                               [current], tensor("pooled", [1, 1, 1, pooled_channels]))
    subgraph = schema.SubGraphT()
    subgraph.tensors, subgraph.inputs, subgraph.outputs, subgraph.operators = tensors, [0], [current], operators
    model = schema.ModelT()
    model.version, model.operatorCodes = 3, []
    for builtin in codes:
        code = schema.OperatorCodeT()
        code.builtinCode, code.deprecatedBuiltinCode, code.version = builtin, builtin, 1
        model.operatorCodes.append(code)
    model.subgraphs, model.buffers, model.description = [subgraph], buffers, name
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def litert_interpreter(model_bytes, threads):
    from ai_edge_litert.interpreter import Interpreter
    interpreter = Interpreter(model_content=model_bytes, num_threads=threads)
    interpreter.allocate_tensors()
    return interpreter


def time_litert(model_bytes, threads, resolution, channels, args):
    interpreter = litert_interpreter(model_bytes, threads)
    x = np.random.default_rng(2).uniform(-1, 1, (1, resolution, resolution, channels)).astype(np.float32)
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    return median_latency_us(interpreter.invoke, 50, args.min_time, warmup=20)[0]


# MARK: - edgeprobe

def time_edgeprobe(binary, threads, args):
    """p50 of the `original` (fp32) and `int8` variants of `compress --model mobilenet`."""
    result = subprocess.run([binary, "compress", "--model", "mobilenet", "--threads", str(threads),
                             "--min-time", f"{args.min_time}s"], capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_variant = {r["variant"]: r["latency_us"]["p50"] for r in records if r.get("type") == "compression"}
    return by_variant["original"], by_variant["int8"]


def time_edgeprobe_latency(binary, arch, threads, min_time, engine, expected):
    """{engine: p50 µs} from `edgeprobe latency --arch ARCH --engine ENGINE` (edgeprobe, xnnpack
    or both). `expected` = (layers, MACs, params) of this script's plan: the run stops when
    edgeprobe built something else."""
    result = subprocess.run([binary, "latency", "--arch", arch, "--engine", engine, "--threads", str(threads),
                             "--min-time", f"{min_time}s"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{binary} latency --arch {arch} --engine {engine}: exit {result.returncode}: {result.stderr.strip()}")
    figures = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if record.get("type") != "latency":
            continue
        built = (len(record["blocks"]), record["macs"], record["params"])
        if built != tuple(expected):
            sys.exit(f"{arch}: edgeprobe built {built[0]} layers, {built[1]} MACs, {built[2]} params; "
                     f"the peers' plan has {expected[0]}, {expected[1]}, {expected[2]}")
        figures[record["engine"]] = record["latency_us"]["p50"]
    return figures


def is_compress_model(arch):
    """Whether `arch` is the architecture `compress --model mobilenet` builds."""
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Profiles/archs/mobilenet-v2-96.yaml")
    return os.path.exists(arch) and os.path.samefile(arch, default)


# MARK: - Main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edgeprobe")
    parser.add_argument("--arch", default="Profiles/archs/mobilenet-v2-96.yaml")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--min-time", type=float, default=2.0, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; figures are medians over rounds")
    parser.add_argument("--check", action="store_true", help="first check ONNX Runtime and LiteRT compute the same outputs")
    args = parser.parse_args()
    import onnxruntime as ort
    import importlib.metadata
    name, resolution, channels, steps = plan(args.arch)
    fp32_onnx = onnx_model(name, resolution, channels, steps)
    onnx_bytes = fp32_onnx.SerializeToString()
    int8_onnx = quantized_onnx(fp32_onnx, resolution, channels)
    lite_bytes = tflite_model(name, resolution, channels, steps)
    if args.check:
        x = np.random.default_rng(3).uniform(-1, 1, (1, resolution, resolution, channels)).astype(np.float32)
        onnx_out = onnxruntime_session(onnx_bytes, 1).run(None, {"x": np.ascontiguousarray(x.transpose(0, 3, 1, 2))})[0]
        interpreter = litert_interpreter(lite_bytes, 1)
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        lite_out = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        difference = float(np.max(np.abs(onnx_out.reshape(-1) - lite_out.reshape(-1))))
        if difference > 1e-3 * max(1.0, float(np.max(np.abs(onnx_out)))):
            sys.exit(f"peers disagree: max abs difference {difference}")
        print(f"peers agree (max abs difference {difference:.2e})", file=sys.stderr)
    expected = size(steps)
    with_int8 = is_compress_model(args.arch)
    print(f"{name}: {expected[0]} layers, {expected[1]} MACs, {expected[2]} params", file=sys.stderr)
    for threads in [int(t) for t in args.threads.split(",")]:
        os.sched_setaffinity(0, set(range(min(threads, os.cpu_count() or 1))))
        keys = ["edgeprobe_fp32", "xnnpack_fp32", "onnxruntime_fp32", "onnxruntime_int8", "litert_fp32"]
        figures = {key: [] for key in keys + (["edgeprobe_int8"] if with_int8 else [])}
        for _ in range(args.rounds):
            figures["onnxruntime_fp32"].append(time_onnxruntime(onnx_bytes, threads, resolution, channels, args))
            figures["litert_fp32"].append(time_litert(lite_bytes, threads, resolution, channels, args))
            both = time_edgeprobe_latency(args.edgeprobe, args.arch, threads, args.min_time, "both", expected)
            figures["edgeprobe_fp32"].append(both["edgeprobe"])
            figures["xnnpack_fp32"].append(both["xnnpack"])
            if with_int8:
                figures["edgeprobe_int8"].append(time_edgeprobe(args.edgeprobe, threads, args)[1])
            figures["onnxruntime_int8"].append(time_onnxruntime(int8_onnx, threads, resolution, channels, args))
        p50 = {key: statistics.median(values) for key, values in figures.items()}
        best_peer = min(p50["onnxruntime_fp32"], p50["litert_fp32"])
        record = {
            "type": "model_peer", "model": name, "arch": args.arch, "threads": threads, "rounds": args.rounds,
            "layers": expected[0], "macs": expected[1], "params": expected[2],
            **{f"{key}_p50_us": round(value, 1) for key, value in p50.items()},
            "ratio_edgeprobe_fp32_over_best_peer": round(p50["edgeprobe_fp32"] / best_peer, 3),
            "ratio_xnnpack_fp32_over_best_peer": round(p50["xnnpack_fp32"] / best_peer, 3),
            "speedup_onnxruntime_int8_over_fp32": round(p50["onnxruntime_fp32"] / p50["onnxruntime_int8"], 3),
            "onnxruntime_version": ort.__version__, "litert_version": importlib.metadata.version("ai-edge-litert"),
            "unavailable": {},
        }
        if with_int8:
            record["speedup_edgeprobe_int8_over_fp32"] = round(p50["edgeprobe_fp32"] / p50["edgeprobe_int8"], 3)
        else:
            reason = "compress --model mobilenet builds only Profiles/archs/mobilenet-v2-96.yaml"
            record["edgeprobe_int8_p50_us"] = record["speedup_edgeprobe_int8_over_fp32"] = None
            record["unavailable"] = {"edgeprobe_int8_p50_us": reason, "speedup_edgeprobe_int8_over_fp32": reason}
        print(json.dumps(record, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
