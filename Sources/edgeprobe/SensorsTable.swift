import Quantities
import Telemetry

/// The human table `edgeprobe sensors` prints on a terminal.
enum SensorsTable {
    /// One row per sensor: chip, label, value with unit, limits.
    static func render(_ readings: SensorReadings) -> String {
        var rows: [[String]] = [["CHIP", "SENSOR", "VALUE", "MAX", "CRIT"]]
        for reading in readings.temperatures {
            rows.append([reading.chip, reading.label, celsius(reading.inputC), celsius(reading.maxC), celsius(reading.critC)])
        }
        for reading in readings.fans {
            rows.append([reading.chip, reading.label, reading.inputRpm.map { "\(Int($0)) RPM" } ?? "n/a", "", ""])
        }
        for reading in readings.voltages {
            rows.append([reading.chip, reading.label, reading.inputV.map { DecimalText.fixed($0, 3) + " V" } ?? "n/a", "", ""])
        }
        return TextColumns.render(rows, leftAligned: 5)
    }

    private static func celsius(_ value: Double?) -> String {
        value.map { DecimalText.fixed($0, 1) + " °C" } ?? ""
    }
}
