import Configuration
import Glibc

/// Resolves `--suite NAME|PATH` and `--board NAME|PATH` to files.
///
/// A value containing `/` or ending in `.yaml` is a path. A bare name is looked up as
/// `<kind>/<name>.yaml` in the first profiles directory that exists among: `$EDGEPROBE_PROFILES`;
/// `<prefix>/share/edgeprobe/Profiles` next to the installed binary (`<prefix>/bin/edgeprobe`);
/// and the nearest `Profiles` folder above the binary (a source checkout's `.build/release`).
public struct ProfileLocator: Sendable {
    /// Profiles directories searched in order.
    public let searchDirectories: [String]

    /// A locator searching the given directories.
    public init(searchDirectories: [String]) {
        self.searchDirectories = searchDirectories
    }

    /// The standard search order for this process.
    public static func standard() -> ProfileLocator {
        var directories: [String] = []
        if let override = getenv("EDGEPROBE_PROFILES") {
            directories.append(String(cString: override))
        }
        if let executable = executableDirectory() {
            directories.append(joined(parent(of: executable), "share/edgeprobe/Profiles"))
            var directory = executable
            for _ in 0..<4 {
                directories.append(joined(directory, "Profiles"))
                directory = parent(of: directory)
            }
        }
        return ProfileLocator(searchDirectories: directories)
    }

    /// The file for `value` of `kind` (`suites` or `boards`).
    /// - Throws: `ConfigError` listing where the name was looked for.
    public func locate(_ value: String, kind: String) throws(ConfigError) -> String {
        if value.contains("/") || value.hasSuffix(".yaml") { return value }
        for directory in searchDirectories {
            let candidate = "\(directory)/\(kind)/\(value).yaml"
            if access(candidate, R_OK) == 0 { return candidate }
        }
        let known = available(kind: kind)
        let hint = known.isEmpty ? "no \(kind) profiles found" : "known: \(known.joined(separator: ", "))"
        throw ConfigError(
            file: value, problem: "no such \(kind.dropLast()) profile (\(hint); searched \(searchDirectories.joined(separator: ", ")))")
    }

    /// Names of the profiles of `kind` in the first directory that has any.
    public func available(kind: String) -> [String] {
        for directory in searchDirectories {
            guard let handle = opendir("\(directory)/\(kind)") else { continue }
            defer { closedir(handle) }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasSuffix(".yaml") { names.append(String(name.dropLast(5))) }
            }
            if !names.isEmpty { return names.sorted() }
        }
        return []
    }

    private static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return parent(of: path)
    }

    /// `relative` under `directory`, with one slash between them (`/` + `share` is `/share`).
    static func joined(_ directory: String, _ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
