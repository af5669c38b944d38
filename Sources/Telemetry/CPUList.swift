import ProcStats

/// The kernel's CPU list format (`0-3,6,8-9`), as in `/sys/devices/system/cpu/online`.
public enum CPUList {
    /// The CPU numbers the list names, in order, or `nil` when it is not a CPU list (or names
    /// more than 65,536 CPUs).
    public static func cpus(_ text: String) -> [Int]? {
        guard let total = count(text), total <= 65_536 else { return nil }
        return text.split(separator: ",").flatMap { part -> ClosedRange<Int> in
            let bounds = part.split(separator: "-", maxSplits: 1).map { Int($0.trimmingSpaces)! }
            return bounds[0]...bounds[bounds.count - 1]
        }
    }

    /// The CPUs online now, from `/sys/devices/system/cpu/online`; `nil` where it cannot be read.
    public static func online() -> [Int]? {
        TextFile.firstLine("/sys/devices/system/cpu/online").flatMap(cpus)
    }

    /// How many CPUs the list names, or `nil` when it is not a CPU list.
    public static func count(_ text: String) -> Int? {
        var total = 0
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1)
            guard let low = Int(bounds[0].trimmingSpaces) else { return nil }
            let high = bounds.count == 2 ? Int(bounds[1].trimmingSpaces) : low
            guard let high, high >= low else { return nil }
            total += high - low + 1
        }
        return total
    }
}

extension Substring {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[startIndex..<startIndex]
        }
        return self[first...last]
    }
}
