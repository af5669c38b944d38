import Testing
@testable import Telemetry

@Suite struct HwmonChipNameTests {
    private func name(_ prefix: String, device: String?, subsystem: String?) -> String? {
        guard let device else { return HwmonChipName.format(prefix: prefix, bus: .virtual) }
        return HwmonChipName.bus(device: device, subsystem: subsystem).map { HwmonChipName.format(prefix: prefix, bus: $0) }
    }

    @Test func namesOfCommonBoards() {
        #expect(name("cpu_thermal", device: nil, subsystem: nil) == "cpu_thermal-virtual-0")
        #expect(name("coretemp", device: "coretemp.0", subsystem: "platform") == "coretemp-isa-0000")
        #expect(name("it87", device: "it87.656", subsystem: "platform") == "it87-isa-0290")
        #expect(name("k10temp", device: "0000:00:18.3", subsystem: "pci") == "k10temp-pci-00c3")
        #expect(name("nvme", device: "nvme0", subsystem: "nvme") == nil)
        #expect(name("lm75", device: "1-004c", subsystem: "i2c") == "lm75-i2c-1-4c")
        #expect(name("w83627hf", device: "9191-0290", subsystem: "i2c") == "w83627hf-isa-0290")
        #expect(name("acpitz", device: "LNXTHERM:00", subsystem: "acpi") == "acpitz-acpi-0")
        #expect(name("max31855", device: "spi0.1", subsystem: "spi") == "max31855-spi-0-1")
        #expect(name("corsaircpro", device: "0003:1B1C:0C10.0005", subsystem: "hid") == "corsaircpro-hid-3-5")
        // A platform device named like Jetson's: no instance number → address 0.
        #expect(name("tegra_soctherm", device: "700e2000.thermal-sensor", subsystem: "platform") == "tegra_soctherm-isa-0000")
        #expect(name("pwmfan", device: "pwm-fan", subsystem: "platform") == "pwmfan-isa-0000")
    }
}
