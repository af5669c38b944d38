import Foundation
import Models
@testable import Profiles
import TestSupport
import Testing

@Suite struct ArchitectureLoadingTests {
    private static let tiny = """
        name: t
        resolution: 16
        stem: {cout: 8}
        blocks:
          - {type: separable, kernel: 3, cout: 16}
          - {type: inverted_residual, expand: 3, kernel: 5, cout: 16, stride: 2, repeats: 2, skip: auto}
        head: {cout: 32, pool: global_average, classes: 10}
        """

    private func problem(_ yaml: String) -> String? {
        do {
            _ = try ArchitectureSpec.plan(yaml: yaml, file: "spec.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func shippedArchitecturesLoad() throws {
        let locator = ProfileLocator(searchDirectories: [Repository.path("Profiles")])
        #expect(locator.available(kind: "archs").contains("mobilenet-v2-96"))
        let plan = try ArchitectureSpec.loadPlan(path: try locator.locate("mobilenet-v2-96", kind: "archs"))
        #expect(plan.spec.input.description == "96x96x3")
        #expect(plan.layers.count == 21)  // stem, 17 inverted residuals, head conv, pool, fc
        #expect(plan.layers.filter { $0.kind == .invertedResidual }.count == 17)
        #expect(plan.layers.last?.outputShape.channels == 1000)
        #expect(plan.parameterCount == 3_487_816)  // MobileNetV2 1.0 without batch norm: 3.49 M
        let tiny = try ArchitectureSpec.loadPlan(path: try locator.locate("tiny", kind: "archs"))
        #expect(tiny.layers.count == 7)
    }

    @Test func defaultsAndSkipRules() throws {
        let plan = try ArchitectureSpec.plan(yaml: Self.tiny, file: "t.yaml")
        #expect(plan.spec.stem == ArchitectureSpec.Stem(outputChannels: 8, kernel: 3, stride: 2))
        #expect(plan.spec.blocks[0].stride == 1 && plan.spec.blocks[0].expand == 1)
        #expect(plan.spec.input.channels == 3)
        let never = try ArchitectureSpec.plan(yaml: Self.tiny.replacingOccurrences(of: "skip: auto", with: "skip: false"), file: "t.yaml")
        #expect(never.layers.allSatisfy { !$0.hasSkip })
    }

    @Test func jsonIsAcceptedToo() throws {
        let json = """
            {"name": "j", "resolution": [16, 12], "channels": 1, "stem": {"cout": 4},
             "blocks": [{"type": "inverted_residual", "expand": 2, "cout": 4}], "head": {"classes": 3}}
            """
        let plan = try ArchitectureSpec.plan(yaml: json, file: "request")
        #expect(plan.spec.input.description == "16x12x1")
        #expect(plan.layers.map(\.kind) == [.stem, .invertedResidual, .globalAveragePool, .fullyConnected])
    }

    @Test func unknownBlockTypeIsNamed() {
        let text = Self.tiny.replacingOccurrences(of: "type: separable", with: "type: fused_mbconv")
        #expect(problem(text) == "spec.yaml:5: blocks[0].type: unknown block type 'fused_mbconv' (known: inverted_residual, separable)")
    }

    @Test func unknownAndMissingFieldsAreNamed() {
        #expect(problem(Self.tiny.replacingOccurrences(of: "kernel: 3, cout", with: "kernal: 3, cout"))?
            .contains("blocks[0].kernal: unknown key") == true)
        #expect(problem(Self.tiny.replacingOccurrences(of: "expand: 3, ", with: ""))?
            .contains("blocks[1].expand: is required but missing") == true)
        #expect(problem(Self.tiny.replacingOccurrences(of: "classes: 10", with: "classes: ten"))?
            .contains("head.classes: expected a whole number, got 'ten'") == true)
        #expect(problem(Self.tiny.replacingOccurrences(of: "skip: auto", with: "skip: maybe"))?
            .contains("skip: expected true, false or auto") == true)
        #expect(problem(Self.tiny.replacingOccurrences(of: "pool: global_average", with: "pool: max"))?
            .contains("unknown pool 'max'") == true)
    }

    @Test func specProblemsNameTheFileEntryAndField() {
        let mismatch = Self.tiny.replacingOccurrences(of: "{type: separable, kernel: 3, cout: 16}", with: "{type: inverted_residual, expand: 6, cout: 16, skip: true}")
        #expect(problem(mismatch) == "spec.yaml: blocks[0].skip: a skip needs equal input and output shapes, but input channels 8 differ from output channels 16")
        #expect(problem("name: x\n") == "spec.yaml:1: resolution: is required but missing")
        #expect(problem("[1, 2]")?.contains("expected a mapping") == true)
    }

    @Test func limitsApplyToParsedSpecs() {
        do {
            _ = try ArchitectureSpec.plan(yaml: Self.tiny, file: "t.yaml", limits: ArchitectureLimits(maxMacs: 1000))
            Issue.record("a 160k-MAC spec passed a 1000-MAC limit")
        } catch {
            #expect(error.key.split(separator: ".").last == "macs", "\(error.key)")
        }
    }
}
