import Glibc
import Synchronization

/// Replacing this process with another edgeprobe executable (`execv`): same process id, the
/// arguments given, the same environment. Before the call the calling thread's signal mask is
/// cleared (it is inherited across exec, and a blocked SIGTERM would never stop the new program)
/// and every descriptor this process opened is marked close-on-exec, so nothing it opened leaks
/// into the long-running one. Descriptors it was started with stay open: they are its parent's,
/// and the hand-over is to be invisible to the parent (swift-corelibs-foundation's `Process`, for
/// one, takes the end of a descriptor it gave the child for the child's exit). If `execv` fails,
/// both are put back.
public enum ProcessHandOff {
    /// Descriptors above 2 open when this process started; `nil` until recorded.
    private static let startedWith = Mutex<Set<Int32>?>(nil)

    /// Notes the descriptors this process was started with, so a hand-over passes them on and
    /// closes only those opened since. `CommandMain` calls it first thing.
    public static func recordInheritedDescriptors() {
        let open = openDescriptors()
        startedWith.withLock { $0 = Set(open) }
    }

    /// Replaces this process with `program` when `EDGEPROBE_IN_PROCESS` is unset, the running
    /// executable is not already it and it is installed (`InstallLayout`); returns only when
    /// the command should go on in this process.
    /// - Parameter arguments: the new program's arguments after its name; by default this
    ///   process's own, so the command runs there exactly as it was typed.
    public static func handOff(to program: EdgeprobeProgram, arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        guard getenv("EDGEPROBE_IN_PROCESS") == nil, let layout = InstallLayout.current(),
              layout.runningProgram != program, let path = layout.path(of: program) else { return }
        exec(path, arguments: [CommandLine.arguments.first ?? program.name] + arguments)
    }

    /// Replaces this process with the executable at `path`; returns only if that fails.
    public static func exec(_ path: String, arguments: [String]) {
        exec(path, arguments: arguments, descriptors: openDescriptors())
    }

    /// `exec`, marking only `descriptors` (of those this process opened) close-on-exec. Tests pass
    /// their own: marking, and on failure unmarking, every descriptor of a test process would
    /// race with the files and sockets of the tests running beside them.
    static func exec(_ path: String, arguments: [String], descriptors: [Int32]) {
        let prepared = prepareForExec(descriptors: descriptors)
        let argv = arguments.map { strdup($0) } + [nil]
        execv(path, argv)
        // execv returns only on failure: undo and go on here.
        argv.forEach { free($0) }
        prepared.undo()
    }

    /// What `prepareForExec(descriptors:)` changed, to put back if `execv` fails.
    struct Preparation {
        /// The calling thread's signal mask before.
        var previousMask: sigset_t
        /// Descriptors that were marked close-on-exec.
        var marked: [Int32]

        /// Puts the signal mask and the descriptors' flags back.
        func undo() {
            for descriptor in marked { _ = fcntl(descriptor, F_SETFD, 0) }
            var mask = previousMask
            pthread_sigmask(SIG_SETMASK, &mask, nil)
        }
    }

    /// Clears the calling thread's signal mask and marks those of `descriptors` (the open ones
    /// above 2) this process opened (all of them when `recordInheritedDescriptors()` was not
    /// called) close-on-exec. The descriptors are marked, not closed (as `close_range` would), so
    /// that a failed `execv` leaves this process as it was.
    static func prepareForExec(descriptors: [Int32]) -> Preparation {
        var nothing = sigset_t()
        sigemptyset(&nothing)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_SETMASK, &nothing, &previousMask)
        let inherited = startedWith.withLock { $0 } ?? []
        return Preparation(previousMask: previousMask, marked: markCloseOnExec(descriptors, keeping: inherited))
    }

    /// Sets FD_CLOEXEC on each of `descriptors` that lacks it, except those `kept`; returns those
    /// it changed.
    static func markCloseOnExec(_ descriptors: [Int32], keeping kept: Set<Int32>) -> [Int32] {
        var marked: [Int32] = []
        for descriptor in descriptors where !kept.contains(descriptor) {
            let flags = fcntl(descriptor, F_GETFD)
            guard flags >= 0, flags & FD_CLOEXEC == 0, fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) == 0 else { continue }
            marked.append(descriptor)
        }
        return marked
    }

    /// The open descriptors above 2, from `/proc/self/fd`.
    static func openDescriptors() -> [Int32] {
        var open: [Int32] = []
        guard let directory = opendir("/proc/self/fd") else { return open }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name), descriptor > STDERR_FILENO, descriptor != dirfd(directory) { open.append(descriptor) }
        }
        return open
    }
}
