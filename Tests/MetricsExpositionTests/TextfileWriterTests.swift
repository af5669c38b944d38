import Foundation
import MetricsExposition
import Testing

/// The textfile is replaced whole, and a missing directory is an error naming the path.
@Suite struct TextfileWriterTests {
    @Test func replacesTheFileAndLeavesNoTemporaryFile() throws {
        let directory = NSTemporaryDirectory() + "edgeprobe-textfile-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = TextfileWriter(path: directory + "/edgeprobe.prom")
        try writer.write(Array("first 1\n".utf8))
        try writer.write(Array("second 2\n".utf8))
        #expect(try String(contentsOfFile: directory + "/edgeprobe.prom", encoding: .utf8) == "second 2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["edgeprobe.prom"])
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/edgeprobe.prom")[.posixPermissions] as? Int
        #expect(mode == 0o644, "node_exporter runs as another user and must read it")
    }

    @Test func aMissingDirectoryIsAFailureNamingThePath() {
        let writer = TextfileWriter(path: "/nonexistent-edgeprobe-dir/edgeprobe.prom")
        #expect {
            try writer.write(Array("x 1\n".utf8))
        } throws: { error in
            "\(error)" == "cannot create /nonexistent-edgeprobe-dir/edgeprobe.prom.tmp: No such file or directory"
        }
    }
}
