import Foundation
import Glibc
import TestSupport
import Testing

/// `edgeprobe agent` checks the configuration, then replaces itself with the small
/// `edgeprobe-agent`, passing its command line on unchanged: the small one must accept every
/// option the full one does. The hand-over is invisible to the parent: descriptors it gave the
/// full one reach the small one (what the full one opened itself does not: ProcessHandOffTests,
/// as for the signal mask).
@Suite(.timeLimit(.minutes(1))) struct AgentHandOffTests {

    /// The names of `agent`'s options in `executable`, from ArgumentParser's description of the command.
    private static func optionNames(_ executable: String) async throws -> Set<String> {
        let help = try await TestProcess.run(executable, ["agent", "--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(help.stdout.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        let arguments = try #require(command["arguments"] as? [[String: Any]])
        var names: Set<String> = []
        for argument in arguments {
            let kind = argument["kind"] as? String ?? "?"
            for name in argument["names"] as? [[String: Any]] ?? [] {
                names.insert("\(kind) \(name["kind"] as? String ?? "?") \(name["name"] as? String ?? "?")")
            }
        }
        return names
    }

    @Test func everyOptionOfTheFullAgentParsesInTheSmallOne() async throws {
        let full = try await Self.optionNames(BuiltExecutable.path("edgeprobe"))
        let small = try await Self.optionNames(BuiltExecutable.path("edgeprobe-agent"))
        #expect(full.contains("option long config") && full.contains("flag long check"), "\(full.sorted())")
        #expect(full.subtracting(small).isEmpty, "only the full agent accepts \(full.subtracting(small).sorted())")
    }

    @Test func theParentsDescriptorsReachTheSmallAgent() throws {
        let work = TemporaryDirectory(prefix: "hand-off")
        let config = work.write("sampling: {interval: 100ms}\n", to: "agent.yaml")
        let output = work.write("", to: "stdout.jsonl")
        let marker = work.write("", to: "inherited")

        // An extra descriptor without close-on-exec, as Foundation's Process gives its children to see them end.
        let inherited = open(marker, O_RDONLY)
        try #require(inherited > STDERR_FILENO)
        defer { close(inherited) }
        let stdout = open(output, O_WRONLY | O_APPEND | O_CLOEXEC)
        defer { close(stdout) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        let executable = BuiltExecutable.path("edgeprobe")
        let arguments: [String] = [executable, "agent", "--config", config]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0)
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }

        // The first sample is written by the small agent, after the hand-over.
        #expect(waitUntil { AgentProcess.lines(output).contains { $0.contains(#""type":"sample""#) } })
        let running = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        try #require(running.hasSuffix("/edgeprobe-agent"), "no hand-over: \(running)")

        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        let targets = descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
        #expect(targets.contains(marker), "the parent's descriptor was closed at the hand-over: \(targets)")
    }
}
