import Glibc

/// The long-running modes may run for months, so each runs from a small executable of its own:
/// `edgeprobe-sample` for `edgeprobe sample`, `edgeprobe-agent` for `edgeprobe agent`. They are
/// the same commands without the benchmarks, models, YAML profiles, HTTP server and Foundation
/// the full `edgeprobe` links, and without the shared libraries those load at start-up, which
/// keeps their resident sets at a few MiB. (The agent starts the full `edgeprobe` as a child
/// process for a suite's run, the latency service and reload checks.)
///
/// `edgeprobe sample ...` replaces itself with `edgeprobe-sample sample ...` (same process, same
/// arguments, same environment) when that executable sits beside it or in
/// `../libexec/edgeprobe/`; otherwise, or with `EDGEPROBE_IN_PROCESS=1`, it runs in-process.
public struct LeanExecutable: Sendable {
    /// The executable's file name.
    public let name: String

    /// The executable of `edgeprobe sample`.
    public static let sample = LeanExecutable(name: "edgeprobe-sample")
    /// The executable of `edgeprobe agent`.
    public static let agent = LeanExecutable(name: "edgeprobe-agent")

    /// Replaces this process with the lean executable when this is not it and it is installed;
    /// returns only when the command should go on in this process.
    public func handOff() {
        guard getenv("EDGEPROBE_IN_PROCESS") == nil, let running = Self.running(),
              Self.basename(of: running) != name, let lean = installed(besides: running) else { return }
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv(lean, arguments)
        // execv returns only on failure: run here instead.
        arguments.forEach { free($0) }
    }

    /// Where the lean executable is installed relative to the running executable, if it is.
    func installed(besides running: String) -> String? {
        let directory = String(running[..<(running.lastIndex(of: "/") ?? running.startIndex)])
        return [directory + "/" + name, directory + "/../libexec/edgeprobe/" + name]
            .first { access($0, X_OK) == 0 }
    }

    /// The path of the running executable (`/proc/self/exe`).
    public static func running() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func basename(of path: String) -> Substring {
        path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...]
    }
}
