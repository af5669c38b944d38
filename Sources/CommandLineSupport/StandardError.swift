import Glibc

/// Writes a line for people to standard error, where progress and warnings belong.
public func printError(_ message: String) {
    let line = "edgeprobe: " + message + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
}
