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
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                column == 4 ? text : text + String(repeating: " ", count: widths[column] - text.count + 2)
            }.joined()
        }.map { line in String(line.reversed().drop { $0 == " " }.reversed()) + "\n" }.joined()
    }

    private static func celsius(_ value: Double?) -> String {
        value.map { DecimalText.fixed($0, 1) + " °C" } ?? ""
    }
}
