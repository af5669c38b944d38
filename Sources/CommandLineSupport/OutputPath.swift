import Glibc
import SystemErrors

/// Checks, before anything is measured, that a file can be written at a path, so a long run
/// does not end with nowhere to put its results.
public enum OutputPath {
    /// Why a file cannot be written at `path` (it is a directory, its directory is missing or
    /// not writable, it exists but is not writable), in words; `nil` when it can. Creates nothing.
    public static func problem(_ path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        var status = stat()
        if stat(path, &status) == 0 {
            if (status.st_mode & S_IFMT) == S_IFDIR { return "is a directory" }
            return access(path, W_OK) == 0 ? nil : "cannot write: \(SystemError.current.description)"
        }
        let directory = Self.directory(of: path)
        guard stat(directory, &status) == 0 else {
            return "the directory \(directory) does not exist"
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { return "\(directory) is not a directory" }
        return access(directory, W_OK | X_OK) == 0 ? nil : "cannot create a file in \(directory): \(SystemError.current.description)"
    }

    /// The directory part of `path`: `.` for a bare name, `/` for a file at the root.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }
}
