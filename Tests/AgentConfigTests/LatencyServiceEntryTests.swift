import Foundation
import TestSupport
import Testing
@testable import AgentConfig

/// The agent's `latency_service` key as the lean side reads it: off by default, every value
/// checked without the service's code, each error naming `latency_service.<key>`.
@Suite struct LatencyServiceEntryTests {
    private func parse(_ yaml: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration.parse(yaml: yaml, path: "agent.yaml")
    }

    private func error(_ yaml: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try parse(yaml) }
    }

    // MARK: - Valid entries

    @Test func offByDefault() throws {
        #expect(try parse("{}").latencyService == nil)
        #expect(ConfigSummary(try parse("{}")).latencyService == nil)
    }

    @Test func anEmptyEntryGivesTheDefaults() throws {
        let entry = try #require(try parse("latency_service: {}").latencyService)
        #expect(entry == .init(
            listen: ListenAddress(host: "127.0.0.1", port: 8321), tokenFile: nil, queue: LatencyServiceDefaults.maxQueue,
            maxRequestBytes: LatencyServiceDefaults.maxBodyBytes, maxMacs: LatencyServiceDefaults.maxMacs,
            maxMemoryBytes: LatencyServiceDefaults.maxMemoryBytes, timeoutS: LatencyServiceDefaults.requestTimeoutS,
            warmup: 5, minIterations: 20, minTimeS: 1, percentile: 90))
    }

    @Test func readsEveryKeyWithUnits() throws {
        let configuration = try parse("""
            latency_service:
              listen: "[::]:8787"
              token_file: /etc/edgeprobe/latency.token
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
        #expect(configuration.latencyService == .init(
            listen: .init(host: "::", port: 8787), tokenFile: "/etc/edgeprobe/latency.token", queue: 2,
            maxRequestBytes: 16 << 10, maxMacs: 50_000_000, maxMemoryBytes: 64 << 20, timeoutS: 30, warmup: 2,
            minIterations: 10, minTimeS: 0.25, percentile: 99))
        #expect(ConfigSummary(configuration).latencyService == "[::]:8787")
    }

    @Test func theExamplesCommentedEntryIsValidOnceUncommented() throws {
        let example = try String(contentsOfFile: Repository.path("Deploy/agent.example.yaml"), encoding: .utf8)
        var inBlock = false
        let uncommented = example.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            if line.hasPrefix("#latency_service:") { inBlock = true }
            if line.isEmpty { inBlock = false }
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
        for listen in ["127.0.0.1", "127.0.0.1:99999", "nowhere:80", ":80"] {
            let problem = error("latency_service: {listen: \"\(listen)\"}")
            #expect(problem?.key == "latency_service.listen", "\(listen)")
        }
        let name = error("latency_service: {listen: \"example.org:80\"}")
        #expect(name?.problem == "'example.org' is not a numeric IPv4 or IPv6 address (or localhost)")
        #expect(name?.line == 1)
    }

    @Test func aNonLoopbackBindNeedsATokenFile() throws {
        let problem = error("latency_service: {listen: \"0.0.0.0:8787\"}")
        #expect(problem?.key == "latency_service.token_file")
        #expect(problem?.problem == "listening on 0.0.0.0 (not loopback) requires a bearer token file")
        #expect(error("latency_service: {token_file: relative/token}")?.problem.contains("absolute") == true)
        for loopback in ["127.0.0.2:1", "[::1]:8787", "localhost:0"] {
            #expect(try parse("latency_service: {listen: \"\(loopback)\"}").latencyService?.tokenFile == nil, "\(loopback)")
        }
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
