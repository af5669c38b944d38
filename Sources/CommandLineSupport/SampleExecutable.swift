import Glibc

/// `edgeprobe sample` may run for months at one line a second, so it runs from a small
/// executable of its own, `edgeprobe-sample`: the same command without the benchmarks, models,
/// YAML parser, HTTP server and Foundation the full `edgeprobe` links, and without the shared
/// libraries those load at start-up. That keeps its resident set at a few MiB.
///
/// `edgeprobe sample ...` replaces itself with `edgeprobe-sample sample ...` (same process, same
/// arguments, same environment) when that executable sits beside it or in
/// `../libexec/edgeprobe/`; otherwise, or with `EDGEPROBE_IN_PROCESS=1`, it samples in-process.
public enum SampleExecutable {
    /// The lean executable's file name.
    public static let name = "edgeprobe-sample"

    /// Replaces this process with the lean executable when this is not it and it is installed;
    /// returns only when sampling should go on in this process.
    public static func handOff() {
        guard getenv("EDGEPROBE_IN_PROCESS") == nil, let running = runningExecutable(),
              basename(of: running) != name, let lean = installed(besides: running) else { return }
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv(lean, arguments)
        // execv returns only on failure: sample here instead.
        arguments.forEach { free($0) }
    }

    /// Where the lean executable is installed relative to the running executable, if it is.
    static func installed(besides running: String) -> String? {
        let directory = String(running[..<(running.lastIndex(of: "/") ?? running.startIndex)])
        return [directory + "/" + name, directory + "/../libexec/edgeprobe/" + name]
            .first { access($0, X_OK) == 0 }
    }

    private static func runningExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func basename(of path: String) -> Substring {
        path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...]
    }
}
