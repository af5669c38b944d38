import Reports
import Testing

/// The records' timestamps: written as RFC 3339 UTC with milliseconds, and read back as seconds.
@Suite struct TimestampTests {
    @Test func formatsAndReadsBackUTCSeconds() {
        #expect(Timestamp.format(seconds: 1_796_513_381, milliseconds: 803) == "2026-12-05T23:29:41.803Z")
        #expect(abs((Timestamp.seconds("2026-12-05T23:29:41.803Z") ?? 0) - 1_796_513_381.803) < 1e-6)
        #expect(Timestamp.seconds("1970-01-01T00:00:01.500Z") == 1.5)
        #expect(Timestamp.seconds("2026-12-05 23:29") == nil)
    }
}
