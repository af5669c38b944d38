import ProcStats

/// Reads hwmon chips straight from `<root>/sys/class/hwmon` in pure Swift, naming chips and
/// labelling features the way libsensors does (without its configuration file's relabelling).
/// Used for fixture trees and as the fallback when libsensors is unavailable.
public final class SysfsHwmonSource: SensorSource {
    /// One sensor input found at creation, its values in files.
    private typealias Channel = SensorChannel<String>

    private let channels: [Channel]

    /// Scans `<root>/sys/class/hwmon` once for chips and their temperature, fan and voltage inputs.
    public init(root: String) {
        let classPath = TextFile.path(root: root, "/sys/class/hwmon")
        var found: [Channel] = []
        for entry in DirectoryListing.names(classPath) {
            found += Self.channels(hwmonPath: classPath + "/" + entry)
        }
        channels = found
    }

    /// `"sysfs"`.
    public var name: String { "sysfs" }

    /// How many sensor inputs the scan found.
    public var channelCount: Int { channels.count }

    /// Reads every input found at creation (°C from millidegrees, V from millivolts, RPM as is).
    public func read() -> SensorReadings {
        SensorReadings(channels: channels) { path, kind in Self.value(path, scale: kind == .fan ? 1 : 1000) }
    }

    // MARK: - Scan

    /// The chip's inputs, in libsensors' feature order (voltages, fans, temperatures; by number).
    private static func channels(hwmonPath: String) -> [Channel] {
        let devicePath = hwmonPath + "/device"
        let deviceName = DirectoryListing.linkTargetName(devicePath)
        let chipName: String
        var attributePath = hwmonPath
        if let deviceName {
            let subsystem = DirectoryListing.linkTargetName(devicePath + "/subsystem")
            guard let bus = HwmonChipName.bus(device: deviceName, subsystem: subsystem) else { return [] }
            // libsensors reads the attributes from the hwmon directory, else from the device's.
            if TextFile.firstLine(hwmonPath + "/name") == nil { attributePath = devicePath }
            guard let prefix = TextFile.firstLine(attributePath + "/name") else { return [] }
            chipName = HwmonChipName.format(prefix: prefix, bus: bus)
        } else {
            guard let prefix = TextFile.firstLine(hwmonPath + "/name") else { return [] }
            chipName = HwmonChipName.format(prefix: prefix, bus: .virtual)
        }
        let files = Set(DirectoryListing.names(attributePath))
        var result: [Channel] = []
        for (kind, stem, hasLimits) in [(Channel.Kind.voltage, "in", false), (.fan, "fan", false), (.temperature, "temp", true)] {
            let numbers = files.compactMap { name -> Int? in
                guard name.hasPrefix(stem), name.hasSuffix("_input") else { return nil }
                return Int(name.dropFirst(stem.count).dropLast("_input".count))
            }
            for number in numbers.sorted() {
                let feature = "\(stem)\(number)"
                let base = attributePath + "/" + feature
                result.append(Channel(
                    kind: kind, chip: chipName,
                    label: TextFile.firstLine(base + "_label") ?? feature,
                    input: base + "_input",
                    max: hasLimits && files.contains(feature + "_max") ? base + "_max" : nil,
                    crit: hasLimits && files.contains(feature + "_crit") ? base + "_crit" : nil))
            }
        }
        return result
    }

    /// The file's number divided by `scale`, or `nil` when it is missing or unreadable (a sensor
    /// that faults returns EIO on read).
    static func value(_ path: String, scale: Double) -> Double? {
        guard let line = TextFile.firstLine(path), let number = Double(line.trimmingSpacesString) else { return nil }
        return number / scale
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingSpacesString: String { String(Substring(self).trimmingSpaces) }
}
