// swift-tools-version:6.1
// edgeprobe: a telemetry and benchmark agent for Linux edge boards.

import PackageDescription

/// The architecture the build produces code for. A manifest's `#if arch(...)` describes the
/// machine running SwiftPM, not the target, and a manifest cannot see `--swift-sdk`/`--triple`;
/// a cross build says its target in EDGEPROBE_TARGET_ARCH (`make check-aarch64` sets `aarch64`).
let targetArchitecture: String = {
    if let named = Context.environment["EDGEPROBE_TARGET_ARCH"], !named.isEmpty { return named }
    #if arch(x86_64)
    return "x86_64"
    #elseif arch(arm64)
    return "aarch64"
    #else
    return "other"
    #endif
}()

/// Code generation for the numeric targets. Benchmarks measure release builds; the kernels are
/// also optimized in debug builds so their tests run in seconds instead of minutes.
let numericSettings: [SwiftSetting] = {
    var settings: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"])]
    if targetArchitecture == "x86_64" {
        // AVX2 + FMA: without them `SIMD8<Float>.addingProduct` lowers to `fmaf` calls (~0.5 GFLOP/s).
        // aarch64 has NEON FMA as its baseline and needs no flag.
        settings.append(.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma", "-target-cpu", "haswell"]))
    }
    return settings
}()

/// How the long-running executables are linked:
/// - every shared-library symbol is resolved at start-up (`-z now`), not at first call: the
///   long-running modes drop the pages start-up touched, and a lazy binding later would fault
///   the libraries' symbol tables back in for good;
/// - the functions a sampling tick runs are placed next to each other (gold's
///   `--section-ordering-file`, list made by Benchmarks/hot-code/generate.sh). The kernel maps
///   code in 64 KiB blocks, so scattered hot functions keep many MiB resident; packed, they keep
///   a few hundred KiB. Only functions in sections of their own can move: `make release`
///   compiles every module with `-function-sections`. A stale list costs only memory.
let steadyStateLayout: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "-z", "-Xlinker", "now"]),
    .unsafeFlags([
        "-Xlinker", "--section-ordering-file",
        "-Xlinker", Context.packageDirectory + "/Benchmarks/hot-code/steady-state.order",
    ]),
]

let package = Package(
    name: "edgeprobe",
    products: [
        .executable(name: "edgeprobe", targets: ["edgeprobe"]),
        .executable(name: "edgeprobe-sample", targets: ["edgeprobe-sample"]),
        .executable(name: "edgeprobe-agent", targets: ["edgeprobe-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-algorithms", from: "1.2.1"),
    ],
    targets: [
        // MARK: - System libraries

        .systemLibrary(
            name: "CSensors",
            providers: [.apt(["libsensors-dev"])]
        ),
        .systemLibrary(
            name: "CProc2",
            pkgConfig: "libproc2",
            providers: [.apt(["libproc2-dev"])]
        ),
        /// libyaml, read (and, for lookup tables, written) by Configuration without Foundation.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        /// XNNPACK and its thread pool (Debian 12: libxnnpack-dev 0.0~git20220216, libpthreadpool-dev);
        /// only XNNPACKShim includes it.
        .systemLibrary(
            name: "CXNNPACK",
            providers: [.apt(["libxnnpack-dev", "libpthreadpool-dev"])]
        ),
        // glibc's <malloc.h> (part of libc6-dev, always present with the toolchain).
        .systemLibrary(name: "CMalloc"),
        // renameat2(2)'s RENAME_EXCHANGE, for the metrics textfile (glibc, always present).
        .systemLibrary(name: "CRenameExchange"),

        // MARK: - Leaves: system errors, units, the configuration layer

        /// `errno` in words and the one whole-file reader and writer, typed errors, no Foundation.
        .target(name: "SystemErrors"),
        /// The one grammar for durations (`250us`, `1s`, `1d`) and sizes (`10MiB`): options,
        /// configuration and profiles read it.
        .target(name: "Quantities"),
        /// The one configuration layer: libyaml loader, field-by-field mapping reader, the
        /// `file:line: key: problem` error, file reading. No Foundation: the small agent uses it.
        .target(name: "Configuration", dependencies: ["CYAML", "Quantities", "SystemErrors"]),

        // MARK: - Telemetry

        /// Every libproc2 call lives here, behind a protocol another backend can implement.
        .target(name: "ProcStats", dependencies: ["CProc2", "SystemErrors"]),
        .target(name: "Telemetry", dependencies: ["CSensors", "CMalloc", "ProcStats", "Reports", "Quantities", "SystemErrors"]),

        // MARK: - Numerics

        .target(name: "Tensors", swiftSettings: numericSettings),
        /// int8 GEMM micro-kernels in C (AVX512-VNNI, AVX2, NEON, generic), chosen at run time.
        .target(name: "CInt8Kernels", cSettings: [.unsafeFlags(["-O2"])]),
        /// float32 GEMM tiles in C for instruction sets the Swift build does not target (AVX512F), chosen at run time.
        .target(name: "CFloatKernels", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "Compression", dependencies: ["SystemErrors"], swiftSettings: numericSettings),
        .target(name: "Kernels", dependencies: ["Tensors", "CInt8Kernels", "CFloatKernels", "Compression"], swiftSettings: numericSettings),
        /// Every XNNPACK call, in C: its API changes between snapshots, so it changes here only.
        /// (A module map's `link` only reaches Swift importers, so the C target names the libraries.)
        .target(
            name: "XNNPACKShim", dependencies: ["CXNNPACK"], cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [.linkedLibrary("XNNPACK"), .linkedLibrary("pthreadpool")]
        ),
        .target(name: "Models", dependencies: ["Tensors", "Kernels", "Compression"], swiftSettings: numericSettings),
        /// XNNPACK as a second engine: its convolutions and whole networks, set up beside edgeprobe's kernels.
        .target(name: "XNNPACKEngine", dependencies: ["XNNPACKShim", "Kernels", "Models", "Tensors", "ProcStats"]),
        /// Which engine runs a measurement (`--engine`), the threads of each, a network built on either, and how run_start names them.
        .target(name: "Engines", dependencies: ["Kernels", "XNNPACKEngine", "Models", "Tensors", "Measurement", "Reports"]),

        // MARK: - Shared leaves: records, measurement, the board lock

        /// Records, the JSON-lines writer and sinks: everyone may use it.
        .target(name: "Reports", dependencies: ["SystemErrors"]),
        /// The report's SVG charts (bar, scatter, time series; canvas, scales, legend, palette) and
        /// how it writes figures. Knows nothing of records: ResultsReport feeds it plain values.
        .target(name: "ReportCharts", dependencies: [.product(name: "Algorithms", package: "swift-algorithms")]),
        /// `edgeprobe report`: reads the JSON lines back and writes one HTML page (charts, tables) or Markdown.
        .target(name: "ResultsReport", dependencies: [
            "ReportCharts", "Reports", "SystemErrors", .product(name: "Algorithms", package: "swift-algorithms"),
        ]),
        /// How a benchmark is measured: policy, runner, statistics, stop flag, telemetry probe,
        /// interleaved runs, the host description. No Foundation and no kernels, so the small
        /// agent and the latency service share its policy and percentiles.
        .target(name: "Measurement", dependencies: ["Telemetry", "ProcStats", "Reports"]),
        /// An inter-process lock on the board (flock), so measurements of different processes never overlap.
        .target(name: "BoardLock", dependencies: ["SystemErrors"]),

        // MARK: - Profiles: what the YAML files under Profiles/ say

        /// Suites, boards, architectures and search spaces, read field by field with errors that
        /// name the file, line, entry and field; and where profiles are found.
        .target(name: "Profiles", dependencies: ["Configuration", "Tensors", "Kernels", "Models"]),

        // MARK: - Workloads: what `bench`, `compress`, `latency` and `lut` run and record

        /// Whole models compressed stage by stage (`compress`, a suite's `models`).
        .target(
            name: "CompressionStudy",
            dependencies: ["Measurement", "Profiles", "Telemetry", "Reports", "Quantities", "Tensors", "Kernels", "Compression", "Models"]
        ),
        /// The suite runner, its layer workloads and records (`bench`), and the sampled telemetry
        /// every benchmark command uses.
        .target(
            name: "Suites",
            dependencies: [
                "Measurement", "Profiles", "Compression", "CompressionStudy", "Telemetry", "Reports", "Tensors", "Kernels", "Models",
                "Engines", "XNNPACKEngine",
            ]
        ),
        /// Neural architecture search on the board: latency of an architecture, lookup tables,
        /// the MnasNet reward (`latency`, `lut`; served over HTTP by LatencyService).
        .target(
            name: "NAS",
            dependencies: ["Measurement", "Profiles", "Configuration", "Telemetry", "Reports", "Tensors", "Kernels", "Models", "Engines", "XNNPACKEngine"]
        ),
        /// `edgeprobe soak`: one workload for minutes, window by window, summarised as burst vs sustained.
        .target(
            name: "Soak",
            dependencies: ["Measurement", "Profiles", "Suites", "CompressionStudy", "Engines", "Telemetry", "Reports", "Kernels", "Models", "Tensors"]
        ),

        // MARK: - Agent and services

        /// The agent's configuration file, read without Foundation so the small agent can use it.
        .target(name: "AgentConfig", dependencies: ["Configuration", "Reports", "Measurement"]),
        /// The Prometheus view of a board: series built from samples, suite results and the
        /// agent's counters, written in the text exposition format. No Foundation.
        .target(name: "MetricsExposition", dependencies: ["Telemetry", "Reports", "SystemErrors", "CRenameExchange"]),
        /// The one small HTTP/1.1 server, on SwiftNIO's codec (no Foundation), with limits no client
        /// can get past: the agent's `GET /metrics` and the HTTP latency service.
        .target(name: "HTTPServer", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        /// The long-running agent. No Foundation, kernels or models here: suites, the latency
        /// service and reload checks run as child processes of the full `edgeprobe`. Its only
        /// HTTP is the small `/metrics` endpoint (HTTPServer).
        .target(
            name: "Agent",
            dependencies: [
                "AgentConfig", "Telemetry", "Reports", "BoardLock", "SystemErrors", "MetricsExposition", "HTTPServer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The HTTP latency service for neural architecture search (hosted by the agent, or `latency serve`).
        .target(name: "LatencyService", dependencies: [
            "AgentConfig", "NAS", "Suites", "Measurement", "Profiles", "Models", "Reports", "Telemetry", "BoardLock", "SystemErrors", "HTTPServer",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        /// What the full `edgeprobe` checks in an agent configuration beyond its syntax: the
        /// profiles it names and the latency service's settings and token file.
        .target(name: "AgentValidation", dependencies: ["AgentConfig", "Profiles", "Models", "LatencyService"]),

        // MARK: - Command line

        // What both executables share: `sample`, option types, signals, the main() wrapper.
        .target(
            name: "CommandLineSupport",
            dependencies: ["Telemetry", "Reports", "Quantities", "SystemErrors", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "edgeprobe",
            dependencies: [
                "CommandLineSupport", "Agent", "AgentValidation", "BoardLock", "Measurement", "Profiles", "Suites", "NAS",
                "CompressionStudy", "Soak", "Telemetry", "ProcStats", "Reports", "Compression", "Models", "Kernels", "Tensors", "LatencyService", "SystemErrors", "ResultsReport", "Engines", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: steadyStateLayout
        ),
        // `edgeprobe sample` and `edgeprobe agent` run from these small executables (no Foundation,
        // no benchmarks): see LeanExecutable.
        .executableTarget(name: "edgeprobe-sample", dependencies: ["CommandLineSupport"], linkerSettings: steadyStateLayout),
        .executableTarget(
            name: "edgeprobe-agent",
            dependencies: ["CommandLineSupport", "Agent", "Telemetry", "Reports", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            linkerSettings: steadyStateLayout
        ),

        // MARK: - Tests

        /// What the test targets share: temporary files and directories, the repository's root,
        /// a held loopback port, a process runner, HTTP requests and a raw socket client, waits with a hang deadline,
        /// a collecting sink and the one JSON Schema validator. Used by test targets only.
        .target(name: "TestSupport", dependencies: ["Reports"], path: "Tests/TestSupport"),

        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        .testTarget(name: "QuantitiesTests", dependencies: ["Quantities"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "TestSupport"]),
        .testTarget(name: "ReportChartsTests", dependencies: ["ReportCharts"]),
        .testTarget(name: "ResultsReportTests", dependencies: ["ResultsReport", "Reports", "TestSupport"], exclude: ["Browser"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ProcStatsTests", dependencies: ["ProcStats"]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"], swiftSettings: numericSettings),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"], swiftSettings: numericSettings),
        .testTarget(name: "CompressionTests", dependencies: ["Compression"]),
        .testTarget(name: "CompressionStudyTests", dependencies: ["CompressionStudy", "Models", "Kernels"]),
        .testTarget(name: "XNNPACKEngineTests", dependencies: ["XNNPACKEngine", "Kernels", "Models", "Tensors", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TestSupport"], swiftSettings: numericSettings),
        .testTarget(name: "MeasurementTests", dependencies: ["Measurement"]),
        .testTarget(name: "ProfilesTests", dependencies: ["Profiles", "Models", "TestSupport"]),
        .testTarget(name: "SuitesTests", dependencies: ["Suites", "Profiles", "Engines", "Measurement", "Reports", "TestSupport"]),
        .testTarget(name: "NASTests", dependencies: ["NAS", "Engines", "Profiles", "Measurement", "Models", "Reports", "Kernels", "XNNPACKEngine", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SoakTests", dependencies: ["Soak", "Measurement", "Telemetry"]),
        .testTarget(
            name: "EdgeprobeTests",
            dependencies: ["edgeprobe", "edgeprobe-sample", "AgentConfig", "AgentValidation", "CommandLineSupport", "LatencyService", "Profiles", "Models", "TestSupport"]
        ),
        .testTarget(name: "AgentConfigTests", dependencies: ["AgentConfig", "TestSupport"]),
        .testTarget(name: "AgentValidationTests", dependencies: ["AgentValidation", "Profiles", "LatencyService", "TestSupport"]),
        .testTarget(name: "AgentTests", dependencies: ["Agent", "edgeprobe", "edgeprobe-agent", "TestSupport"]),
        .testTarget(name: "LatencyServiceTests", dependencies: ["LatencyService", "NAS", "Profiles", "Measurement", "Models", "BoardLock", "TestSupport"]),
        .testTarget(name: "BoardLockTests", dependencies: ["BoardLock", "TestSupport"]),
        .testTarget(name: "MetricsExpositionTests", dependencies: ["MetricsExposition", "Telemetry", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "CommandLineSupportTests", dependencies: ["CommandLineSupport", "Reports"]),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: - Fuzzing

/// The libFuzzer program (`make fuzz`, Docs/fuzzing.md). It has no main() of its own: the
/// libFuzzer runtime that `--sanitize=fuzzer` links provides it, so the target exists only in the
/// build the Makefile runs with EDGEPROBE_FUZZ=1 (in .build-fuzz/); `swift build` and
/// `swift test` never see it.
if Context.environment["EDGEPROBE_FUZZ"] == "1" {
    package.targets += [
        .executableTarget(
            name: "edgeprobe-fuzz",
            dependencies: ["AgentConfig", "Compression", "Profiles", "NAS", "Models", "LatencyService"],
            path: "Fuzz/edgeprobe-fuzz"
        ),
    ]
}
