import Glibc
import ProcStats

/// Reading profile and configuration files, with errors that name the file and the system's reason.
public enum ProfileFile {
    /// The whole text of a file.
    /// - Throws: `ProfileError` when the file cannot be read.
    public static func read(_ path: String) throws(ProfileError) -> String {
        guard let text = TextFile.text(path) else {
            throw ProfileError(file: path, problem: "cannot read: \(String(cString: strerror(errno)))")
        }
        return text
    }
}
