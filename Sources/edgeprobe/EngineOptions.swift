import ArgumentParser
import Engines

/// `--engine`, shared by the commands that measure kernels (`bench`, `latency`, `lut`, `soak`).
struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Kernels to measure: edgeprobe's own, XNNPACK's (the library inside LiteRT), or both, interleaved in one process, with the ratio edgeprobe p50 / XNNPACK p50 in each record.",
        valueName: "edgeprobe|xnnpack|both"))
    var engine: EngineSelection = .edgeprobe
}

extension EngineSelection: ExpressibleByArgument {}
