import AgentConfig
import AgentValidation
import ArgumentParser
import CommandLineSupport
@testable import edgeprobe
import Foundation
import LatencyService
import Models
import Profiles
import TestSupport
import Testing

/// One measurement option group for every benchmarking command; `latency serve` with the
/// defaults of the agent's `latency_service:`; help texts left to the parser's wrapping.
@Suite struct MeasurementOptionsTests {
    private static let measurementArguments = [
        "--board", "pi", "--threads", "2", "--cpus", "0,1", "--warmup", "3", "--min-iterations", "4",
        "--min-time", "5ms", "--sample-interval", "20ms", "--seed", "7",
    ]

    private func expectParsed<Defaults>(_ options: MeasurementOptions<Defaults>, _ command: String) {
        #expect(options.board == "pi", "\(command)")
        #expect(options.threads == 2, "\(command)")
        #expect(options.cpus?.selection == .list([0, 1]), "\(command)")
        #expect(options.warmup == 3, "\(command)")
        #expect(options.minIterations == 4, "\(command)")
        #expect(options.minTime.seconds == 0.005, "\(command)")
        #expect(options.sampleInterval.seconds == 0.02, "\(command)")
        #expect(options.seed == 7, "\(command)")
    }

    /// `latency serve` parsed as the command line gives it: under `latency`, its parent.
    private static func serve(_ arguments: [String]) throws -> EdgeProbe.Latency.Serve {
        try #require(try EdgeProbe.parseAsRoot(["latency", "serve"] + arguments) as? EdgeProbe.Latency.Serve)
    }

    @Test func everyMeasuringCommandTakesTheSameOptions() throws {
        let arguments = Self.measurementArguments
        expectParsed(try EdgeProbe.Bench.parse(arguments).measurement, "bench")
        expectParsed(try EdgeProbe.Compress.parse(arguments).measurement, "compress")
        expectParsed(try EdgeProbe.Latency.Measure.parse(arguments + ["--arch", "tiny"]).measurement, "latency")
        expectParsed(try EdgeProbe.Lut.parse(arguments + ["--space", "tiny"]).measurement, "lut")
        expectParsed(try Self.serve(arguments).measurement, "latency serve")
    }

    @Test func aBadMeasurementOptionIsRejectedByEveryCommand() {
        let commands: [(String, ([String]) throws -> Void)] = [
            ("bench", { _ = try EdgeProbe.Bench.parse($0) }),
            ("compress", { _ = try EdgeProbe.Compress.parse($0) }),
            ("latency", { _ = try EdgeProbe.Latency.Measure.parse($0 + ["--arch", "tiny"]) }),
            ("lut", { _ = try EdgeProbe.Lut.parse($0 + ["--space", "tiny"]) }),
            ("latency serve", { _ = try Self.serve($0) }),
            ("soak", { _ = try EdgeProbe.Soak.parse($0) }),
        ]
        for (name, parse) in commands {
            #expect(throws: (any Error).self, "\(name)") { try parse(["--min-iterations", "0"]) }
            #expect(throws: (any Error).self, "\(name)") { try parse(["--threads", "0"]) }
            #expect(throws: (any Error).self, "\(name)") { try parse(["--sample-interval", "1ms"]) }
        }
    }

    @Test func soakTakesTheGroupButOnlyTheWarmUpOfItsPolicy() throws {
        let soak = try EdgeProbe.Soak.parse(["--board", "pi", "--threads", "2", "--cpus", "all", "--warmup", "3", "--seed", "7"])
        #expect(soak.measurement.threads == 2)
        #expect(soak.measurement.cpus?.selection == .cluster("all"))
        #expect(soak.measurement.warmup == 3)
        #expect(throws: (any Error).self) { try EdgeProbe.Soak.parse(["--min-time", "2s"]) }
        #expect(throws: (any Error).self) { try EdgeProbe.Soak.parse(["--min-iterations", "5"]) }
        // What soak refuses, its help does not offer; bench's help still does.
        let soakHelp = EdgeProbe.helpMessage(for: EdgeProbe.Soak.self, columns: 200)
        #expect(soakHelp.contains("--warmup") && !soakHelp.contains("--min-time") && !soakHelp.contains("--min-iterations"))
        let benchHelp = EdgeProbe.helpMessage(for: EdgeProbe.Bench.self, columns: 200)
        #expect(benchHelp.contains("--min-time") && benchHelp.contains("--min-iterations"))
    }

    @Test func latencyServeMeasuresWithTheAgentsLatencyServiceDefaults() throws {
        let board = try BoardProfile.load(path: Repository.path("Profiles/boards/generic.yaml"))
        let entry = try #require(try AgentConfiguration.parse(yaml: "latency_service: {}", path: "agent.yaml").latencyService)
        let agent = entry.serviceConfiguration(board: board)
        let serve = try Self.serve([])
        let command = try #require(serve.server.configuration(
            measurement: serve.measurement, network: serve.network, threads: board.threads, cpus: board.cpus))
        #expect(command.listen == agent.listen)
        #expect(command.tokenFile == agent.tokenFile)
        #expect(command.maxQueue == agent.maxQueue)
        #expect(command.maxBodyBytes == agent.maxBodyBytes)
        #expect(command.limits == agent.limits)
        #expect(command.requestTimeoutS == agent.requestTimeoutS)
        #expect(command.maxMinTimeS == agent.maxMinTimeS)
        #expect(command.sampleTelemetry == agent.sampleTelemetry)
        #expect(command.measurement.threads == agent.measurement.threads)
        #expect(command.measurement.cpus == agent.measurement.cpus)
        #expect(command.measurement.policy == agent.measurement.policy)
        #expect(command.measurement.seed == agent.measurement.seed)
        #expect(command.measurement.percentile == agent.measurement.percentile)
    }

    /// The former spelling `latency --serve` is `latency serve` itself: the same command, with the
    /// defaults of the agent's `latency_service:`, not `latency`'s own (2 s, 2e9 MACs).
    @Test func latencyDashDashServeIsLatencyServeWithItsDefaults() throws {
        let arguments = FormerSpellings.current(["latency", "--listen", "127.0.0.1:0", "--serve", "--max-queue", "2"])
        #expect(arguments == ["latency", "serve", "--listen", "127.0.0.1:0", "--max-queue", "2"])
        let serve = try #require(try EdgeProbe.parseAsRoot(arguments) as? EdgeProbe.Latency.Serve)
        #expect(serve.server.listen == "127.0.0.1:0")
        #expect(serve.server.maxQueue == 2)
        #expect(serve.measurement.minTime.seconds == LatencyServiceDefaults.policy.minTimeS)
        #expect(serve.measurement.minTime.seconds != NetworkDefaults.policy.minTimeS)
        #expect(serve.network.maxMacs == LatencyServiceDefaults.maxMacs)
        // What only `latency` measuring one spec takes is refused, not ignored.
        for extra in [["--arch", "tiny"], ["--accuracy", "0.7", "--target-ms", "5"], ["--engine", "xnnpack"]] {
            #expect(throws: (any Error).self, "\(extra)") {
                try EdgeProbe.parseAsRoot(FormerSpellings.current(["latency", "--serve"] + extra))
            }
        }
        // Other commands and `latency` without the flag are left as they are.
        #expect(FormerSpellings.current(["latency", "--arch", "tiny"]) == ["latency", "--arch", "tiny"])
        #expect(FormerSpellings.current(["bench", "--serve"]) == ["bench", "--serve"])
    }

    /// `bench` and `soak` take the cool-down options from one group: the same parse and checks,
    /// the board profile's values unless given.
    @Test func benchAndSoakShareTheCooldownOptions() throws {
        let board = try BoardProfile.load(path: Repository.path("Profiles/boards/raspberry-pi-4.yaml"))
        let given = ["--cooldown-to", "50", "--cooldown-timeout", "30s"]
        for cooldown in [try EdgeProbe.Bench.parse(given).cooldown, try EdgeProbe.Soak.parse(given).cooldown] {
            #expect(cooldown.limitC(on: board) == 50)
            #expect(cooldown.timeoutS(on: board) == 30)
        }
        for cooldown in [try EdgeProbe.Bench.parse([]).cooldown, try EdgeProbe.Soak.parse([]).cooldown] {
            #expect(cooldown.limitC(on: board) == board.cooldownToC)
            #expect(cooldown.timeoutS(on: board) == board.cooldownTimeoutS)
        }
        #expect(throws: (any Error).self) { try EdgeProbe.Bench.parse(["--cooldown-timeout", "0s"]) }
        #expect(throws: (any Error).self) { try EdgeProbe.Soak.parse(["--cooldown-timeout", "0s"]) }
    }

    /// ArgumentParser wraps each paragraph of a discussion to the terminal's width but keeps the
    /// line breaks it is given, so a paragraph written over several lines breaks mid-sentence.
    /// Every command `--help` lists, walked from the root, so a new one cannot be left out.
    @Test(arguments: CommandTree.visible.map { $0 as any ParsableCommand.Type })
    func discussionParagraphsAreSingleLines(command: any ParsableCommand.Type) {
        let discussion = command.configuration.discussion
        #expect(!discussion.isEmpty)
        for paragraph in discussion.components(separatedBy: "\n\n") where !paragraph.hasPrefix("Examples:") {
            #expect(!paragraph.contains("\n"), "\(command): \(paragraph)")
        }
    }
}
