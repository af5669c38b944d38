import Synchronization

/// Converts Swift property names to JSON keys the way `JSONEncoder.KeyEncodingStrategy
/// .convertToSnakeCase` does: a word starts at each capital, a run of capitals is one word
/// (`latencyUs` → `latency_us`, `runID` → `run_id`, `sizeMiB` → `size_mi_b`), and every word is
/// lower-cased. Digits and other characters stay inside their word (`p50Us` → `p50_us`).
enum SnakeCase {
    /// Conversions done so far: record types have a few hundred distinct keys, each converted
    /// once instead of once per record. Bounded, since keys of `[Int: Value]` are data.
    private static let cache = Mutex<[String: String]>([:])
    private static let cacheLimit = 4096

    /// The snake_case form of `key`.
    static func convert(_ key: String) -> String {
        if let known = cache.withLock({ $0[key] }) { return known }
        let converted = convertUncached(key)
        cache.withLock { known in
            if known.count < cacheLimit { known[key] = converted }
        }
        return converted
    }

    private static func convertUncached(_ key: String) -> String {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty, bytes.contains(where: isUpper) else { return key }
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        while let upper = firstIndex(in: bytes, from: searchStart, where: isUpper) {
            words.append(wordStart..<upper)
            guard let lower = firstIndex(in: bytes, from: upper, where: isLower) else {
                wordStart = upper
                searchStart = bytes.count
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        words.append(wordStart..<bytes.count)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + words.count)
        for (index, word) in words.enumerated() {
            if index > 0 { result.append(UInt8(ascii: "_")) }
            result.append(contentsOf: bytes[word].map { isUpper($0) ? $0 + 32 : $0 })
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

    private static func firstIndex(in bytes: [UInt8], from start: Int, where matches: (UInt8) -> Bool) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes[start...].firstIndex(where: matches)
    }
}
