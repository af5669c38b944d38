import Glibc

/// The loaders that take a path read the fuzz input from a real file, as a user's file would be
/// read: one file per process, rewritten for every input.
enum InputFile {
    /// The process's input file, in /dev/shm when it exists (no disk writes per input).
    static let path: String = {
        var directory = "/dev/shm"
        var status = stat()
        if stat(directory, &status) != 0 { directory = "/tmp" }
        return "\(directory)/edgeprobe-fuzz-\(getpid()).yaml"
    }()

    /// Writes `input` to `path`; a failure ends the run (it would make every input look harmless).
    static func write(_ input: UnsafeBufferPointer<UInt8>) -> String {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { fatalError("edgeprobe-fuzz: cannot create \(path)") }
        defer { close(descriptor) }
        var written = 0
        while written < input.count {
            let result = Glibc.write(descriptor, input.baseAddress! + written, input.count - written)
            guard result > 0 else { fatalError("edgeprobe-fuzz: cannot write \(path)") }
            written += result
        }
        return path
    }
}
