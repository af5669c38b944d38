import Foundation
import Glibc
import TestSupport
import Testing

/// The agent's `metrics` section as a user meets it: bad settings stop it before anything runs
/// with one line naming the key, hostile clients of `/metrics` never stall sampling, and a
/// textfile directory removed under it is one `agent_error` while sampling goes on.
@Suite(.serialized) struct AgentMetricsProcessTests {
    /// `edgeprobe agent --config FILE --check`: exit status and standard error.
    private func check(_ directory: String) async throws -> (status: Int32, stderr: String, stdout: String) {
        let result = try await TestProcess.run(AgentProcess.executable, ["agent", "--config", directory + "/agent.yaml", "--check"])
        return (result.status, result.stderr, result.stdout)
    }

    @Test(.timeLimit(.minutes(1))) func badSettingsAreOneLineNamingTheKeyAndExit1() async throws {
        let temporary = TemporaryDirectory(prefix: "agent-metrics")
        let directory = temporary.path
        let token = directory + "/metrics.token"
        FileManager.default.createFile(atPath: token, contents: Data("s3cret\n".utf8), attributes: [.posixPermissions: 0o644])
        let cases: [(yaml: String, expected: String)] = [
            ("metrics: {listen: \"0.0.0.0\"}", "\(directory)/agent.yaml:1: metrics.listen: expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464, got '0.0.0.0'"),
            ("metrics: {listen: \"0.0.0.0:9464\"}", "\(directory)/agent.yaml:1: metrics.token_file: listening on 0.0.0.0 (not loopback) requires a bearer token file"),
            ("metrics: {listen: \"0.0.0.0:9464\", token_file: \(token)}",
             "\(directory)/agent.yaml: metrics.token_file: token file \(token) has mode 644; it must be 0600 (chmod 600 \(token))"),
            ("metrics: {textfile: \(directory)/missing/edgeprobe.prom}",
             "\(directory)/agent.yaml: metrics.textfile: directory \(directory)/missing does not exist"),
        ]
        for (yaml, expected) in cases {
            AgentProcess.writeConfig(yaml, in: directory)
            let result = try await check(directory)
            #expect(result.status == 1, "\(yaml)")
            #expect(result.stderr == "edgeprobe: \(expected)\n", "\(yaml)")
            #expect(result.stdout.isEmpty)
        }
        // The same file with the token made private is valid.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: token)
        AgentProcess.writeConfig("metrics: {listen: \"0.0.0.0:9464\", token_file: \(token)}", in: directory)
        #expect(try await check(directory).status == 0)
    }

    @Test(.timeLimit(.minutes(2))) func hostileClientsNeverStallSamplingAndAVanishedTextfileDirectoryIsOneError() async throws {
        let temporary = TemporaryDirectory(prefix: "agent-metrics")
        let directory = temporary.path
        let textfiles = directory + "/textfile"
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        AgentProcess.writeConfig("""
            sampling: {interval: 200ms}
            metrics:
              listen: 127.0.0.1:0
              textfile: \(textfiles)/edgeprobe.prom
            """, in: directory)
        let agent = try AgentProcess(directory: directory)
        // Port 0: the kernel picks one, and the agent says which on standard error.
        let port = try #require(await agent.metricsPort(), "no `serving on http://...:PORT/metrics` line")
        let samples = { agent.records("sample").count }
        #expect(await agent.waitFor { samples() >= 2 && FileManager.default.fileExists(atPath: textfiles + "/edgeprobe.prom") })

        // Many silent connections, one oversized request and one garbage request, held open.
        var hostile: [Int32] = []
        defer { hostile.forEach { close($0) } }
        for index in 0..<20 {
            guard let descriptor = Self.connect(port: port) else { continue }
            let junk = index == 0 ? "GET /metrics HTTP/1.1\r\nX: " + String(repeating: "a", count: 100_000) : index == 1 ? "\u{0}\u{1}\u{2}\r\n\r\n" : "GET /me"
            _ = junk.utf8CString.withUnsafeBufferPointer { send(descriptor, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
            hostile.append(descriptor)
        }
        #expect(!hostile.isEmpty)
        let before = samples()
        #expect(await agent.waitFor { samples() >= before + 5 }, "sampling stalled while clients held connections")

        // Meanwhile the textfile's directory disappears: one error record, sampling goes on.
        try FileManager.default.removeItem(atPath: textfiles)
        #expect(await agent.waitFor { !agent.records("agent_error", onStderr: true).isEmpty })
        let afterRemoval = samples()
        #expect(await agent.waitFor { samples() >= afterRemoval + 5 })
        let errors = agent.records("agent_error", onStderr: true)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?["source"] as? String == "metrics.textfile")
        // Which step meets the missing directory depends on when it went: creating the spare file
        // ("cannot create …tmp") or, when the removal landed during a write, swapping it in
        // ("cannot rename …tmp to …", seen under load). Either names the spare file and the cause.
        let message = try #require(errors.first?["message"] as? String)
        #expect(message.contains("\(textfiles)/edgeprobe.prom.tmp") && message.hasSuffix("No such file or directory"), "\(message)")
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        #expect(await agent.waitFor { FileManager.default.fileExists(atPath: textfiles + "/edgeprobe.prom") }, "written again once the directory is back")

        hostile.forEach { close($0) }
        hostile = []
        // A well-formed scrape on the announced port is answered once the server has seen the
        // hostile connections close (they held all 8 of its connections).
        var answer = ""
        #expect(await eventually {
            guard let scrape = try? RawHTTPClient(port: port) else { return false }
            defer { scrape.close() }
            scrape.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = await scrape.readToEnd().text
            return answer.hasPrefix("HTTP/1.1 200 OK")
        }, "no scrape answered on the announced port \(port): \(answer.prefix(200))")
        #expect(answer.contains("\nedgeprobe_samples_total "), "\(answer.prefix(200))")
        agent.send(SIGTERM)
        #expect(await agent.waitForExit() == 0)
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText)
        #expect(schemas.problems.isEmpty, "\(schemas.problems)")
        #expect(schemas.checkedTypes.isSuperset(of: ["agent_start", "agent_error", "agent_stop"]))
        let start = try #require(agent.records("agent_start").first?["config"] as? [String: Any])
        #expect(start["metrics_listen"] as? String == "127.0.0.1:0")
        #expect(start["metrics_textfile"] as? String == textfiles + "/edgeprobe.prom")
    }

    /// A TCP connection to 127.0.0.1:`port`, or `nil`.
    private static func connect(port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }
}
