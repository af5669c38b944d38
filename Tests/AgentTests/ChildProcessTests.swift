import Agent
import Glibc
import Testing

/// The agent's child processes: lines whole and in order, a missing last newline completed,
/// standard error captured when asked, how a child ended.
@Suite(.timeLimit(.minutes(1))) struct ChildProcessTests {
    private static func lines(of child: ChildProcess) -> [String] {
        var lines: [String] = []
        child.forEachLine { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    @Test func linesArriveWholeAndALastLineWithoutNewlineIsCompleted() throws {
        // 20 000 lines cross many 16 KiB reads, so lines are split between reads.
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "seq 1 20000; printf 'last'"])
        let lines = Self.lines(of: child)
        #expect(child.wait() == .exited(0))
        #expect(lines.count == 20_001)
        #expect(lines.first == "1\n" && lines[19_999] == "20000\n")
        #expect(lines.last == "last\n")
    }

    @Test func standardErrorIsCapturedWhenAskedAndTheStatusIsKept() throws {
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "echo out; echo 'edgeprobe: broken' >&2; exit 3"],
            capturing: STDERR_FILENO)
        let text = String(decoding: child.readAll(), as: UTF8.self)
        #expect(child.wait() == .exited(3))
        #expect(text == "edgeprobe: broken\n")
    }

    @Test func aSignalledChildSaysWhichSignal() throws {
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
        child.send(SIGTERM)
        let termination = child.wait()
        #expect(termination == .signalled(SIGTERM))
        #expect(termination.description == "was killed by SIGTERM")
    }

    @Test func aMissingExecutableIsAnErrorNamingIt() {
        #expect(throws: ChildProcessError.self) {
            try ChildProcess(executable: "/nonexistent/edgeprobe", arguments: [])
        }
        do {
            _ = try ChildProcess(executable: "/nonexistent/edgeprobe", arguments: [])
        } catch {
            #expect(error.description == "cannot start /nonexistent/edgeprobe: No such file or directory")
        }
    }
}
