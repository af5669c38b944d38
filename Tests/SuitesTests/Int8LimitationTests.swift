import Engines
import Profiles
import Suites
import TestSupport
import Testing

@Suite struct Int8LimitationTests {
    @Test func everyLayerOfTheInt8SuiteRunsInInt8OnBothEngines() throws {
        let suite = try Suite.load(path: Repository.path("Profiles/suites/conv-int8.yaml"))
        #expect(!suite.layers.isEmpty)
        for layer in suite.layers {
            for engine in Engine.allCases {
                #expect(LayerWorkload.int8Limitation(of: layer, on: engine) == nil, "\(layer.name) on \(engine)")
            }
        }
    }

    @Test func depthwiseAndSeparableLayersOfConvDefaultAreNamedWithTheirReason() throws {
        let suite = try Suite.load(path: Repository.path("Profiles/suites/conv-default.yaml"))
        let layer = { (name: String) in try #require(suite.layers.first { $0.name == name }) }
        let depthwise = try layer("depthwise3x3-32-112")
        #expect(LayerWorkload.int8Limitation(of: depthwise, on: .edgeprobe)?.contains("groups-1") == true)
        #expect(LayerWorkload.int8Limitation(of: depthwise, on: .xnnpack) == nil)
        let separable = try layer("separable-64-56")
        #expect(Engine.allCases.allSatisfy { LayerWorkload.int8Limitation(of: separable, on: $0)?.contains("separable") == true })
    }
}
