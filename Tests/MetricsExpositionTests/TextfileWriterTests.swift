import Foundation
import MetricsExposition
import TestSupport
import Testing

/// The textfile is replaced whole, and a missing directory is an error naming the path.
@Suite struct TextfileWriterTests {
    @Test func replacesTheFileAndLeavesNoTemporaryFile() throws {
        let scratch = TemporaryDirectory(prefix: "textfile")
        let directory = scratch.path
        let writer = TextfileWriter(path: directory + "/edgeprobe.prom")
        try writer.write(Array("first 1\n".utf8))
        try writer.write(Array("second 2\n".utf8))
        #expect(try String(contentsOfFile: directory + "/edgeprobe.prom", encoding: .utf8) == "second 2\n")
        // The spare beside it holds the previous exposition, whole, to be overwritten in place next time.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["edgeprobe.prom", "edgeprobe.prom.tmp"])
        #expect(try String(contentsOfFile: directory + "/edgeprobe.prom.tmp", encoding: .utf8) == "first 1\n")
        let spareMode = try FileManager.default.attributesOfItem(atPath: directory + "/edgeprobe.prom.tmp")[.posixPermissions] as? Int
        #expect(spareMode == 0o644, "the spare becomes the target at the next write")
        // A shorter text is cut to its length; a longer one after it is whole.
        try writer.write(Array("3\n".utf8))
        #expect(try String(contentsOfFile: directory + "/edgeprobe.prom", encoding: .utf8) == "3\n")
        try writer.write(Array("a longer fourth text 4\n".utf8))
        #expect(try String(contentsOfFile: directory + "/edgeprobe.prom", encoding: .utf8) == "a longer fourth text 4\n")
        // A removed target is written again.
        try FileManager.default.removeItem(atPath: directory + "/edgeprobe.prom")
        try writer.write(Array("fifth 5\n".utf8))
        #expect(try String(contentsOfFile: directory + "/edgeprobe.prom", encoding: .utf8) == "fifth 5\n")
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/edgeprobe.prom")[.posixPermissions] as? Int
        #expect(mode == 0o644, "node_exporter runs as another user and must read it")
    }

    @Test func aLinkPlantedAtTheSparesNameIsRefused() throws {
        let scratch = TemporaryDirectory(prefix: "textfile")
        let directory = scratch.path
        let victim = directory + "/victim"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: directory + "/edgeprobe.prom.tmp", withDestinationPath: victim)
        #expect(throws: TextfileWriter.Failure.self) { try TextfileWriter(path: directory + "/edgeprobe.prom").write(Array("x 1\n".utf8)) }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
    }

    @Test func aTargetThatIsALinkIsReplacedAndLaterWritesStillSucceed() throws {
        let scratch = TemporaryDirectory(prefix: "textfile")
        let directory = scratch.path
        let elsewhere = directory + "/elsewhere.prom"
        try Data("old 0\n".utf8).write(to: URL(fileURLWithPath: elsewhere))
        let path = directory + "/edgeprobe.prom"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        let writer = TextfileWriter(path: path)
        // Swapped, the link would land at the spare's name, which the next write refuses to open.
        for text in ["first 1\n", "second 2\n", "third 3\n"] {
            try writer.write(Array(text.utf8))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType == .typeRegular)
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "old 0\n", "the link's target is not written through")
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
