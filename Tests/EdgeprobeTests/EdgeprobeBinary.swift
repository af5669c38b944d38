import TestSupport

/// The built `edgeprobe` executable, which SwiftPM puts next to the test bundle
/// (`.build/debug/edgeprobe`); `make test` builds it before the tests run.
enum EdgeprobeBinary {
    /// The executable's path.
    static var path: String { BuiltExecutable.path("edgeprobe") }

    /// Runs `edgeprobe arguments...` to its end (killed after `deadline`); `environment` adds
    /// variables to the inherited ones.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], deadline: Duration = hangDeadline
    ) async throws -> ProcessResult {
        try await TestProcess.run(path, arguments, environment: environment.mapValues { $0 }, deadline: deadline)
    }

    /// Starts `edgeprobe arguments...` without waiting, for tests that watch or signal it;
    /// `environment` adds variables to the inherited ones.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> TestProcess {
        try TestProcess(path, arguments, environment: environment.mapValues { $0 })
    }
}
