import Glibc
import ProcStats

/// The machine a run measured: what `run_start` says about the hardware and kernel.
public struct HostDescription: Codable, Sendable, Equatable {
    /// CPU model: x86 `model name`, or on ARM the CPU implementer/part (e.g. `ARM Cortex-A72`).
    public var cpuModel: String?
    /// The board, from the device tree (`Raspberry Pi 4 Model B Rev 1.4`), where there is one.
    public var boardModel: String?
    /// Online CPUs.
    public var cores: Int
    /// Machine architecture (`x86_64`, `aarch64`).
    public var architecture: String
    /// Kernel release (`uname -r`).
    public var kernel: String

    /// Describes this machine, reading `/proc` and `/sys` under `root`.
    public static func current(root: String = "") -> HostDescription {
        var names = utsname()
        uname(&names)
        let cpuinfo = TextFile.text(root + "/proc/cpuinfo") ?? ""
        let board = TextFile.text(root + "/proc/device-tree/model")
            .map { String($0.prefix { $0 != "\0" && $0 != "\n" }) }
        return HostDescription(
            cpuModel: cpuModel(cpuinfo: cpuinfo),
            boardModel: board.flatMap { $0.isEmpty ? nil : $0 },
            cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            architecture: field(of: names.machine),
            kernel: field(of: names.release))
    }

    /// The CPU model named in `/proc/cpuinfo` text.
    static func cpuModel(cpuinfo: String) -> String? {
        var values: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingWhitespace()
            if values[key] == nil { values[key] = parts[1].trimmingWhitespace() }
        }
        if let name = values["model name"] { return name }
        guard let implementer = values["CPU implementer"], let part = values["CPU part"] else { return nil }
        return armCoreNames[implementer + "/" + part] ?? "ARM implementer \(implementer) part \(part)"
    }

    /// Common Arm cores on edge boards, by `CPU implementer`/`CPU part`.
    private static let armCoreNames: [String: String] = [
        "0x41/0xd03": "ARM Cortex-A53", "0x41/0xd04": "ARM Cortex-A35", "0x41/0xd05": "ARM Cortex-A55",
        "0x41/0xd07": "ARM Cortex-A57", "0x41/0xd08": "ARM Cortex-A72", "0x41/0xd09": "ARM Cortex-A73",
        "0x41/0xd0a": "ARM Cortex-A75", "0x41/0xd0b": "ARM Cortex-A76", "0x41/0xd0c": "ARM Neoverse-N1",
        "0x41/0xd0d": "ARM Cortex-A77", "0x41/0xd41": "ARM Cortex-A78", "0x41/0xd42": "ARM Cortex-A78AE",
        "0x4e/0x004": "NVIDIA Carmel",
    ]

    private static func field<T>(of tuple: T) -> String {
        withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
