import Foundation
import Glibc
import Harness
import LatencyService
import Testing
@testable import Agent

/// The agent's `latency_service` key: off by default, every value checked with the rules of
/// `latency --serve`, each error naming `latency_service.<key>`.
@Suite struct LatencyServiceConfigurationTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    private func parse(_ yaml: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration.parse(yaml: yaml, path: "agent.yaml")
    }

    private func error(_ yaml: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try parse(yaml) }
    }

    private static func generic() throws -> BoardProfile {
        try BoardProfile.load(path: root + "/Profiles/boards/generic.yaml")
    }

    // MARK: - Valid entries

    @Test func offByDefault() throws {
        #expect(try parse("{}").latencyService == nil)
        #expect(try parse("{}").latencyServiceConfiguration(board: Self.generic()) == nil)
        #expect(ConfigSummary(try parse("{}")).latencyService == nil)
    }

    @Test func anEmptyEntryGivesTheDefaultsOfLatencyServe() throws {
        let entry = try #require(try parse("latency_service: {}").latencyService)
        let defaults = LatencyServiceConfiguration()
        #expect(entry.listen == ListenAddress(host: "127.0.0.1", port: 8321))
        #expect(entry.tokenFile == nil)
        #expect(entry.queue == defaults.maxQueue)
        #expect(entry.maxRequestBytes == defaults.maxBodyBytes)
        #expect(entry.maxMacs == defaults.limits.maxMacs)
        #expect(entry.timeoutS == defaults.requestTimeoutS)
        #expect((entry.warmup, entry.minIterations, entry.minTimeS, entry.percentile) == (5, 20, 1, 90))
    }

    @Test func readsEveryKeyWithUnitsAndMeasuresWithTheBoard() throws {
        let token = TemporaryFile(contents: "s3cret\n", mode: 0o600)
        let configuration = try parse("""
            latency_service:
              listen: "[::]:8787"
              token_file: \(token.path)
              queue: 2
              max_request_bytes: 16KiB
              max_macs: 50000000
              max_memory: 64MiB
              timeout: 30s
              warmup: 2
              min_iterations: 10
              min_time: 250ms
              percentile: 99
            """)
        let entry = try #require(configuration.latencyService)
        #expect(entry == .init(
            listen: .init(host: "::", port: 8787), tokenFile: token.path, queue: 2, maxRequestBytes: 16 << 10,
            maxMacs: 50_000_000, maxMemoryBytes: 64 << 20, timeoutS: 30, warmup: 2, minIterations: 10, minTimeS: 0.25,
            percentile: 99))
        let board = try Self.generic()
        let service = try #require(try configuration.latencyServiceConfiguration(board: board))
        #expect(service.listen == entry.listen && service.tokenFile == token.path)
        #expect(service.maxQueue == 2 && service.maxBodyBytes == 16 << 10 && service.requestTimeoutS == 30)
        #expect(service.limits.maxMacs == 50_000_000 && service.limits.maxMemoryBytes == 64 << 20)
        #expect(service.measurement.threads == board.threads && service.measurement.cpus == board.cpus)
        #expect(service.measurement.policy.minTimeS == 0.25 && service.measurement.percentile == 99)
        #expect(ConfigSummary(configuration).latencyService == "[::]:8787")
    }

    @Test func theExamplesCommentedEntryIsValidOnceUncommented() throws {
        let example = try String(contentsOfFile: Self.root + "/Deploy/agent.example.yaml", encoding: .utf8)
        var inBlock = false
        let uncommented = example.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            if line.hasPrefix("#latency_service:") { inBlock = true }
            guard inBlock, line.hasPrefix("#") else { return line }
            return line.dropFirst()
        }.joined(separator: "\n")
        let entry = try #require(try parse(uncommented).latencyService)
        #expect(entry.listen == ListenAddress(host: "127.0.0.1", port: 8321))
        #expect(entry.tokenFile == "/etc/edgeprobe/latency.token")
        #expect(entry.timeoutS == 120 && entry.maxRequestBytes == 64 << 10 && entry.maxMemoryBytes == 512 << 20)
    }

    // MARK: - Errors name the key

    @Test func badListenAddresses() {
        for listen in ["127.0.0.1", "127.0.0.1:99999", "nowhere:80"] {
            let problem = error("latency_service: {listen: \"\(listen)\"}")
            #expect(problem?.key == "latency_service.listen", "\(listen)")
        }
        #expect(error("latency_service: {listen: \"example.org:80\"}")?.problem.contains("not a numeric") == true)
    }

    @Test func aNonLoopbackBindNeedsATokenFile() {
        let problem = error("latency_service: {listen: \"0.0.0.0:8787\"}")
        #expect(problem?.key == "latency_service.token_file")
        #expect(problem?.problem == "listening on 0.0.0.0 (not loopback) requires a bearer token file")
        #expect(error("latency_service: {token_file: relative/token}")?.problem.contains("absolute") == true)
    }

    @Test func aTokenFileReadableByOthersIsRefusedBeforeAnythingRuns() throws {
        let token = TemporaryFile(contents: "s3cret\n", mode: 0o644)
        let configuration = try parse("latency_service: {listen: \"0.0.0.0:8787\", token_file: \(token.path)}")
        let problem = #expect(throws: ConfigError.self) {
            try configuration.latencyServiceConfiguration(board: Self.generic())
        }
        #expect(problem?.key == "latency_service.token_file")
        #expect(problem?.problem.contains("has mode 644; it must be 0600") == true)
        let missing = try parse("latency_service: {token_file: /nonexistent/token}")
        #expect((#expect(throws: ConfigError.self) { try missing.latencyServiceConfiguration(board: Self.generic()) })?
            .key == "latency_service.token_file")
    }

    @Test func limitsAndUnknownKeys() {
        #expect(error("latency_service: {queue: -1}")?.key == "latency_service.queue")
        #expect(error("latency_service: {max_request_bytes: 0}")?.key == "latency_service.max_request_bytes")
        #expect(error("latency_service: {max_macs: 0}")?.key == "latency_service.max_macs")
        #expect(error("latency_service: {timeout: 0s}")?.key == "latency_service.timeout")
        #expect(error("latency_service: {percentile: 92}")?.key == "latency_service.percentile")
        #expect(error("latency_service: {port: 8787}")?.key == "latency_service.port")
        #expect(error("latency_service: true")?.problem.contains("expected a mapping") == true)
    }
}

/// A file under /tmp with the given contents and permissions, removed when the test is done.
final class TemporaryFile {
    let path: String

    init(contents: String, mode: mode_t) {
        path = "/tmp/edgeprobe-agent-test-\(UUID().uuidString.prefix(8))"
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        chmod(path, mode)
    }

    deinit {
        unlink(path)
    }
}
