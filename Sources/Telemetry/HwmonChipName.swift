/// Names hwmon chips the way libsensors does (`sensors_snprintf_chip_name` after its sysfs scan),
/// so chips read from sysfs directly carry the same names as chips read through libsensors.
public enum HwmonChipName {
    /// The bus a hwmon device sits on, as libsensors decides it from the `device` link.
    public enum Bus: Equatable, Sendable {
        /// No `device` link: `name-virtual-0`.
        case virtual
        /// An I2C client (`1-004c`): `name-i2c-1-4c`.
        case i2c(bus: Int, address: Int)
        /// A legacy ISA or platform device (`coretemp.0`, `it87.656`): `name-isa-0000`.
        case isa(address: Int)
        /// A PCI function (`0000:00:18.3`): `name-pci-00c3`.
        case pci(address: Int)
        /// An SPI device (`spi0.1`): `name-spi-0-1`.
        case spi(bus: Int, address: Int)
        /// An ACPI device: `name-acpi-0`.
        case acpi
        /// A HID device (`0003:046D:C52B.0005`): `name-hid-3-5`.
        case hid(bus: Int, address: Int)
    }

    /// The full chip name, e.g. `coretemp-isa-0000`.
    public static func format(prefix: String, bus: Bus) -> String {
        switch bus {
        case .virtual: "\(prefix)-virtual-0"
        case let .i2c(number, address): "\(prefix)-i2c-\(number)-\(hex(address, width: 2))"
        case let .isa(address): "\(prefix)-isa-\(hex(address, width: 4))"
        case let .pci(address): "\(prefix)-pci-\(hex(address, width: 4))"
        case let .spi(number, address): "\(prefix)-spi-\(number)-\(hex(address, width: 1))"
        case .acpi: "\(prefix)-acpi-0"
        case let .hid(number, address): "\(prefix)-hid-\(number)-\(hex(address, width: 1))"
        }
    }

    /// The bus libsensors assigns a device named `device` (the last part of the hwmon's `device`
    /// link) in `subsystem` (the last part of that device's `subsystem` link, `nil` if none), or
    /// `nil` for a device libsensors ignores.
    public static func bus(device: String, subsystem: String?) -> Bus? {
        if subsystem == nil || subsystem == "i2c", let (number, address) = i2cAddress(device) {
            return number == 9191 ? .isa(address: address) : .i2c(bus: number, address: address)
        }
        if subsystem == nil || subsystem == "spi", device.hasPrefix("spi") {
            let parts = device.dropFirst(3).split(separator: ".")
            if parts.count == 2, let number = Int(parts[0]), let address = Int(parts[1]) {
                return .spi(bus: number, address: address)
            }
        }
        if subsystem == nil || subsystem == "pci", let address = pciAddress(device) {
            return .pci(address: address)
        }
        if subsystem == nil || subsystem == "platform" || subsystem == "of_platform" {
            return .isa(address: platformInstance(device))
        }
        if subsystem == "acpi" { return .acpi }
        if subsystem == "hid" {
            let parts = device.split(separator: ":")
            if parts.count == 3, let bus = Int(parts[0], radix: 16) {
                let last = parts[2].split(separator: ".")
                if last.count == 2, let id = Int(last[1], radix: 16) { return .hid(bus: bus, address: id) }
            }
        }
        return nil
    }

    // MARK: - Device-name patterns

    /// `1-004c` → (1, 0x4c).
    private static func i2cAddress(_ device: String) -> (Int, Int)? {
        let parts = device.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let number = Int(parts[0]), let address = Int(parts[1], radix: 16) else { return nil }
        return (number, address)
    }

    /// `0000:00:18.3` → (domain << 16) + (bus << 8) + (slot << 3) + function.
    private static func pciAddress(_ device: String) -> Int? {
        let parts = device.split(separator: ":")
        guard parts.count == 3 else { return nil }
        let slotFunction = parts[2].split(separator: ".")
        guard slotFunction.count == 2,
              let domain = Int(parts[0], radix: 16), let bus = Int(parts[1], radix: 16),
              let slot = Int(slotFunction[0], radix: 16), let function = Int(slotFunction[1], radix: 16)
        else { return nil }
        return (domain << 16) + (bus << 8) + (slot << 3) + function
    }

    /// `coretemp.0` → 0, `it87.656` → 656; a platform name without an instance number → 0.
    private static func platformInstance(_ device: String) -> Int {
        guard let dot = device.firstIndex(of: "."), dot != device.startIndex else { return 0 }
        let stem = device[..<dot]
        let allowed = stem.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }
        return allowed ? Int(device[device.index(after: dot)...].prefix { $0.isNumber }) ?? 0 : 0
    }

    private static func hex(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
