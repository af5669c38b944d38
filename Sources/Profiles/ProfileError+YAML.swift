import Yams

extension ProfileError {
    /// One line for a file Yams (libyaml) cannot read: the file, the line, libyaml's problem and
    /// the column, without the quoted source line and caret Yams adds (a 200 KB line, or bytes
    /// a terminal should not print) or its multi-line context.
    public init(file: String, yamlError error: any Error) {
        func words(_ context: YamlError.Context?, _ problem: String) -> String {
            [context.map { "\($0.text) (line \($0.mark.line))" }, problem].compactMap { $0 }.joined(separator: ": ")
        }
        let problem: String
        var line: Int?
        switch error as? YamlError {
        case let .reader(text, offset, value, yaml)?:
            let bytes = offset.map { Array(yaml.utf8.prefix($0)) } ?? []
            line = offset.map { _ in bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }
            problem = "\(text) (character #x\(String(value, radix: 16, uppercase: true)))"
        case let .scanner(context, text, mark, _)?, let .parser(context, text, mark, _)?, let .composer(context, text, mark, _)?:
            line = mark.line
            problem = "\(words(context, text)), column \(mark.column)"
        case let .duplicatedKeysInMapping(duplicates, context)?:
            line = context.mark.line
            problem = "duplicated keys \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))"
        default:
            problem = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
        self.init(file: file, problem: "not valid YAML: \(problem)", line: line)
    }
}
