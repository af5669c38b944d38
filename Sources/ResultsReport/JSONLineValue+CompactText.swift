import Foundation
import ReportCharts
import Reports

extension JSONLineValue {
    /// Compact JSON text of the value, keys sorted, for showing a value the report has no view for.
    var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return NumberText.plain(value)
        case .string(let value):
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        case .array(let elements): return "[" + elements.map(\.compactText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { "\"\($0)\":" + members[$0]!.compactText }.joined(separator: ",") + "}"
        }
    }
}
