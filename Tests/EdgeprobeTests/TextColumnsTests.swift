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

    @Test func aTableOfItemsIsItsHeaderAndOneRowPerItem() {
        let text = TextColumns.render(header: ["layer", "p50"], [("conv3x3", 1.25), ("dw", 45.0)]) { [$0.0, TextColumns.figure($0.1, 1, " us")] }
        #expect(text == TextColumns.render([["layer", "p50"], ["conv3x3", "1.3 us"], ["dw", "45.0 us"]]))
    }

    @Test func aMissingFigureIsADashNeverZero() {
        #expect(TextColumns.figure(nil, 1, " C") == "-")
        #expect(TextColumns.figure(0, 1, " C") == "0.0 C")
        #expect(TextColumns.microseconds(nil) == "-")
    }
}
