import AgentConfig
import Glibc
import ProcStats

/// What the small agent reads from the board profile itself: its `throttle_temp_c`, which the
/// metrics export so an alert can compare the hottest sensor with it. The full `edgeprobe`
/// validated the profile before the agent started; this reads one value with libyaml.
///
/// A bare name is looked up as `ProfileLocator` in Profiles does, but relative to the full
/// `edgeprobe` the agent runs its suites with (the small agent lives in `libexec/edgeprobe/`):
/// `$EDGEPROBE_PROFILES`, `<prefix>/share/edgeprobe/Profiles`, then the nearest `Profiles`
/// folder above the binary.
enum BoardProfileFile {
    /// The board's throttle limit, degrees Celsius; `nil` when the profile has none or cannot be read.
    static func throttleLimitC(board: String, executable: EdgeprobeExecutable) -> Double? {
        guard let path = locate(board, executable: executable), let text = TextFile.text(path),
              let node = try? YAMLLoader.load(text), case .mapping(let pairs) = node.content else { return nil }
        return pairs.first { $0.key.scalar?.text == "throttle_temp_c" }?.value.scalar?.float
    }

    /// The profile file of `board`, a name or a path.
    static func locate(_ board: String, executable: EdgeprobeExecutable) -> String? {
        if board.contains("/") || board.hasSuffix(".yaml") { return board }
        var directories: [String] = []
        if let override = getenv("EDGEPROBE_PROFILES") { directories.append(String(cString: override)) }
        var directory = parent(of: executable.path)
        directories.append(parent(of: directory) + "/share/edgeprobe/Profiles")
        for _ in 0..<4 {
            directories.append(directory + "/Profiles")
            directory = parent(of: directory)
        }
        return directories.map { "\($0)/boards/\(board).yaml" }.first { access($0, R_OK) == 0 }
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
