import Glibc

/// Reading profile and configuration files, with errors that name the file and the system's reason.
public enum ProfileFile {
    /// The whole text of a file.
    /// - Throws: `ProfileError` when the file cannot be read.
    public static func read(_ path: String) throws(ProfileError) -> String {
        guard let file = fopen(path, "r") else {
            throw ProfileError(file: path, problem: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard ferror(file) == 0 else {
            throw ProfileError(file: path, problem: "cannot read: \(String(cString: strerror(errno)))")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
