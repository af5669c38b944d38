import Foundation

/// The sysfs/procfs fixture trees under `Tests/TelemetryTests/Fixtures`, read from the source
/// tree so symlinks (a hwmon's `device` link) stay symlinks.
enum Fixture {
    /// `raspberry-pi`, `x86` or `empty`.
    static func root(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// A writable copy of a fixture tree in a fresh temporary directory, for tests that change files.
    static func copy(_ name: String) throws -> String {
        let destination = FileManager.default.temporaryDirectory
            .appendingPathComponent("edgeprobe-fixture-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: root(name), toPath: destination)
        return destination
    }

    /// Replaces the text of `path` under `root`.
    static func write(_ text: String, to path: String, under root: String) throws {
        try text.write(toFile: root + path, atomically: false, encoding: .utf8)
    }
}
