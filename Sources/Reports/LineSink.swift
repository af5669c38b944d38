/// Where finished JSON lines go: standard output, a file, later a rotating file or a socket.
///
/// `write(line:)` receives one complete line including its trailing `\n` and must either write
/// all of it or throw; it must never leave part of a line behind.
public protocol LineSink: Sendable {
    /// Writes one complete line.
    func write(line: [UInt8]) throws
}
