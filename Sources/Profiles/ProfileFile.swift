import Glibc
import ProcStats

/// Reading profile and configuration files, with errors that name the file and the system's reason.
public enum ProfileFile {
    /// The largest profile file read: suites, boards, specs, spaces and lookup tables are
    /// kilobytes, so a larger file is a mistake, and refusing it keeps parse time bounded.
    public static let maxBytes = 4 << 20

    /// Most entries one list (or a lookup table's top-level mapping) may hold: no suite, space
    /// or table needs more, and a bound keeps loading, and what runs after it, proportionate.
    public static let maxEntries = 10_000

    /// The whole text of a file.
    /// - Throws: `ProfileError` when the file cannot be read or is larger than `maxBytes`.
    public static func read(_ path: String) throws(ProfileError) -> String {
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) > maxBytes {
            throw ProfileError(file: path, problem: "the file has \(status.st_size) bytes, more than the limit of \(maxBytes)")
        }
        guard let bytes = TextFile.bytes(path) else {
            throw ProfileError(file: path, problem: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard bytes.count <= maxBytes else {
            throw ProfileError(file: path, problem: "the file has more than \(maxBytes) bytes")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
