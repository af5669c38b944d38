import Testing
@testable import Telemetry

@Suite struct DurationTextTests {
    @Test func parsesUnits() throws {
        #expect(try DurationText.parse("500ms") == .milliseconds(500))
        #expect(try DurationText.parse("1s") == .seconds(1))
        #expect(try DurationText.parse("1.5s") == .milliseconds(1500))
        #expect(try DurationText.parse("2m") == .seconds(120))
        #expect(try DurationText.parse("1h") == .seconds(3600))
        #expect(try DurationText.parse("250us") == .microseconds(250))
        #expect(try DurationText.parse("3") == .seconds(3))
        #expect(try DurationText.parse("0") == .zero)
    }

    @Test func refusesWhatIsNotADuration() {
        #expect(throws: DurationText.ParseError.notADuration("abc")) { try DurationText.parse("abc") }
        #expect(throws: DurationText.ParseError.notADuration("")) { try DurationText.parse("") }
        #expect(throws: DurationText.ParseError.notADuration("-1s")) { try DurationText.parse("-1s") }
        #expect(throws: DurationText.ParseError.unknownUnit("parsecs")) { try DurationText.parse("5parsecs") }
    }

    @Test func formatsCompactly() {
        #expect(DurationText.format(.milliseconds(500)) == "500ms")
        #expect(DurationText.format(.seconds(120)) == "2m")
        #expect(DurationText.format(.seconds(1)) == "1s")
    }
}
