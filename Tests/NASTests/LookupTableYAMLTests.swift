import Foundation
import NAS
import TestSupport
import Testing

/// Lookup tables are written with libyaml's emitter (Configuration's `YAMLEmitter`) since Yams
/// left the package: the text must stay byte-identical to what Yams' `serialize` wrote, so
/// tables written before and after compare with `diff` and read the same in ProxylessNAS/OFA.
@Suite struct LookupTableYAMLTests {
    /// A table with the values whose quoting libyaml decides: `: `, `#`, `*`, `- `, empty,
    /// `null`, `~`, `yes`, numbers-as-text, a newline, non-ASCII and a line past 80 columns.
    private static func table() -> LookupTable {
        typealias Entry = LookupTable.Entry
        let board = [
            "cpu": "Intel(R) Xeon(R) CPU @ 2.20GHz", "cores": "2", "empty": "", "colon": "a: b", "hash": "#x", "yes": "yes",
            "null": "null", "unicode": "Cortex\u{2011}A72 \u{B5}s", "long": String(repeating: "word ", count: 30), "star": "*x",
            "quote": "it's \"q\"", "dash": "- item", "num": "1.0", "newline": "a\nb", "tilde": "~",
        ]
        let conditions = [
            "threads": "1", "policy": "warmup=3 iterations=20 min_time=0.5s", "space": "/tmp/space.yaml", "version": "0.1.0",
        ]
        return LookupTable(
            entries: [
                "conv3x3-32-112-s2": Entry(mean: 1.25, std: 0.015625, p50: 1.2, min: 1.1, n: 20),
                "ir_k3_e6-16-24-56-s2": Entry(mean: 0.1, std: 1e-7, p50: 123456.789, min: 0, n: 0),
            ],
            board: board, conditions: conditions,
            networkOverhead: Entry(mean: -0.5, std: 0.25, p50: -0.4, min: -1, n: 3),
            referenceNetwork: Entry(mean: 12.5, std: 0.3, p50: 12.4, min: 12, n: 5))
    }

    /// The fixture is what Yams 6.2.2's `serialize(node:)` wrote for this table.
    @Test func writesTheSameBytesYamsWrote() throws {
        let fixture = try String(contentsOfFile: Repository.path("Tests/NASTests/Fixtures/lookup-table-written-by-yams.yaml"), encoding: .utf8)
        #expect(try Self.table().yaml() == fixture)
    }

    @Test func readsBackWhatItWrites() throws {
        let file = TemporaryFile(try Self.table().yaml())
        #expect(try LookupTable.load(path: file.path) == Self.table())
    }
}
