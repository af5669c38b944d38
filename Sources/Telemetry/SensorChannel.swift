/// One sensor input a `SensorSource` found when it was created: what it measures, on which chip,
/// and where its value and its high and critical limits are read (`Address`: a libsensors
/// subfeature, a sysfs file).
struct SensorChannel<Address> {
    /// What the input measures.
    enum Kind { case temperature, fan, voltage }

    var kind: Kind
    /// The chip as libsensors names it (`coretemp-isa-0000`).
    var chip: String
    /// The feature's label, or its name (`temp1`).
    var label: String
    /// The current value.
    var input: Address
    /// The high limit (temperatures only).
    var max: Address? = nil
    /// The critical limit (temperatures only).
    var crit: Address? = nil
}

extension SensorReadings {
    /// One pass over `channels`, in their order, reading each value with `value` (`nil`: the
    /// sensor did not answer) in the unit of the channel's kind: °C, RPM or V.
    init<Address>(channels: [SensorChannel<Address>], value: (Address, SensorChannel<Address>.Kind) -> Double?) {
        self.init()
        for channel in channels {
            let input = value(channel.input, channel.kind)
            switch channel.kind {
            case .temperature:
                temperatures.append(TemperatureReading(
                    chip: channel.chip, label: channel.label, inputC: input,
                    maxC: channel.max.flatMap { value($0, .temperature) }, critC: channel.crit.flatMap { value($0, .temperature) }))
            case .fan:
                fans.append(FanReading(chip: channel.chip, label: channel.label, inputRpm: input))
            case .voltage:
                voltages.append(VoltageReading(chip: channel.chip, label: channel.label, inputV: input))
            }
        }
    }
}
