import AgentConfig
@testable import AgentValidation
import Foundation
import Glibc
import LatencyService
import Measurement
import Profiles
import TestSupport
import Testing

/// The full edgeprobe's checks of `latency_service`: the entry becomes `latency serve`'s own
/// configuration (same defaults, same rules), measuring with the board, its token file read.
@Suite struct LatencyServiceConfigurationTests {

    private func parse(_ yaml: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration.parse(yaml: yaml, path: "agent.yaml")
    }

    private static func generic() throws -> BoardProfile {
        try BoardProfile.load(path: Repository.path("Profiles/boards/generic.yaml"))
    }

    // MARK: - The same service as `latency serve`

    @Test func offByDefault() throws {
        #expect(try parse("{}").latencyServiceConfiguration(board: Self.generic()) == nil)
    }

    @Test func anEmptyEntryGivesTheDefaultsOfLatencyServe() throws {
        let entry = try #require(try parse("latency_service: {}").latencyService)
        let defaults = LatencyServiceConfiguration()
        #expect(entry.listen == defaults.listen)
        #expect(entry.tokenFile == nil)
        #expect(entry.queue == defaults.maxQueue)
        #expect(entry.maxRequestBytes == defaults.maxBodyBytes)
        #expect(entry.maxMacs == defaults.limits.maxMacs)
        #expect(entry.maxMemoryBytes == defaults.limits.maxMemoryBytes)
        #expect(entry.timeoutS == defaults.requestTimeoutS)
        #expect(entry.warmup == defaults.measurement.policy.warmupIterations)
        #expect(entry.minIterations == defaults.measurement.policy.minIterations)
        #expect(entry.minTimeS == defaults.measurement.policy.minTimeS)
        #expect(entry.percentile == defaults.measurement.percentile)
    }

    @Test func readsEveryKeyAndMeasuresWithTheBoard() throws {
        let token = TemporaryFile("s3cret\n", mode: 0o600)
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
        let board = try Self.generic()
        let service = try #require(try configuration.latencyServiceConfiguration(board: board))
        #expect(service.listen == entry.listen && service.tokenFile == token.path)
        #expect(service.maxQueue == 2 && service.maxBodyBytes == 16 << 10 && service.requestTimeoutS == 30)
        #expect(service.limits.maxMacs == 50_000_000 && service.limits.maxMemoryBytes == 64 << 20)
        #expect(service.measurement.threads == board.threads && service.measurement.cpus == board.cpus)
        #expect(service.measurement.policy == MeasurementPolicy(warmupIterations: 2, minIterations: 10, minTimeS: 0.25))
        #expect(service.measurement.percentile == 99)
        #expect(service.maxMinTimeS == LatencyServiceDefaults.maxMinTimeS)
    }

    @Test func whatTheEntryAcceptsTheServiceAccepts() throws {
        let token = TemporaryFile("s3cret\n", mode: 0o600)
        for listen in ["127.0.0.1:0", "[::1]:8787", "localhost:65535", "0.0.0.0:8787", "[::]:1"] {
            let configuration = try parse("latency_service: {listen: \"\(listen)\", token_file: \(token.path)}")
            #expect(throws: Never.self, "\(listen)") { try configuration.latencyServiceConfiguration(board: Self.generic()) }
        }
        for host in ["example.org", "nowhere", "1.2.3"] {
            let service = LatencyServiceConfiguration(host: host, port: 80, tokenFile: token.path)
            #expect((#expect(throws: LatencyServiceConfiguration.Problem.self) { try service.validate() })?.setting == .listen)
            #expect(throws: ConfigError.self) { try parse("latency_service: {listen: \"\(host):80\", token_file: /t}") }
        }
    }

    // MARK: - Checks that read files

    @Test func aTokenFileReadableByOthersIsRefusedBeforeAnythingRuns() throws {
        let token = TemporaryFile("s3cret\n", mode: 0o644)
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
}
