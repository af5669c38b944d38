import Glibc
import ProcStats

/// The Debian package that installed a file, read from dpkg's database (`/var/lib/dpkg`).
struct DebianPackage: Equatable {
    /// Package name, e.g. `libxnnpack0`.
    let name: String
    /// Installed version, e.g. `0.0~git20220216.ae108ef-2`.
    let version: String

    /// The package whose file list holds `path` (or the file `path` resolves to), if any.
    static func owner(of path: String, database: String = "/var/lib/dpkg") -> DebianPackage? {
        let candidates = Set([path, resolved(path)].compactMap { $0 })
        guard let lists = directoryEntries(database + "/info") else { return nil }
        for list in lists where list.hasSuffix(".list") {
            guard let files = TextFile.text(database + "/info/" + list) else { continue }
            if files.split(separator: "\n").contains(where: { candidates.contains(String($0)) }) {
                let name = String(list.dropLast(".list".count).split(separator: ":")[0])
                guard let version = installedVersion(of: name, status: database + "/status") else { return nil }
                return DebianPackage(name: name, version: version)
            }
        }
        return nil
    }

    /// The `Version:` of the `Package: name` stanza of dpkg's status file.
    static func installedVersion(of name: String, status: String) -> String? {
        guard let text = TextFile.text(status) else { return nil }
        for stanza in text.split(separator: "\n\n") {
            let lines = stanza.split(separator: "\n")
            guard lines.contains(where: { $0 == "Package: \(name)" }) else { continue }
            if let line = lines.first(where: { $0.hasPrefix("Version: ") }) {
                return String(line.dropFirst("Version: ".count))
            }
        }
        return nil
    }

    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func directoryEntries(_ path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) })
        }
        return names
    }
}
