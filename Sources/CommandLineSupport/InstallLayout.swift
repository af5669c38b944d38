import Glibc

/// edgeprobe's three executables. The long-running modes run from small executables of their own
/// (`edgeprobe-sample` for `edgeprobe sample`, `edgeprobe-agent` for `edgeprobe agent`): the same
/// commands without the benchmarks, models, YAML profiles, HTTP server and Foundation the full
/// `edgeprobe` links, and without the shared libraries those load at start-up, which keeps their
/// resident sets at a few MiB. The agent starts the full `edgeprobe` as a child process for a
/// suite, the latency service and reload checks.
public enum EdgeprobeProgram: String, Sendable, CaseIterable {
    /// The full command line, `PREFIX/bin/edgeprobe`.
    case edgeprobe = "edgeprobe"
    /// `edgeprobe sample` on its own, `PREFIX/libexec/edgeprobe/edgeprobe-sample`.
    case sample = "edgeprobe-sample"
    /// `edgeprobe agent` on its own, `PREFIX/libexec/edgeprobe/edgeprobe-agent`.
    case agent = "edgeprobe-agent"

    /// The executable's file name.
    public var name: String { rawValue }

    /// The folder under the prefix that `Deploy/install.sh` installs it in.
    public var installDirectory: String { self == .edgeprobe ? "bin" : "libexec/edgeprobe" }
}

/// Where edgeprobe's executables are, found from the one running: side by side in a build folder
/// (`.build/debug`, `.build/release`), or installed under one prefix in `bin/` and
/// `libexec/edgeprobe/` (`EdgeprobeProgram.installDirectory`). The one place that knows the layout.
public struct InstallLayout: Sendable, Equatable {
    /// The running executable's path.
    public let running: String

    /// The layout around the executable at `running`.
    public init(running: String) {
        self.running = running
    }

    /// The layout around this process's executable (`/proc/self/exe`); `nil` when it cannot be read.
    public static func current() -> InstallLayout? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return InstallLayout(running: String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Which program is running, by file name; a renamed executable is taken for the full `edgeprobe`.
    public var runningProgram: EdgeprobeProgram {
        EdgeprobeProgram(rawValue: String(running[(running.lastIndex(of: "/").map { running.index(after: $0) } ?? running.startIndex)...]))
            ?? .edgeprobe
    }

    /// The executable of `program`: beside the running one, or where the install puts it
    /// relative to the running one's install folder; `nil` when neither is executable.
    public func path(of program: EdgeprobeProgram) -> String? {
        candidates(for: program).first { access($0, X_OK) == 0 }
    }

    /// Where `program` may be, in the order they are tried.
    func candidates(for program: EdgeprobeProgram) -> [String] {
        let directory = String(running[..<(running.lastIndex(of: "/") ?? running.startIndex)])
        var paths = [directory + "/" + program.name]
        let from = runningProgram.installDirectory
        if from != program.installDirectory {
            let up = Array(repeating: "..", count: from.split(separator: "/").count).joined(separator: "/")
            paths.append("\(directory)/\(up)/\(program.installDirectory)/\(program.name)")
        }
        return paths
    }
}
