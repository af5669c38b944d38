import Glibc
import Synchronization

/// A process the agent starts for work it does not do itself (a benchmark suite, the latency
/// service, a configuration check): `posix_spawn` of an executable with the agent's environment,
/// one of its standard streams (normally its output) a pipe the agent reads, the other the agent's.
///
/// The agent stays small because it does not link what these children need (kernels, models,
/// YAML profiles, HTTP); a child costs memory only while it runs.
public final class ChildProcess: Sendable {
    /// What ended a child.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal killed it.
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "was killed by \(AgentContext.signalName(signal))"
            }
        }
    }

    /// The child's process id.
    public let pid: pid_t
    private let readEnd: Int32

    /// Starts `executable` with `arguments` (without the program name). Its stream `captured`
    /// (standard output unless told otherwise) is a pipe read by `forEachLine(_:)` or
    /// `readAll()`; its other streams are the agent's.
    /// - Throws: `ChildProcessError` when the pipe or the process cannot be made.
    public init(executable: String, arguments: [String], capturing captured: Int32 = STDOUT_FILENO) throws(ChildProcessError) {
        // Making the pipe close-on-exec and spawning happen under one lock: a child started
        // meanwhile from another thread would otherwise inherit this pipe's writing end and keep
        // it open (the reader would then wait for that child too).
        (pid, readEnd) = try Self.spawning.withLock { _ throws(ChildProcessError) in
            try Self.spawn(executable: executable, arguments: arguments, capturing: captured)
        }
    }

    private static let spawning = Mutex(())

    private static func spawn(
        executable: String, arguments: [String], capturing captured: Int32
    ) throws(ChildProcessError) -> (pid_t, Int32) {
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else { throw ChildProcessError(executable: executable, errno: errno) }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], captured)
        // The child starts with default signal handling, whatever the agent traps.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        close(pipeEnds[1])
        guard status == 0 else {
            close(pipeEnds[0])
            throw ChildProcessError(executable: executable, errno: status)
        }
        return (child, pipeEnds[0])
    }

    deinit {
        close(readEnd)
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Hands every whole line of the captured stream (newline included) to `body` until the
    /// child closes it, normally when it exits. A last line without its newline is completed.
    /// Blocks.
    public func forEachLine(_ body: ([UInt8]) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                pending.append(contentsOf: buffer[start...index])
                body(pending)
                pending.removeAll(keepingCapacity: true)
                start = index + 1
            }
            pending.append(contentsOf: buffer[start..<count])
        }
        if !pending.isEmpty {
            pending.append(UInt8(ascii: "\n"))
            body(pending)
        }
    }

    /// The captured stream's whole text, read until the child closes it. Blocks.
    public func readAll() -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return result }
            result.append(contentsOf: buffer[..<count])
        }
    }

    /// Waits for the child to end and collects it. Blocks.
    public func wait() -> Termination {
        waitUntilExited()
        return reap()
    }

    /// Waits for the child to end without collecting it: until `reap()`, its process id stays
    /// its own, so a signal sent meanwhile cannot reach another process. Blocks.
    public func waitUntilExited() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
    }

    /// Collects the ended child and says how it ended. Blocks until it has ended.
    public func reap() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return .exited(-1) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}
