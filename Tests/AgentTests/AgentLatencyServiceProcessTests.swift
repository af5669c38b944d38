import Foundation
import Glibc
import TestSupport
import Testing

/// The agent hosting the HTTP latency service, as a child process on a loopback port the kernel
/// picks (`listen: 127.0.0.1:0`, read back from the service's `serving on` line):
/// health and a measurement over HTTP, requests waiting for a scheduled suite, configuration
/// errors before anything runs, and what SIGHUP does to the service.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AgentLatencyServiceProcessTests {
    /// The port of the agent's latency service once it listens (its `serving on` line).
    private static func servicePort(_ agent: AgentProcess) async throws -> Int {
        try #require(await agent.latencyServicePort(), "the latency service never said where it serves: \(agent.stderrLines)")
    }

    /// `GET /v1/health`.
    private static func health(_ port: Int) async throws -> [String: Any] {
        let answer = try await HTTP.send("GET", port: port, "/v1/health")
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        return try answer.json()
    }

    /// Asks `/v1/health` until `condition` holds for its answer; the last answer.
    private static func health(_ port: Int, until condition: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
        var answer: [String: Any] = [:]
        _ = try await eventually(every: .milliseconds(20)) {
            answer = try await health(port)
            return condition(answer)
        }
        return answer
    }

    private static var tinyArch: Data {
        get throws { try Repository.contents("Profiles/archs/tiny.yaml") }
    }

    private static func stop(_ agent: AgentProcess) async throws {
        agent.send(SIGTERM)
        #expect(try #require(await agent.waitForExit()) == 0)
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText)
        #expect(schemas.problems.isEmpty, "\(schemas.problems)")
    }

    // MARK: - Serving

    @Test func servesHealthAndTheLatencyRecordOfAnArchitecture() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("""
            sampling: {interval: 200ms}
            latency_service:
              listen: 127.0.0.1:0
              queue: 2
              max_macs: 50000000
              min_time: 50ms
              warmup: 1
              min_iterations: 5
            """, in: directory)
        let agent = try AgentProcess(directory: directory)
        let port = try await Self.servicePort(agent)
        let health = try await Self.health(port)
        #expect(health["status"] as? String == "ok")
        #expect(health["busy"] as? Bool == false)
        #expect(health["max_queue"] as? Int == 2 && health["max_macs"] as? Int == 50_000_000)

        let answer = try await HTTP.send("POST", port: port, "/v1/latency?seed=7", body: Self.tinyArch)
        let record = try answer.json()
        #expect(answer.status == 200, "\(record)")
        #expect(record["type"] as? String == "latency" && record["name"] as? String == "tiny")
        #expect(record["seed"] as? Int == 7)
        #expect((record["latency_us"] as? [String: Any])?["n"] as? Int ?? 0 >= 5)
        #expect(!((record["blocks"] as? [Any]) ?? []).isEmpty)

        let start = try #require(agent.records("agent_start").first)
        #expect((start["config"] as? [String: Any])?["latency_service"] as? String == "127.0.0.1:0")
        #expect(await agent.waitFor { agent.records("sample").count >= 1 }, "sampling goes on beside the service")
        try await Self.stop(agent)
    }

    /// The suite runs until the test stops it (a `min_time` of 10 minutes, and a layer so large
    /// that the measurement's cap of 100,000 iterations takes longer still), so every step is
    /// ordered by what the test sees, not by how long the suite happens to take: the suite holds
    /// the board, a request queues behind it, the test ends the suite (SIGTERM to the suite's
    /// process), and only then is the request measured.
    @Test func aRequestWaitsUntilTheScheduledSuiteHasEnded() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        _ = FileManager.default.createFile(atPath: directory + "/tiny.yaml", contents: Data("""
            name: long
            layers:
              - {name: long-conv, op: conv, cin: 64, h: 56, w: 56, cout: 64, k: 3}
            """.utf8))
        AgentProcess.writeConfig("""
            sampling: {interval: 100ms}
            schedule:
              - {suite: \(directory)/tiny.yaml, every: 1h, max_cpu_busy_pct: 100, max_temp_c: 150,
                 min_time: 10m, warmup: 1, min_iterations: 2}
            latency_service: {listen: 127.0.0.1:0, min_time: 50ms, warmup: 1, min_iterations: 5}
            """, in: directory)
        let agent = try AgentProcess(directory: directory)
        let port = try await Self.servicePort(agent)
        #expect(await agent.waitFor { !agent.records("run_start").isEmpty }, "the scheduled suite did not start")
        // The scheduler took the board lock before it started the suite and keeps it until the suite ends.
        let busy = try await Self.health(port)
        #expect(busy["busy"] as? Bool == true && busy["busy_with"] as? String == "schedule", "\(busy)")

        let arch = try Self.tinyArch
        let request = Task { try await HTTP.send("POST", port: port, "/v1/latency", body: arch) }
        let queued = try await Self.health(port) { $0["queued"] as? Int == 1 }
        #expect(queued["queued"] as? Int == 1 && queued["busy_with"] as? String == "schedule", "\(queued)")
        let suite = try #require(agent.children.first { $0.arguments.contains("bench") }, "\(agent.children)")
        #expect(agent.records("run_end").isEmpty)
        kill(suite.pid, SIGTERM)

        let answer = try await request.value
        let record = try answer.json()
        #expect(answer.status == 200, "\(record)")
        // The request was admitted only once the suite released the board: its run_end is written by then.
        let runEnd = try #require(agent.records("run_end").first, "the request was answered while the suite was still running")
        #expect(runEnd["interrupted"] as? Bool == true)
        #expect(record["type"] as? String == "latency")
        try await Self.stop(agent)
    }

    @Test func sigtermDuringARequestStopsItAndExitsZero() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("sampling: {interval: 100ms}\nlatency_service: {listen: 127.0.0.1:0}", in: directory)
        let agent = try AgentProcess(directory: directory)
        let port = try await Self.servicePort(agent)
        let arch = try Repository.contents("Profiles/archs/mobilenet-v2-96.yaml")
        let request = Task { try await HTTP.send("POST", port: port, "/v1/latency?min_time_s=60", body: arch) }
        let busy = try await Self.health(port) { $0["busy_with"] as? String == "request" }
        #expect(busy["busy_with"] as? String == "request", "the request never started measuring")
        agent.send(SIGTERM)
        // How long stopping takes is measured by Benchmarks/stop-latency.sh; here only that it ends.
        #expect(try #require(await agent.waitForExit()) == 0)
        let answer = try await request.value
        #expect(answer.status == 503, "\(String(decoding: answer.body, as: UTF8.self))")
        let error = try answer.json()["error"] as? [String: Any]
        #expect(error?["field"] as? String == "service")
        #expect(agent.records("agent_stop").first?["reason"] as? String == "SIGTERM")
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText)
        #expect(schemas.problems.isEmpty, "\(schemas.problems)")
    }

    // MARK: - Configuration

    @Test func configErrorsExitOneNamingTheKeyBeforeAnythingRuns() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        let token = directory + "/token"
        _ = FileManager.default.createFile(atPath: token, contents: Data("s3cret\n".utf8))
        chmod(token, 0o644)
        let cases: [(yaml: String, expected: String)] = [
            ("latency_service: {listen: \"0.0.0.0:8787\"}",
             "latency_service.token_file: listening on 0.0.0.0 (not loopback) requires a bearer token file"),
            ("latency_service: {listen: \"0.0.0.0:8787\", token_file: \(token)}",
             "latency_service.token_file: token file \(token) has mode 644; it must be 0600"),
            ("latency_service: {listen: \"127.0.0.1:99999\"}", "latency_service.listen: expected host:port"),
        ]
        for (yaml, expected) in cases {
            AgentProcess.writeConfig(yaml, in: directory)
            let agent = try AgentProcess(directory: directory)
            #expect(try #require(await agent.waitForExit()) == 1, "\(yaml)")
            #expect(agent.stdoutText.isEmpty, "\(yaml)")
            #expect(agent.stderrLines.count == 1 && agent.stderrLines[0].contains(expected), "\(agent.stderrLines)")
        }
    }

    @Test func aTakenPortStopsTheAgentWithAnErrorNamingTheAddress() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        // A socket this test listens on (port 0: the kernel's choice), held for the whole test.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, length) == 0 && listen(holder, 1) == 0 && getsockname(holder, $0, &length) == 0
            }
        }
        try #require(listening)
        let port = Int(UInt16(bigEndian: address.sin_port))
        AgentProcess.writeConfig("latency_service: {listen: 127.0.0.1:\(port)}", in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(try #require(await agent.waitForExit()) == 1)
        let error = try #require(agent.records("agent_error", onStderr: true).first)
        #expect((error["message"] as? String)?.contains("cannot serve on 127.0.0.1:\(port)") == true, "\(error)")
        #expect(agent.records("agent_stop").first?["reason"] as? String == "error")
    }

    // MARK: - Reload

    @Test func sighupKeepsTheRunningServiceAndSaysARestartIsRequired() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("sampling: {interval: 100ms}\nlatency_service: {listen: 127.0.0.1:0}", in: directory)
        let agent = try AgentProcess(directory: directory)
        let port = try await Self.servicePort(agent)

        // Unchanged service: the reload applies and requires nothing.
        AgentProcess.writeConfig("sampling: {interval: 200ms}\nlatency_service: {listen: 127.0.0.1:0}", in: directory)
        agent.send(SIGHUP)
        #expect(await agent.waitFor { agent.records("agent_reload").count == 1 })
        #expect(agent.records("agent_reload").first?["restart_required"] as? [String] == [])

        // A changed service: the rest applies, the service keeps its settings, and both records say so.
        AgentProcess.writeConfig("sampling: {interval: 300ms}\nlatency_service: {listen: 127.0.0.1:0, queue: 9}", in: directory)
        agent.send(SIGHUP)
        #expect(await agent.waitFor { agent.records("agent_reload").count == 2 })
        let reload = try #require(agent.records("agent_reload").last)
        #expect(reload["restart_required"] as? [String] == ["latency_service"])
        let config = try #require(reload["config"] as? [String: Any])
        #expect(config["sampling_interval_s"] as? Double == 0.3)
        #expect(config["latency_service"] as? String == "127.0.0.1:0")
        let error = try #require(agent.records("agent_error", onStderr: true).last)
        #expect(error["source"] as? String == "reload")
        #expect((error["action"] as? String)?.contains("restart the agent") == true)
        #expect(try await Self.health(port)["max_queue"] as? Int == 4, "the running service kept its queue")

        // Turning the service off is a restart too; an invalid service entry is refused as a whole.
        AgentProcess.writeConfig("sampling: {interval: 100ms}\nlatency_service: {listen: \"0.0.0.0:0\"}", in: directory)
        agent.send(SIGHUP)
        #expect(await agent.waitFor { agent.records("agent_error", onStderr: true).count == 2 })
        let refused = try #require(agent.records("agent_error", onStderr: true).last)
        #expect((refused["message"] as? String)?.contains("latency_service.token_file") == true)
        #expect(refused["action"] as? String == "keeping the previous configuration")
        #expect(agent.records("agent_reload").count == 2)
        try await Self.stop(agent)
    }
}
