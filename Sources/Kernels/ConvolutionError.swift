/// Why a convolution could not be built: each case names the offending field and the problem.
public enum ConvolutionError: Error, Equatable, CustomStringConvertible {
    /// A shape field is impossible (zero/negative size, groups not dividing channels, kernel too large).
    case invalidShape(field: String, problem: String)
    /// An array argument has the wrong number of elements.
    case wrongCount(field: String, expected: Int, actual: Int)

    /// The field name this error is about.
    public var field: String {
        switch self {
        case .invalidShape(let field, _), .wrongCount(let field, _, _): field
        }
    }

    /// `field: problem`, for people.
    public var description: String {
        switch self {
        case .invalidShape(let field, let problem):
            "\(field): \(problem)"
        case .wrongCount(let field, let expected, let actual):
            "\(field): expected \(expected) values, got \(actual)"
        }
    }
}
