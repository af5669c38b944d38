@testable import edgeprobe
import Testing

/// The one column layout of the tables printed for people (bench, soak, sensors).
@Suite struct TextColumnsTests {
    @Test func namesLeftNumbersRightTwoSpacesApart() {
        let text = TextColumns.render([["layer", "p50", "cv"], ["conv3x3", "1.2 ms", "3%"], ["dw", "45 us", "12%"]])
        #expect(text == "layer       p50   cv\nconv3x3  1.2 ms   3%\ndw        45 us  12%\n")
    }

    @Test func allColumnsLeftWithoutSpacesAtTheEndOfALine() {
        let text = TextColumns.render(
            [["CHIP", "SENSOR", "VALUE"], ["coretemp-isa-0000", "Core 0", ""], ["acpitz", "temp1", "40.0 °C"]], leftAligned: 3)
        #expect(text == "CHIP               SENSOR  VALUE\ncoretemp-isa-0000  Core 0\nacpitz             temp1   40.0 °C\n")
    }
}
