import Reports

/// One temperature sensor: a libsensors temperature feature or a thermal zone.
public struct TemperatureReading: Encodable, Sendable, Equatable {
    /// The chip as libsensors prints it (`coretemp-isa-0000`), or the thermal zone's type.
    public var chip: String
    /// The feature's label (`Core 0`, or `temp1` when the chip has none; `thermal_zone0` for zones).
    public var label: String
    /// Current temperature in °C.
    @Nullable public var inputC: Double?
    /// High limit in °C, when the chip has one.
    @Nullable public var maxC: Double?
    /// Critical limit in °C, when the chip has one.
    @Nullable public var critC: Double?

    /// A reading with the given figures.
    public init(chip: String, label: String, inputC: Double?, maxC: Double? = nil, critC: Double? = nil) {
        self.chip = chip
        self.label = label
        self.inputC = inputC
        self.maxC = maxC
        self.critC = critC
    }
}

/// One fan speed sensor.
public struct FanReading: Encodable, Sendable, Equatable {
    /// The chip as libsensors prints it.
    public var chip: String
    /// The feature's label, or its name (`fan1`).
    public var label: String
    /// Current speed in revolutions per minute.
    @Nullable public var inputRpm: Double?

    /// A reading with the given figures.
    public init(chip: String, label: String, inputRpm: Double?) {
        self.chip = chip
        self.label = label
        self.inputRpm = inputRpm
    }
}

/// One voltage sensor.
public struct VoltageReading: Encodable, Sendable, Equatable {
    /// The chip as libsensors prints it.
    public var chip: String
    /// The feature's label, or its name (`in0`).
    public var label: String
    /// Current voltage in volts.
    @Nullable public var inputV: Double?

    /// A reading with the given figures.
    public init(chip: String, label: String, inputV: Double?) {
        self.chip = chip
        self.label = label
        self.inputV = inputV
    }
}

/// Everything one pass over the sensors gave, and where it came from.
public struct SensorReadings: Sendable, Equatable {
    /// Temperatures, chip by chip in feature order.
    public var temperatures: [TemperatureReading] = []
    /// Fan speeds.
    public var fans: [FanReading] = []
    /// Voltages.
    public var voltages: [VoltageReading] = []

    /// No readings.
    public init() {}

    /// Whether no sensor of any kind was found.
    public var isEmpty: Bool { temperatures.isEmpty && fans.isEmpty && voltages.isEmpty }
}

/// A way of reading hardware sensors: libsensors, the sysfs hwmon class, thermal zones.
///
/// Sources find their sensors once, when created, and read only the values afterwards.
public protocol SensorSource: AnyObject {
    /// `"libsensors"`, `"sysfs"` or `"thermal_zone"`, written as the sample's `sensors_source`.
    var name: String { get }
    /// Reads every sensor found at creation.
    func read() -> SensorReadings
}
