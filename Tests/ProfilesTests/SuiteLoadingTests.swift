@testable import Profiles
import TestSupport
import Testing

@Suite struct SuiteLoadingTests {
    @Test func defaultSuiteHasTheCourseFigures() throws {
        let suite = try Suite.load(path: Repository.path("Profiles/suites/conv-default.yaml"))
        func macs(_ name: String) throws -> Int {
            try #require(suite.layers.first { $0.name == name }).convolutionShapes.reduce(0) { $0 + $1.macs }
        }
        #expect(try macs("course-regular") == 43_200)
        #expect(try macs("course-separable") == 7_500)
        let ratio = Double(try macs("conv3x3-64-56")) / Double(try macs("separable-64-56"))
        #expect(abs(ratio - 576.0 / 73.0) < 1e-9)
        #expect(suite.pairs.map(\.name) == ["course-example", "regular-vs-separable-64-56"])
        let stem = try #require(suite.layers.first).convolutionShapes[0]
        #expect(stem.outputHeight == 112 && stem.outputWidth == 112)
    }

    @Test func samePaddingFollowsTensorFlow() {
        #expect(SuiteLayer.samePadding(size: 224, kernel: 3, stride: 2) == (0, 1))
        #expect(SuiteLayer.samePadding(size: 56, kernel: 3, stride: 1) == (1, 1))
        #expect(SuiteLayer.samePadding(size: 7, kernel: 1, stride: 1) == (0, 0))
    }

    @Test(arguments: [
        ("{name: a, op: conv3d, cin: 3, h: 8, w: 8, cout: 4}", "layers[0] 'a'.op: unknown op 'conv3d'"),
        ("{name: a, op: conv, h: 8, w: 8, cout: 4}", "layers[0] 'a'.cin: is required but missing"),
        ("{name: a, op: conv, cin: three, h: 8, w: 8, cout: 4}", "layers[0] 'a'.cin: expected a whole number, got 'three'"),
        ("{name: a, op: conv, cin: 3, h: 0, w: 8, cout: 4}", "layers[0] 'a'.h: must be positive, got 0"),
        ("{name: a, op: conv, cin: 3, h: 8, w: -2, cout: 4}", "layers[0] 'a'.w: must be positive, got -2"),
        ("{name: a, op: conv, cin: 3, h: 4, w: 4, cout: 4, k: 7, padding: valid}", "layers[0] 'a'.k:"),
        ("{name: a, op: conv, cin: 6, h: 8, w: 8, cout: 4, groups: 4}", "layers[0] 'a'.groups:"),
        ("{name: a, op: conv, cin: 3, h: 8, w: 8, cout: 4, stide: 2}", "layers[0] 'a'.stide: unknown key"),
        ("{name: a, op: depthwise, cin: 3, h: 8, w: 8, cout: 4}", "layers[0] 'a'.cout: a depthwise layer keeps its channels"),
        ("{name: a, op: conv, cin: 3, h: 8, w: 8, cout: 4, padding: big}", "layers[0] 'a'.padding: expected pixels"),
        ("{name: a, op: conv, cin: 3, h: 8, w: 8, cout: 4, activation: gelu}", "layers[0] 'a'.activation: unknown activation 'gelu'"),
    ])
    func badLayerIsRejectedNamingEntryAndField(layer: String, expected: String) throws {
        let file = TemporaryFile("name: bad\nlayers:\n  - \(layer)\n")
        let error = #expect(throws: ConfigError.self) { try Suite.load(path: file.path) }
        let message = try #require(error).description
        #expect(message.hasPrefix(file.path + ":3: "), "\(message)")
        #expect(message.contains(expected), "\(message)")
    }

    @Test func pairNamingUnknownLayerIsRejected() throws {
        let file = TemporaryFile("""
            name: bad
            layers:
              - {name: a, op: conv, cin: 3, h: 8, w: 8, cout: 4}
            pairs:
              - {name: p, baseline: a, candidate: b}
            """)
        let error = #expect(throws: ConfigError.self) { try Suite.load(path: file.path) }
        #expect(try #require(error).description.contains("pairs[0] 'p'.candidate: names no layer of this suite: 'b'"))
    }

    @Test func duplicateLayerNamesAreRejected() throws {
        let file = TemporaryFile("""
            name: bad
            layers:
              - {name: a, op: pointwise, cin: 3, h: 8, w: 8, cout: 4}
              - {name: a, op: pointwise, cin: 3, h: 8, w: 8, cout: 4}
            """)
        let error = #expect(throws: ConfigError.self) { try Suite.load(path: file.path) }
        #expect(try #require(error).description.contains("layers[1] 'a'.name: another layer already has this name"))
    }

    @Test func unreadableAndInvalidFilesAreNamed() throws {
        let missing = #expect(throws: ConfigError.self) { try Suite.load(path: "/nonexistent/suite.yaml") }
        #expect(try #require(missing).description.hasPrefix("/nonexistent/suite.yaml: cannot read"))
        let garbage = TemporaryFile("name: [unclosed\n")
        let invalid = #expect(throws: ConfigError.self) { try Suite.load(path: garbage.path) }
        #expect(try #require(invalid).description.contains("not valid YAML"))
    }
}
