import Foundation

/// Records as tests read them: JSON objects, one per line.
public enum JSONLines {
    /// The JSON object on `line`, or `nil` if the line is not one.
    public static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// The JSON objects among `lines` (lines that are not one are skipped).
    public static func objects(_ lines: [String]) -> [[String: Any]] {
        lines.compactMap(object)
    }

    /// The objects among `lines` whose `type` is `type`.
    public static func records(_ type: String, in lines: [String]) -> [[String: Any]] {
        objects(lines).filter { $0["type"] as? String == type }
    }
}
