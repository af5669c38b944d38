import Glibc

/// Directory listing and symlink reading for sysfs scans, without Foundation.
enum DirectoryListing {
    /// The names in directory `path` (hidden entries left out), sorted; empty when it is missing.
    static func names(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted(by: naturalOrder)
    }

    /// The last path component of the symlink at `path`'s target, or `nil` when it is no symlink.
    static func linkTargetName(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.split(separator: "/").last.map(String.init)
    }

    /// Whether a file or directory exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Orders `hwmon2` before `hwmon10` and `cpu2` before `cpu10`: digits compare as numbers.
    static func naturalOrder(_ left: String, _ right: String) -> Bool {
        let leftStem = left.prefix { !$0.isNumber }, rightStem = right.prefix { !$0.isNumber }
        if leftStem == rightStem,
           let leftNumber = Int(left.dropFirst(leftStem.count)), let rightNumber = Int(right.dropFirst(rightStem.count)) {
            return leftNumber < rightNumber
        }
        return left < right
    }
}
