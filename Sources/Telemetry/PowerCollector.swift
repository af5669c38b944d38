import ProcStats

/// One power rail's reading.
public struct PowerRail: Sendable, Equatable {
    /// The hwmon chip's `name` (`ina3221`, `ina226`) or the iio device (`ina3221x`).
    public var chip: String
    /// The rail's label (`VDD_IN`, `POWER_IN`), or the attribute's stem (`power1`, `curr1`).
    public var label: String
    /// Power in watts; `nil` when the sensor did not answer.
    public var watts: Double?

    /// A rail with the given figures.
    public init(chip: String, label: String, watts: Double?) {
        self.chip = chip
        self.label = label
        self.watts = watts
    }
}

/// What the power sensors gave: every rail, and the board's input power where one rail is it.
public struct PowerReading: Sendable, Equatable {
    /// Every rail found, in scan order.
    public var rails: [PowerRail] = []
    /// The board's input power in watts: the rail labelled as the input (`VDD_IN`, `POM_5V_IN`,
    /// `POWER_IN`, `VIN`), or the only rail; `nil` otherwise, with `unavailable` saying why.
    public var boardW: Double?
    /// Which rail `boardW` is (`ina3221/VDD_IN`).
    public var boardRail: String?

    /// No readings.
    public init() {}
}

/// Board power from the sensors Linux exposes, under a filesystem root:
/// - hwmon chips (`/sys/class/hwmon/hwmonN`): `powerN_input` (µW); else `currN_input` (mA)
///   times `inN_input` (mV) of the same channel, as the INA3221 hwmon driver of newer Jetson
///   releases gives them (`in1_label` = `VDD_IN`);
/// - the INA3221 iio driver of older Jetson releases (Jetson Nano, L4T 32):
///   `/sys/bus/i2c/drivers/ina3221x/*/iio:device*/in_powerN_input` (mW) named by `rail_nameN`.
public final class PowerCollector: Collector {
    /// A rail's files, found once.
    private struct Channel {
        enum Source {
            case power(path: String, scale: Double)
            case voltageCurrent(voltagePath: String, currentPath: String)
        }

        var chip: String
        var label: String
        var source: Source
    }

    /// Labels that name the board's input rail: `VDD_IN` (newer Jetson modules), `POM_5V_IN`
    /// (Jetson Nano), `POWER_IN`, `VIN`.
    static let inputRailLabels: Set<String> = ["VDD_IN", "POM_5V_IN", "POWER_IN", "VIN"]

    private let channels: [Channel]

    /// Scans `root` for power, current and voltage sensors once.
    public init(root: String) {
        channels = Self.hwmonChannels(root: root) + Self.iioChannels(root: root)
    }

    /// How many rails the scan found.
    public var railCount: Int { channels.count }

    /// Why no rail is the board's input (no sensor; several rails and none labelled as the
    /// input), or `nil` when one is.
    public var noBoardRailReason: String? {
        let rails = channels.map { PowerRail(chip: $0.chip, label: $0.label, watts: nil) }
        if case .none(let reason) = Self.boardRail(rails) { return reason }
        return nil
    }

    /// Reads every rail; `unavailable["power"]` says why the board's power is `nil`.
    public func read(unavailable: inout [String: String]) -> PowerReading {
        var reading = PowerReading()
        reading.rails = channels.map { channel in
            let watts: Double?
            switch channel.source {
            case .power(let path, let scale):
                watts = SysfsHwmonSource.value(path, scale: scale)
            case .voltageCurrent(let voltagePath, let currentPath):
                if let volts = SysfsHwmonSource.value(voltagePath, scale: 1000),
                   let amperes = SysfsHwmonSource.value(currentPath, scale: 1000) {
                    watts = volts * amperes
                } else {
                    watts = nil
                }
            }
            return PowerRail(chip: channel.chip, label: channel.label, watts: watts)
        }
        let board = Self.boardRail(reading.rails)
        switch board {
        case .rail(let rail):
            reading.boardW = rail.watts
            reading.boardRail = rail.chip + "/" + rail.label
            if rail.watts == nil { unavailable["power"] = "\(rail.chip)/\(rail.label) did not answer" }
        case .none(let reason):
            unavailable["power"] = reason
        }
        return reading
    }

    /// Which rail is the board's input.
    enum BoardRail {
        case rail(PowerRail)
        case none(reason: String)
    }

    /// The rail labelled as the input, else the only rail, else none with the reason.
    static func boardRail(_ rails: [PowerRail]) -> BoardRail {
        if let input = rails.first(where: { inputRailLabels.contains($0.label.uppercased()) }) { return .rail(input) }
        switch rails.count {
        case 0:
            return .none(reason: "no power sensor (hwmon power*_input or curr*_input with in*_input, INA3221 rails)")
        case 1:
            return .rail(rails[0])
        default:
            let names = rails.map { $0.chip + "/" + $0.label }.joined(separator: ", ")
            return .none(reason: "\(rails.count) power rails (\(names)) and none is labelled as the board input (VDD_IN, POM_5V_IN, POWER_IN, VIN)")
        }
    }

    // MARK: - Scan

    /// hwmon chips' power rails: `powerN_input` where present, else `currN_input` × `inN_input`.
    private static func hwmonChannels(root: String) -> [Channel] {
        let classPath = TextFile.path(root: root, "/sys/class/hwmon")
        var found: [Channel] = []
        for entry in DirectoryListing.names(classPath) {
            var directory = classPath + "/" + entry
            if TextFile.firstLine(directory + "/name") == nil { directory += "/device" }
            guard let chip = TextFile.firstLine(directory + "/name")?.trimmingSpacesString else { continue }
            let files = Set(DirectoryListing.names(directory))
            func numbers(_ stem: String) -> [Int] {
                files.compactMap { name -> Int? in
                    guard name.hasPrefix(stem), name.hasSuffix("_input") else { return nil }
                    return Int(name.dropFirst(stem.count).dropLast("_input".count))
                }.sorted()
            }
            func label(_ feature: String) -> String? {
                TextFile.firstLine(directory + "/" + feature + "_label")?.trimmingSpacesString
            }
            let powers = numbers("power")
            if !powers.isEmpty {
                for number in powers {
                    found.append(Channel(
                        chip: chip, label: label("power\(number)") ?? "power\(number)",
                        source: .power(path: directory + "/power\(number)_input", scale: 1_000_000)))
                }
                continue
            }
            for number in numbers("curr") where files.contains("in\(number)_input") {
                found.append(Channel(
                    chip: chip, label: label("in\(number)") ?? label("curr\(number)") ?? "curr\(number)",
                    source: .voltageCurrent(
                        voltagePath: directory + "/in\(number)_input", currentPath: directory + "/curr\(number)_input")))
            }
        }
        return found
    }

    /// The INA3221 iio driver's rails (older Jetson releases).
    private static func iioChannels(root: String) -> [Channel] {
        let driverPath = TextFile.path(root: root, "/sys/bus/i2c/drivers/ina3221x")
        var found: [Channel] = []
        for device in DirectoryListing.names(driverPath) {
            for iio in DirectoryListing.names(driverPath + "/" + device) where iio.hasPrefix("iio:device") {
                let directory = driverPath + "/" + device + "/" + iio
                for channel in 0..<8 {
                    let path = directory + "/in_power\(channel)_input"
                    guard DirectoryListing.exists(path) else { continue }
                    let name = TextFile.firstLine(directory + "/rail_name_\(channel)")?.trimmingSpacesString
                    found.append(Channel(
                        chip: "ina3221x", label: name ?? "in_power\(channel)", source: .power(path: path, scale: 1000)))
                }
            }
        }
        return found
    }
}
