import Foundation
import TestSupport
import Testing
@testable import AgentConfig

@Suite struct AgentConfigurationTests {
    private func parse(_ yaml: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration.parse(yaml: yaml, path: "agent.yaml")
    }

    private func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Valid files

    @Test func readsEveryKeyWithUnits() throws {
        let configuration = try parse("""
            sampling:
              interval: 500ms
            board: raspberry-pi-4
            outputs:
              stdout: false
              file: {path: /var/lib/edgeprobe/agent.jsonl, max_size: 2MiB, keep: 3}
            schedule:
              - suite: conv-default
                every: 6h
                max_cpu_busy_pct: 15
                max_temp_c: 55.5
                retry_after: 10m
                min_time: 250ms
                warmup: 2
                min_iterations: 5
            """)
        #expect(configuration.samplingIntervalS == 0.5)
        #expect(configuration.board == "raspberry-pi-4")
        #expect(configuration.outputs == .init(
            standardOutput: false, file: .init(path: "/var/lib/edgeprobe/agent.jsonl", maxBytes: 2 << 20, keep: 3)))
        #expect(configuration.schedule == [.init(
            suite: "conv-default", everyS: 6 * 3600, maxCpuBusyPct: 15, maxTempC: 55.5, retryAfterS: 600,
            minTimeS: 0.25, warmup: 2, minIterations: 5)])
    }

    @Test func anEmptyMappingGivesTheDocumentedDefaults() throws {
        let configuration = try parse("{}")
        #expect(configuration.samplingIntervalS == 1)
        #expect(configuration.board == "generic")
        #expect(configuration.outputs == .init(standardOutput: true, file: nil))
        #expect(configuration.schedule.isEmpty)
    }

    @Test func scheduleDefaults() throws {
        let entry = try #require(try parse("schedule: [{suite: s, every: 1h}]").schedule.first)
        #expect(entry.maxCpuBusyPct == 25)
        #expect(entry.maxTempC == 70)
        #expect(entry.retryAfterS == 300)
        #expect(entry.minTimeS == 1)
        #expect(entry.warmup == 5)
        #expect(entry.minIterations == 20)
    }

    @Test func aSoakEntryWithItsDurationAndWindow() throws {
        let entry = try #require(try parse("schedule: [{soak: mobilenet-v2-96, every: 1d, duration: 10m}]").schedule.first)
        #expect(entry.suite == "mobilenet-v2-96")
        #expect(entry.everyS == 86_400)
        #expect(entry.soak == AgentConfiguration.ScheduledSoak(durationS: 600, windowS: 10))
        #expect(entry.maxTempC == 70)
        let suite = try #require(try parse("schedule: [{suite: s, every: 1h}]").schedule.first)
        #expect(suite.soak == nil)
    }

    @Test func soakEntriesRejectSuiteKeysBothKindsAndWindowsLongerThanTheDuration() {
        #expect(error("schedule: [{soak: a, suite: s, every: 1d}]")?.key == "schedule[0].soak")
        #expect(error("schedule: [{soak: a, every: 1d, min_time: 2s}]")?.key == "schedule[0].min_time")
        #expect(error("schedule: [{soak: a, every: 1d, duration: 10s, window: 20s}]")?.key == "schedule[0].window")
        #expect(error("schedule: [{soak: a, every: 1d, duration: 0s}]")?.key == "schedule[0].duration")
    }

    @Test func theShippedExampleIsValid() throws {
        let configuration = try AgentConfiguration.load(path: Repository.path("Deploy/agent.example.yaml"))
        #expect(configuration.samplingIntervalS == 1)
        #expect(configuration.outputs.file != nil)
        #expect(!configuration.schedule.isEmpty)
    }

    // MARK: - Errors name the key

    @Test func unknownKeysAreRejectedWithTheirFullPath() {
        #expect(error("samplng: {interval: 1s}")?.key == "samplng")
        #expect(error("sampling: {intervall: 1s}")?.key == "sampling.intervall")
        #expect(error("outputs: {file: {path: /x, max_bytes: 10}}")?.key == "outputs.file.max_bytes")
        #expect(error("schedule: [{suite: s, every: 1h}, {suite: t, every: 1h, evry: 2h}]")?.key == "schedule[1].evry")
        #expect(error("samplng: {interval: 1s}")?.problem == "unknown key")
    }

    @Test func badValuesSayWhatWasExpected() {
        let interval = error("sampling: {interval: fast}")
        #expect(interval?.key == "sampling.interval")
        #expect(interval?.problem.contains("expected a duration") == true)
        #expect(interval?.line == 1)
        #expect(error("sampling: {interval: 0s}")?.problem.contains("must be between 100ms and") == true)
        #expect(error("outputs: {file: {path: /x, max_size: lots}}")?.key == "outputs.file.max_size")
        #expect(error("outputs: {file: {path: /x, keep: -1}}")?.key == "outputs.file.keep")
        #expect(error("outputs: {stdout: maybe}")?.problem.contains("true or false") == true)
        #expect(error("schedule: [{suite: s, every: 1h, max_cpu_busy_pct: 150}]")?.key == "schedule[0].max_cpu_busy_pct")
        #expect(error("schedule: {suite: s}")?.problem.contains("expected a list") == true)
    }

    @Test func requiredKeysAndImpossibleCombinations() {
        #expect(error("outputs: {file: {keep: 2}}")?.key == "outputs.file.path")
        #expect(error("outputs: {file: {path: relative.jsonl}}")?.problem.contains("absolute") == true)
        #expect(error("schedule: [{every: 1h}]")?.key == "schedule[0].suite")
        #expect(error("schedule: [{suite: s}]")?.key == "schedule[0].every")
        #expect(error("outputs: {stdout: false}")?.key == "outputs.stdout")
    }

    @Test func unreadableAndMalformedFiles() {
        #expect(throws: ConfigError.self) { try AgentConfiguration.load(path: "/nonexistent/agent.yaml") }
        #expect(error("")?.problem == "the file is empty")
        #expect(error("sampling: [unclosed")?.problem.contains("not valid YAML") == true)
        #expect(error("- a\n- b")?.problem.contains("expected a mapping") == true)
    }

    @Test func aKeyWrittenTwiceIsAnError() {
        let problem = error("board: a\nsampling: {interval: 1s}\nboard: b")
        #expect(problem?.key == "board")
        #expect(problem?.problem == "appears twice (first on line 1)")
        #expect(problem?.line == 3)
        #expect(error("schedule: [{suite: s, every: 1h, every: 2h}]")?.key == "schedule[0].every")
    }

    @Test func syntaxErrorsGiveLibyamlsProblemAndTheLine() {
        let problem = error("sampling:\n  interval: 1s\n board: x\n")
        #expect(problem?.line == 3)
        #expect(problem?.problem.hasPrefix("not valid YAML: ") == true)
        #expect(problem?.problem.contains("at line 3 column 2") == true)
        #expect(problem?.description.hasPrefix("agent.yaml:3: not valid YAML") == true)
    }

    @Test func quotedValuesAreTextNotBooleansOrNumbers() {
        #expect(error("outputs: {stdout: \"true\"}")?.problem == "expected true or false, got 'true'")
        #expect(error("outputs: {file: {path: /x, keep: '3'}}")?.key == "outputs.file.keep")
        #expect(error("schedule: [{suite: s, every: 1h, max_temp_c: \"60\"}]")?.key == "schedule[0].max_temp_c")
        #expect((try? parse("board: \"123\"").board) == "123")
        #expect((try? parse("outputs: {stdout: yes}").outputs.standardOutput) == true)
    }

    @Test func nullValuesMeanTheDefault() throws {
        let configuration = try parse("sampling: {interval: ~}\nboard: null\noutputs:\nschedule:")
        #expect(configuration.samplingIntervalS == 1)
        #expect(configuration.board == "generic")
        #expect(configuration.outputs == .init(standardOutput: true, file: nil))
        #expect(error("board: \"null\"") == nil)
        #expect((try? parse("board: \"null\"").board) == "null")
    }

    @Test func aliasesRepeatTheNodeTheyName() throws {
        let configuration = try parse("""
            schedule:
              - &nightly {suite: conv-default, every: 6h, max_temp_c: 60}
              - *nightly
            """)
        #expect(configuration.schedule.count == 2)
        #expect(configuration.schedule[0] == configuration.schedule[1])
        #expect(configuration.schedule[1].maxTempC == 60)
        #expect(error("board: *nowhere")?.problem.contains("alias *nowhere names no anchor") == true)
    }

    @Test func messageNamesFileLineAndKey() {
        let error = ConfigError(file: "/etc/edgeprobe/agent.yaml", key: "sampling.interval", problem: "bad", line: 3)
        #expect(error.description == "/etc/edgeprobe/agent.yaml:3: sampling.interval: bad")
    }

    /// The configuration reads durations with the same grammar as the command line (`--min-time 250us`).
    @Test func durationsUseTheOneGrammar() throws {
        let schedule = try parse("schedule: [{suite: s, every: 1d, min_time: 250us}]").schedule
        #expect(schedule.first?.everyS == 86_400)
        #expect(schedule.first?.minTimeS == 0.00025)
    }
}
