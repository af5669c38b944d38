import Testing
@testable import Telemetry

/// The one read pass the libsensors and sysfs sources share: every channel in order, each value
/// asked in its kind's unit, limits for temperatures only, a failed read kept as null.
@Suite struct SensorChannelTests {
    @Test func readsEveryChannelInOrderIntoItsKindsList() {
        let channels: [SensorChannel<String>] = [
            SensorChannel(kind: .voltage, chip: "c", label: "in0", input: "v"),
            SensorChannel(kind: .temperature, chip: "c", label: "temp1", input: "t", max: "tmax"),
            SensorChannel(kind: .fan, chip: "c", label: "fan1", input: "f"),
            SensorChannel(kind: .temperature, chip: "d", label: "temp2", input: "faulted", crit: "tcrit"),
        ]
        let values = ["v": 1.25, "t": 40, "tmax": 80, "f": 1200, "tcrit": 95]
        var asked: [String] = []
        let readings = SensorReadings(channels: channels) { address, kind in
            asked.append("\(address):\(kind)")
            return values[address]
        }
        #expect(readings.temperatures == [
            TemperatureReading(chip: "c", label: "temp1", inputC: 40, maxC: 80, critC: nil),
            TemperatureReading(chip: "d", label: "temp2", inputC: nil, maxC: nil, critC: 95),
        ])
        #expect(readings.fans == [FanReading(chip: "c", label: "fan1", inputRpm: 1200)])
        #expect(readings.voltages == [VoltageReading(chip: "c", label: "in0", inputV: 1.25)])
        #expect(asked == ["v:voltage", "t:temperature", "tmax:temperature", "f:fan", "faulted:temperature", "tcrit:temperature"])
    }
}
