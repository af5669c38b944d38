import Foundation
import Testing
@testable import Telemetry

@Suite struct PowerCollectorTests {
    @Test func jetsonHwmonRailsAreVoltageTimesCurrentAndVddInIsTheBoard() throws {
        var unavailable: [String: String] = [:]
        let reading = PowerCollector(root: Fixture.root("jetson")).read(unavailable: &unavailable)
        #expect(reading.rails.map(\.label) == ["VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"])
        let board = try #require(reading.boardW)
        #expect(abs(board - 5.072 * 1.184) < 1e-9)
        #expect(reading.boardRail == "ina3221/VDD_IN")
        #expect(unavailable["power"] == nil)
    }

    @Test func jetsonNanoIioRailsInMilliwattsWithPom5VInAsTheBoard() {
        var unavailable: [String: String] = [:]
        let reading = PowerCollector(root: Fixture.root("jetson-nano")).read(unavailable: &unavailable)
        #expect(reading.rails == [
            PowerRail(chip: "ina3221x", label: "POM_5V_IN", watts: 3.14),
            PowerRail(chip: "ina3221x", label: "POM_5V_GPU", watts: 0.04),
            PowerRail(chip: "ina3221x", label: "POM_5V_CPU", watts: 1.204),
        ])
        #expect(reading.boardW == 3.14)
        #expect(reading.boardRail == "ina3221x/POM_5V_IN")
    }

    @Test func severalRailsWithoutAnInputRailAreNotGuessed() throws {
        let copy = try Fixture.copy("jetson-nano")
        try Fixture.write("POM_5V_SOC\n", to: "/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/rail_name_0", under: copy)
        var unavailable: [String: String] = [:]
        let reading = PowerCollector(root: copy).read(unavailable: &unavailable)
        #expect(reading.rails.count == 3)
        #expect(reading.boardW == nil)
        #expect(unavailable["power"]?.contains("3 power rails") == true)
    }

    @Test func aPowerInputIsPreferredToCurrentTimesVoltage() {
        var unavailable: [String: String] = [:]
        let reading = PowerCollector(root: Fixture.root("big-little")).read(unavailable: &unavailable)
        #expect(reading.rails == [PowerRail(chip: "ina226", label: "power1", watts: 6.65)])
        #expect(reading.boardW == 6.65)
    }

    @Test func noSensorIsNullWithAReason() {
        var unavailable: [String: String] = [:]
        let collector = PowerCollector(root: Fixture.root("raspberry-pi"))
        let reading = collector.read(unavailable: &unavailable)
        #expect(collector.railCount == 0)
        #expect(reading.boardW == nil)
        #expect(unavailable["power"]?.hasPrefix("no power sensor") == true)
    }

    @Test func aRailThatStopsAnsweringIsNullNotZero() throws {
        let copy = try Fixture.copy("jetson")
        let collector = PowerCollector(root: copy)
        try FileManager.default.removeItem(atPath: copy + "/sys/class/hwmon/hwmon1/curr1_input")
        var unavailable: [String: String] = [:]
        let reading = collector.read(unavailable: &unavailable)
        #expect(reading.boardW == nil)
        #expect(unavailable["power"] == "ina3221/VDD_IN did not answer")
    }
}

@Suite struct PowerBoardRailTests {
    @Test func reasonWithoutABoardRailOnlyWhenThereIsNone() {
        #expect(PowerCollector(root: Fixture.root("jetson")).noBoardRailReason == nil)
        #expect(PowerCollector(root: Fixture.root("big-little")).noBoardRailReason == nil)
        #expect(PowerCollector(root: Fixture.root("jetson-nano")).noBoardRailReason == nil)
        #expect(PowerCollector(root: Fixture.root("empty")).noBoardRailReason?.hasPrefix("no power sensor") == true)
    }
}
