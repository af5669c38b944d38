import Quantities
import Testing

/// The one fixed-decimals formatting of the terminal tables (bench, soak, sensors).
@Suite struct DecimalTextTests {
    @Test(arguments: [
        (1.25, 1, "1.3"), (-1.25, 1, "-1.3"), (7.0, 0, "7"), (-7.4, 0, "-7"), (3.14159, 3, "3.142"), (0.05, 3, "0.050"),
        (12.0, 2, "12.00"), (0.04, 1, "0.0"), (-0.04, 1, "0.0"), (1_234_567.891, 2, "1234567.89"),
    ] as [(Double, Int, String)])
    func roundsHalfAwayFromZeroToTheDigitsAsked(value: Double, digits: Int, text: String) {
        #expect(DecimalText.fixed(value, digits) == text)
    }
}
