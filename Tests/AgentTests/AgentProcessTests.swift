import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// `edgeprobe agent` end to end, as a child process: readiness, watchdog and stopping over a fake
/// `NOTIFY_SOCKET`, SIGTERM in the middle of a benchmark, SIGHUP reloads, failing outputs.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AgentProcessTests {
    /// A suite of two small layers (with a pair), measured in milliseconds.
    private static let tinySuite = """
        name: tiny
        layers:
          - {name: tiny-conv, op: conv, cin: 8, h: 16, w: 16, cout: 8, k: 3}
          - {name: tiny-depthwise, op: depthwise, cin: 8, h: 16, w: 16, k: 3}
        pairs:
          - {name: tiny-pair, baseline: tiny-conv, candidate: tiny-depthwise}
        """

    /// A suite that runs until it is stopped: with a `min_time` of minutes, each layer is
    /// measured up to the cap of 100,000 iterations, which takes minutes for layers this large.
    private static let longSuite = """
        name: long
        layers:
          - {name: long-conv, op: conv, cin: 64, h: 56, w: 56, cout: 64, k: 3}
          - {name: long-depthwise, op: depthwise, cin: 64, h: 56, w: 56, k: 3}
        """

    /// Every line whole, a JSON object of schema edgeprobe/1, `seq` counting up from 0 in each
    /// run: the agent's own, and each suite's (a child process with its own `run_id`).
    private static func expectWholeRecords(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.isEmpty || text.hasSuffix("\n"), "output ends inside a line", sourceLocation: sourceLocation)
        let lines = text.split(separator: "\n").map(String.init)
        var sequences: [String: [Int]] = [:]
        for line in lines {
            guard let record = JSONLines.object(line) else {
                Issue.record("not a JSON object: \(line.prefix(200))", sourceLocation: sourceLocation)
                continue
            }
            #expect(record["schema"] as? String == "edgeprobe/1", sourceLocation: sourceLocation)
            sequences[record["run_id"] as? String ?? "", default: []].append(record["seq"] as? Int ?? -1)
        }
        for (run, sequence) in sequences {
            #expect(sequence == Array(0..<sequence.count), "seq of run \(run) is not 0, 1, 2, ...", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Shutdown

    /// The suite runs until stopped (`longSuite`), so the SIGTERM sent once `run_start` is out
    /// lands inside it however slow the machine. How fast the agent stops is measured by
    /// Benchmarks/stop-latency.sh; this test only needs it to stop.
    @Test func sigtermDuringABenchmarkExitsZeroWithWholeLines() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        _ = FileManager.default.createFile(atPath: directory + "/tiny.yaml", contents: Data(Self.longSuite.utf8))
        AgentProcess.writeConfig("""
            sampling: {interval: 200ms}
            outputs:
              stdout: true
              file: {path: \(directory)/agent.jsonl, max_size: 4KiB, keep: 1000}
            schedule:
              - {suite: \(directory)/tiny.yaml, every: 1h, max_cpu_busy_pct: 100, max_temp_c: 150,
                 min_time: 10m, warmup: 1, min_iterations: 2}
            """, in: directory)
        let listener = try NotifySocketListener()
        let agent = try AgentProcess(
            directory: directory, environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "2000000"])

        let ready = await listener.receive(until: { $0.hasPrefix("READY=1") })
        #expect(ready != nil, "no READY=1 from the agent")
        #expect(await listener.receive(until: { $0 == "WATCHDOG=1" }) != nil, "no WATCHDOG=1 from the sampling loop")
        #expect(await agent.waitFor { !agent.records("run_start").isEmpty }, "the scheduled suite did not start")
        // While the suite started, unread WATCHDOG=1 datagrams may have filled the socket's queue
        // (one a second; under load the start took long enough), and the agent drops what it
        // cannot queue: STOPPING=1 was lost that way once beside stress-ng. Make room first.
        listener.drain()
        agent.send(SIGTERM)
        // Read up to STOPPING=1 before waiting for the exit: the agent sends one WATCHDOG=1 a
        // second, and a Unix datagram socket holds only 10 unread ones (max_dgram_qlen) before
        // its sender blocks, so on a slow machine the agent would wait on this listener forever.
        #expect(await listener.receive(until: { $0 == "STOPPING=1" }) != nil, "no STOPPING=1")
        #expect(try #require(await agent.waitForExit()) == 0)
        #expect(!agent.wasKilledBySignal)
        Self.expectWholeRecords(agent.stdoutText)
        let runEnd = try #require(agent.records("run_end").first)
        #expect(runEnd["interrupted"] as? Bool == true)
        let agentRun = try #require(agent.records("agent_start").first?["run_id"] as? String)
        #expect(runEnd["run_id"] as? String != agentRun, "the suite runs in a child process, a run of its own")
        #expect(runEnd["signal"] as? String == "SIGTERM")
        let last = try #require(agent.stdoutLines.last.flatMap(JSONLines.object))
        #expect(last["type"] as? String == "agent_stop")
        #expect(last["reason"] as? String == "SIGTERM")
        #expect(last["benchmark_interrupted"] as? Bool == true)
        #expect(last["benchmark_runs"] as? Int == 1)
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText)
        #expect(schemas.problems.isEmpty, "\(schemas.problems)")
        #expect(schemas.checkedTypes.isSuperset(of: ["agent_start", "run_start", "run_end", "agent_stop"]))

        // The rotated files hold the same lines, whole, in order, none lost. (A 200 ms sampler
        // fills about one 4 KiB file a second; on a loaded machine this test ran 42 s.)
        let files = ((1...1000).reversed().map { "\(directory)/agent.jsonl.\($0)" } + [directory + "/agent.jsonl"])
            .filter { FileManager.default.fileExists(atPath: $0) }
        #expect(files.count > 1, "4 KiB files should have rotated")
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/agent.jsonl.1000"), "rotation may have dropped the oldest lines")
        let fileText = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        #expect(fileText == agent.stdoutText)
    }

    @Test func sigintStopsAnIdleAgentWithReasonSigint() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("sampling: {interval: 100ms}", in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(await agent.waitFor { agent.records("sample").count >= 2 })
        // `edgeprobe agent` validated the configuration, then handed its process over.
        #expect(agent.runningExecutable?.hasSuffix("/edgeprobe-agent") == true, "\(agent.runningExecutable ?? "?")")
        agent.send(SIGINT)
        #expect(try #require(await agent.waitForExit()) == 0)
        Self.expectWholeRecords(agent.stdoutText)
        #expect(agent.records("agent_stop").first?["reason"] as? String == "SIGINT")
    }

    @Test func inProcessTheFullExecutableRunsTheSameAgent() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("sampling: {interval: 100ms}", in: directory)
        let agent = try AgentProcess(directory: directory, environment: ["EDGEPROBE_IN_PROCESS": "1"])
        #expect(await agent.waitFor { agent.records("sample").count >= 2 })
        #expect(agent.runningExecutable?.hasSuffix("/edgeprobe") == true, "\(agent.runningExecutable ?? "?")")
        agent.send(SIGTERM)
        #expect(try #require(await agent.waitForExit()) == 0)
        #expect(agent.records("agent_stop").first?["reason"] as? String == "SIGTERM")
    }

    // MARK: - Configuration

    @Test func aConfigErrorExitsOneNamingTheKeyBeforeAnythingRuns() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("sampling:\n  interval: 1s\n  jitter: 2\n", in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(try #require(await agent.waitForExit()) == 1)
        #expect(agent.stdoutText.isEmpty)
        #expect(agent.stderrLines == ["edgeprobe: \(directory)/agent.yaml:3: sampling.jitter: unknown key"])
    }

    @Test func aMissingSuiteIsAConfigErrorToo() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("schedule: [{suite: \(directory)/nope.yaml, every: 1h}]", in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(try #require(await agent.waitForExit()) == 1)
        #expect(agent.stdoutText.isEmpty)
        #expect(agent.stderrLines.first?.contains("schedule[0].suite") == true)
    }

    @Test func sighupAppliesAValidConfigAndKeepsTheOldOneOnAnInvalidOne() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("sampling: {interval: 100ms}", in: directory)
        let listener = try NotifySocketListener()
        let agent = try AgentProcess(directory: directory, environment: ["NOTIFY_SOCKET": listener.address])
        #expect(await listener.receive(until: { $0.hasPrefix("READY=1") }) != nil)

        AgentProcess.writeConfig("sampling: {interval: 300ms}\noutputs: {file: {path: \(directory)/after.jsonl}}", in: directory)
        agent.send(SIGHUP)
        #expect(await agent.waitFor { !agent.records("agent_reload").isEmpty })
        let reload = try #require(agent.records("agent_reload").first)
        let applied = try #require(reload["config"] as? [String: Any])
        #expect(applied["sampling_interval_s"] as? Double == 0.3)
        #expect(reload["outputs_changed"] as? Bool == true)
        #expect(await listener.receive(until: { $0.hasPrefix("RELOADING=1") }) != nil)
        #expect(await listener.receive(until: { $0.hasPrefix("READY=1") }) != nil)
        #expect(await agent.waitFor { AgentProcess.lines(directory + "/after.jsonl").count >= 2 }, "the new file output gets records")

        AgentProcess.writeConfig("sampling: {interval: never}", in: directory)
        agent.send(SIGHUP)
        #expect(await agent.waitFor { !agent.records("agent_error", onStderr: true).isEmpty })
        let error = try #require(agent.records("agent_error", onStderr: true).first)
        #expect(error["source"] as? String == "reload")
        #expect((error["message"] as? String)?.contains("sampling.interval") == true)
        #expect(error["action"] as? String == "keeping the previous configuration")
        #expect(agent.records("agent_error").count == 1, "the error is also in the outputs")
        let samplesBefore = agent.records("sample").count
        #expect(await agent.waitFor { agent.records("sample").count >= samplesBefore + 2 }, "sampling goes on")

        agent.send(SIGTERM)
        #expect(try #require(await agent.waitForExit()) == 0)
        Self.expectWholeRecords(agent.stdoutText)
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText + agent.stderrLines.map { $0 + "\n" }.joined())
        #expect(schemas.problems.isEmpty, "\(schemas.problems)")
        #expect(schemas.checkedTypes.isSuperset(of: ["agent_start", "agent_reload", "agent_error", "agent_stop"]))
    }

    @Test func aReloadThatAddsAScheduleStartsTheSuite() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        _ = FileManager.default.createFile(atPath: directory + "/tiny.yaml", contents: Data(Self.tinySuite.utf8))
        AgentProcess.writeConfig("sampling: {interval: 100ms}", in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(await agent.waitFor { agent.records("sample").count >= 2 })
        AgentProcess.writeConfig("""
            sampling: {interval: 100ms}
            schedule:
              - {suite: \(directory)/tiny.yaml, every: 1h, max_cpu_busy_pct: 100, max_temp_c: 150,
                 min_time: 10ms, warmup: 1, min_iterations: 2}
            """, in: directory)
        agent.send(SIGHUP)
        #expect(await agent.waitFor { !agent.records("run_end").isEmpty }, "the newly scheduled suite ran")
        agent.send(SIGTERM)
        #expect(await agent.waitForExit() == 0)
        #expect(agent.records("run_end").first?["interrupted"] as? Bool == false)
        #expect(agent.records("agent_stop").first?["benchmark_runs"] as? Int == 1)
        Self.expectWholeRecords(agent.stdoutText)
    }

    @Test func aScheduledSoakRunsAsAChildBehindTheSameGate() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("""
            sampling: {interval: 100ms}
            schedule:
              - {soak: tiny, every: 1h, duration: 600ms, window: 200ms, warmup: 1, max_cpu_busy_pct: 100, max_temp_c: 150}
            """, in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(await agent.waitFor { !agent.records("run_end").isEmpty }, "the scheduled soak ran")
        agent.send(SIGTERM)
        #expect(await agent.waitForExit() == 0)
        let soak = try #require(agent.records("soak").first)
        #expect(soak["windows"] as? Int == 3)
        #expect((soak["workload"] as? [String: Any])?["name"] as? String == "tiny")
        #expect(agent.records("window").count == 3)
        let summary = agent.records("agent_start").first?["config"] as? [String: Any]
        #expect(summary?["scheduled_suites"] as? [String] == ["soak tiny"])
        #expect(agent.records("agent_stop").first?["benchmark_runs"] as? Int == 1)
        Self.expectWholeRecords(agent.stdoutText)
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText)
        #expect(schemas.valid, "\(schemas.problems)")
        #expect(schemas.checkedTypes.isSuperset(of: ["window", "soak", "run_end"]))
    }

    /// A due suite on a busy board is postponed with the figure and the limit. The test keeps
    /// one core busy so whole-machine utilization is well above 1%.
    @Test func aBusyBoardPostponesTheSuiteAndSaysWhy() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        _ = FileManager.default.createFile(atPath: directory + "/tiny.yaml", contents: Data(Self.tinySuite.utf8))
        AgentProcess.writeConfig("""
            sampling: {interval: 200ms}
            schedule: [{suite: \(directory)/tiny.yaml, every: 1h, max_cpu_busy_pct: 1, retry_after: 1h}]
            """, in: directory)
        let burning = Atomic<Bool>(true)
        let burner = Thread { while burning.load(ordering: .relaxed) {} }
        burner.start()
        defer { burning.store(false, ordering: .relaxed) }
        let agent = try AgentProcess(directory: directory)
        #expect(await agent.waitFor { !agent.records("agent_postpone").isEmpty })
        burning.store(false, ordering: .relaxed)
        agent.send(SIGTERM)
        #expect(await agent.waitForExit() == 0)

        let postponed = try #require(agent.records("agent_postpone").first)
        #expect((postponed["reason"] as? String)?.contains("above max_cpu_busy_pct 1.0%") == true)
        #expect((postponed["cpu_busy_pct"] as? Double ?? 0) > 1)
        #expect(postponed["retry_in_s"] as? Double == 3600)
        #expect(agent.records("run_start").isEmpty, "the suite did not run")
        #expect(agent.records("agent_stop").first?["benchmark_runs"] as? Int == 0)
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText)
        #expect(schemas.problems.isEmpty, "\(schemas.problems)")
        #expect(schemas.checkedTypes.contains("agent_postpone"))
    }

    // MARK: - Failing outputs

    @Test func aFullDeviceIsReportedOnStderrWhileSamplingContinues() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        AgentProcess.writeConfig("sampling: {interval: 100ms}\noutputs: {file: {path: /dev/full}}", in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(await agent.waitFor { agent.records("sample").count >= 5 })
        agent.send(SIGTERM)
        #expect(try #require(await agent.waitForExit()) == 0)

        let errors = agent.records("agent_error", onStderr: true)
        #expect(errors.count == 1, "reported once, not once per record")
        #expect(errors.first?["source"] as? String == "output.file")
        #expect((errors.first?["message"] as? String)?.contains("No space left on device") == true)
        Self.expectWholeRecords(agent.stdoutText)
        let stop = try #require(agent.records("agent_stop").first)
        let dropped = try #require(stop["dropped_records"] as? [String: Int])
        #expect(dropped["stdout"] == 0)
        #expect((dropped["file"] ?? 0) == agent.stdoutLines.count - 1, "every record but agent_stop itself was dropped by the file")
    }

    @Test func aClosedStandardOutputIsCountedWhileTheFileGoesOn() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        let file = directory + "/agent.jsonl"
        AgentProcess.writeConfig("sampling: {interval: 100ms}\noutputs: {stdout: true, file: {path: \(file)}}", in: directory)
        let agent = try AgentProcess(directory: directory, closedStdout: true)
        #expect(await agent.waitFor { !agent.records("agent_error", onStderr: true).isEmpty })
        #expect(await agent.waitFor { AgentProcess.lines(file).count >= 5 }, "sampling goes on into the file")
        agent.send(SIGTERM)
        #expect(try #require(await agent.waitForExit()) == 0, "SIGPIPE must not kill the agent")
        #expect(!agent.wasKilledBySignal)

        let error = try #require(agent.records("agent_error", onStderr: true).first)
        #expect(error["source"] as? String == "output.stdout")
        #expect((error["message"] as? String)?.contains("Broken pipe") == true)
        let records = AgentProcess.lines(file).compactMap(JSONLines.object)
        let stop = try #require(records.last)
        #expect(stop["type"] as? String == "agent_stop")
        #expect((stop["dropped_records"] as? [String: Int])?["stdout"] == records.count - 1)
    }

    /// A real full disk: a 64 KiB tmpfs filled up, then freed. Mounting needs root, which CI has.
    @Test(.enabled(if: getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true", "mounting a tmpfs needs root"))
    func aFullDiskDropsAndCountsRecordsThenResumes() async throws {
        let scratch = TemporaryDirectory(prefix: "agent")
        let directory = scratch.path
        let disk = directory + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: false)
        try await Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk)
        defer { _ = umount(disk) } // umount(2): a `defer` cannot wait for a process
        Self.fill(disk + "/filler")

        AgentProcess.writeConfig("sampling: {interval: 100ms}\noutputs: {file: {path: \(disk)/agent.jsonl}}", in: directory)
        let agent = try AgentProcess(directory: directory)
        #expect(await agent.waitFor { !agent.records("agent_error", onStderr: true).isEmpty }, "the full disk is reported")
        #expect(await agent.waitFor { agent.records("sample").count >= 5 }, "sampling continues")
        unlink(disk + "/filler")
        #expect(await agent.waitFor { !agent.records("agent_output_resumed").isEmpty }, "writing resumes")
        agent.send(SIGTERM)
        #expect(try #require(await agent.waitForExit()) == 0)

        let resumed = try #require(agent.records("agent_output_resumed").first)
        #expect(resumed["output"] as? String == "file")
        let lost = try #require(resumed["dropped_records"] as? Int)
        #expect(lost > 0)
        let fileLines = AgentProcess.lines(disk + "/agent.jsonl")
        #expect(fileLines.allSatisfy { JSONLines.object($0) != nil }, "only whole records in the file")
        #expect(fileLines.count + lost == agent.stdoutLines.count, "every record is either in the file or counted as dropped")
        let stop = try #require(agent.records("agent_stop").first)
        #expect((stop["dropped_records"] as? [String: Int])?["file"] == lost)
        let schemas = try await SchemaValidator.validateByType(agent.stdoutText + agent.stderrLines.map { $0 + "\n" }.joined())
        #expect(schemas.problems.isEmpty, "\(schemas.problems)")
        #expect(schemas.checkedTypes.isSuperset(of: ["agent_error", "agent_output_resumed", "agent_stop"]))
    }

    private static func fill(_ path: String) {
        guard let handle = fopen(path, "w") else { return }
        defer { fclose(handle) }
        let block = [UInt8](repeating: 0, count: 512)
        while fwrite(block, 1, block.count, handle) == block.count, fflush(handle) == 0 {}
    }

    private static func run(_ arguments: String...) async throws {
        let result = try await TestProcess.run(arguments[0], Array(arguments.dropFirst()))
        guard result.status == 0 else { throw TestSupportError("\(arguments) exited \(result.status): \(result.stderr)") }
    }
}
