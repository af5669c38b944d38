import Foundation
import Testing
@testable import AgentConfig

/// The agent's `metrics` key: off by default, addresses and paths checked when the file is read,
/// the token file and the textfile's directory before anything runs; every error names the key.
@Suite struct MetricsEntryTests {
    private func parse(_ yaml: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration.parse(yaml: yaml, path: "agent.yaml")
    }

    private func error(_ yaml: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try parse(yaml) }
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "edgeprobe-metrics-config-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func offByDefault() throws {
        #expect(try parse("{}").metrics == nil)
        #expect(ConfigSummary(try parse("{}")).metricsListen == nil)
        #expect(try parse("{}").checkMetricsFiles() == nil)
    }

    @Test func readsListenTokenAndTextfile() throws {
        let configuration = try parse("""
            metrics:
              listen: 0.0.0.0:9464
              token_file: /etc/edgeprobe/metrics.token
              textfile: /var/lib/prometheus/node-exporter/edgeprobe.prom
            """)
        #expect(configuration.metrics == .init(
            listen: ListenAddress(host: "0.0.0.0", port: 9464), tokenFile: "/etc/edgeprobe/metrics.token",
            textfile: "/var/lib/prometheus/node-exporter/edgeprobe.prom"))
        let summary = ConfigSummary(configuration)
        #expect(summary.metricsListen == "0.0.0.0:9464")
        #expect(summary.metricsTextfile == "/var/lib/prometheus/node-exporter/edgeprobe.prom")
        #expect(try parse("metrics: {listen: \"[::1]:0\"}").metrics?.listen == ListenAddress(host: "::1", port: 0))
    }

    @Test func theExamplesCommentedEntryIsValidOnceUncommented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let example = try String(contentsOfFile: root + "/Deploy/agent.example.yaml", encoding: .utf8)
        var inBlock = false
        let uncommented = example.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            if line.hasPrefix("#metrics:") { inBlock = true }
            if line.isEmpty { inBlock = false }
            guard inBlock, line.hasPrefix("#") else { return line }
            return line.dropFirst()
        }.joined(separator: "\n")
        let entry = try #require(try parse(uncommented).metrics)
        #expect(entry == .init(
            listen: ListenAddress(host: "127.0.0.1", port: 9464), tokenFile: "/etc/edgeprobe/metrics.token",
            textfile: "/run/edgeprobe/edgeprobe.prom"))
    }

    @Test func badValuesNameTheirKey() {
        for (yaml, key) in [
            ("metrics: {listen: \"127.0.0.1\"}", "metrics.listen"),
            ("metrics: {listen: \"127.0.0.1:70000\"}", "metrics.listen"),
            ("metrics: {listen: \"example.org:9464\"}", "metrics.listen"),
            ("metrics: {listen: \"0.0.0.0:9464\"}", "metrics.token_file"),
            ("metrics: {listen: \"127.0.0.1:9464\", token_file: token}", "metrics.token_file"),
            ("metrics: {textfile: /tmp/x.prom, token_file: /tmp/t}", "metrics.token_file"),
            ("metrics: {textfile: relative.prom}", "metrics.textfile"),
            ("metrics: {textfile: /tmp/edgeprobe.txt}", "metrics.textfile"),
            ("metrics: {textfile: /tmp/.prom}", "metrics.textfile"),
            ("metrics: {}", "metrics.listen"),
            ("metrics: {listen: \"127.0.0.1:1\", port: 2}", "metrics.port"),
        ] {
            #expect(error(yaml)?.key == key, "\(yaml)")
        }
        #expect(error("metrics: {listen: \"0.0.0.0:9464\"}")?.problem == "listening on 0.0.0.0 (not loopback) requires a bearer token file")
        #expect(error("metrics:\n  listen: nowhere\n")?.description
            == "agent.yaml:2: metrics.listen: expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464, got 'nowhere'")
    }

    @Test func theTokenFileMustBePrivateAndNotEmpty() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let token = directory + "/metrics.token"
        let yaml = "metrics: {listen: \"0.0.0.0:9464\", token_file: \(token)}"
        #expect(throws: ConfigError(file: "agent.yaml", key: "metrics.token_file", problem: "token file \(token): No such file or directory")) {
            try parse(yaml).checkMetricsFiles()
        }
        FileManager.default.createFile(atPath: token, contents: Data("  s3cret \n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(throws: ConfigError(
            file: "agent.yaml", key: "metrics.token_file",
            problem: "token file \(token) has mode 644; it must be 0600 (chmod 600 \(token))")) {
            try parse(yaml).checkMetricsFiles()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: token)
        #expect(try parse(yaml).checkMetricsFiles() == Array("s3cret".utf8))
        FileManager.default.createFile(atPath: token, contents: Data("\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: ConfigError(file: "agent.yaml", key: "metrics.token_file", problem: "token file \(token) is empty")) {
            try parse(yaml).checkMetricsFiles()
        }
    }

    @Test func theTextfileDirectoryMustExistAndBeWritable() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try parse("metrics: {textfile: \(directory)/edgeprobe.prom}").checkMetricsFiles() == nil)
        #expect(throws: ConfigError(file: "agent.yaml", key: "metrics.textfile", problem: "directory \(directory)/gone does not exist")) {
            try parse("metrics: {textfile: \(directory)/gone/edgeprobe.prom}").checkMetricsFiles()
        }
        // A read-only bind would be the real case; root may write anywhere, so only check as others.
        if getuid() != 0 {
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: directory)
            #expect(throws: ConfigError.self) { try parse("metrics: {textfile: \(directory)/edgeprobe.prom}").checkMetricsFiles() }
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        }
    }
}
