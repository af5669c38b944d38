import Configuration
import Models

extension ConfigError {
    /// An architecture's problem (`blocks[3]`, field `stride`) as a problem of `file` at key `blocks[3].stride`.
    init(file: String, _ error: ArchitectureError) {
        let key = [error.entry, error.field].filter { !$0.isEmpty }.joined(separator: ".")
        self.init(file: file, key: key, problem: error.problem)
    }
}
