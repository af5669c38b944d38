import SystemErrors

/// Reads and writes whole model files, reporting failures as `ModelFileError.io` with the system's reason.
public enum FileBytes {
    /// The contents of the file at `path`.
    public static func read(_ path: String) throws(ModelFileError) -> [UInt8] {
        do {
            return try WholeFile.bytes(path)
        } catch {
            switch error {
            case .system(let reason): throw .io(path: path, reason: reason.description)
            case .tooLarge: throw .io(path: path, reason: "too large")
            }
        }
    }

    /// Writes `bytes` to `path`, creating or truncating it.
    public static func write(_ bytes: [UInt8], to path: String) throws(ModelFileError) {
        do {
            try WholeFile.write(bytes, to: path)
        } catch {
            throw .io(path: path, reason: error.description)
        }
    }
}
