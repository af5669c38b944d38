import Testing
@testable import Quantities

@Suite struct DurationTextTests {
    @Test func parsesUnits() throws {
        #expect(try DurationText.parse("500ms") == .milliseconds(500))
        #expect(try DurationText.parse("1s") == .seconds(1))
        #expect(try DurationText.parse("1.5s") == .milliseconds(1500))
        #expect(try DurationText.parse("2m") == .seconds(120))
        #expect(try DurationText.parse("1h") == .seconds(3600))
        #expect(try DurationText.parse("250us") == .microseconds(250))
        #expect(try DurationText.parse("1d") == .seconds(86_400))
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

/// The grammar the command line, the agent's configuration and the profiles share.
@Suite struct SharedGrammarTests {
    @Test func durationsInSecondsIncludingDays() {
        #expect(DurationText.seconds("250ms") == 0.25)
        #expect(DurationText.seconds("250us") == 0.00025)
        #expect(DurationText.seconds("2m") == 120)
        #expect(DurationText.seconds("1d") == 86_400)
        #expect(DurationText.seconds("3") == 3)
        #expect(DurationText.seconds("-1s") == nil)
        #expect(DurationText.format(seconds: 86_400) == "1d")
        #expect(DurationText.format(seconds: 0.1) == "100ms")
    }

    @Test func sizes() {
        #expect(SizeText.bytes("10MiB") == 10 << 20)
        #expect(SizeText.bytes("1.5KiB") == 1536)
        #expect(SizeText.bytes("2MB") == 2_000_000)
        #expect(SizeText.bytes("4096") == 4096)
        #expect(SizeText.bytes("0.3") == nil)
        #expect(SizeText.bytes("-1KiB") == nil)
    }
}
