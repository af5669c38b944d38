import Foundation

/// Where the repository's files are, for tests that read its profiles, schemas, scripts and
/// sources: found from this file's own path (`Tests/TestSupport/Repository.swift`), so it does not
/// depend on the working directory the tests run in.
public enum Repository {
    /// The repository's root directory.
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `relative` under the repository's root (`"Profiles/archs/tiny.yaml"`).
    public static func path(_ relative: String) -> String {
        root + "/" + relative
    }

    /// The bytes of the file at `relative` under the root.
    public static func contents(_ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(relative)))
    }
}
