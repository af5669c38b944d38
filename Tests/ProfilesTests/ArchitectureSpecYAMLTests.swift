import Models
import Profiles
import Tensors
import TestSupport
import Testing

/// A spec written as YAML reads back as the same spec, so the files `latency sample` writes are
/// the architectures its sampler drew.
@Suite struct ArchitectureSpecYAMLTests {
    @Test func shippedArchitecturesAndSamplesRoundTrip() throws {
        let locator = ProfileLocator(searchDirectories: [Repository.path("Profiles")])
        var specs = try ["mobilenet-v2-96", "tiny"].map { try ArchitectureSpec.loadPlan(path: try locator.locate($0, kind: "archs")).spec }
        for name in ["mobilenet-v2-96", "tiny"] {
            let space = try ArchitectureSearchSpace.load(path: try locator.locate(name, kind: "spaces"))
            specs += try space.samples(count: 5, seed: 3).map(\.plan.spec)
        }
        for spec in specs {
            #expect(try ArchitectureSpec.parse(yaml: try spec.yaml(), file: "\(spec.name).yaml") == spec, "\(spec.name)")
        }
    }

    @Test func everyFieldRoundTrips() throws {
        // Not square, no head convolution, repeats, both explicit skip rules, a name YAML would read as a number.
        let spec = ArchitectureSpec(
            name: "1e3", input: TensorShape(height: 32, width: 24, channels: 1),
            stem: ArchitectureSpec.Stem(outputChannels: 8, kernel: 5, stride: 1),
            blocks: [
                ArchitectureSpec.Block(kind: .separable, kernel: 3, expand: 1, outputChannels: 8, stride: 1, repeats: 2, skip: .never),
                ArchitectureSpec.Block(kind: .invertedResidual, kernel: 7, expand: 4, outputChannels: 8, stride: 1, skip: .always),
            ],
            head: ArchitectureSpec.Head(pointwiseChannels: nil, classes: 3))
        let yaml = try spec.yaml()
        #expect(try ArchitectureSpec.parse(yaml: yaml, file: "spec.yaml") == spec, "\(yaml)")
        _ = try ArchitectureSpec.plan(yaml: yaml, file: "spec.yaml")
    }

    @Test func samplesAreTheSamplerDrawsInOrder() throws {
        let space = try ArchitectureSearchSpace.load(path: Repository.path("Profiles/spaces/tiny.yaml"))
        var generator = SplitMix64(seed: 9)
        let drawn = try (0..<4).map { try space.sample(using: &generator, name: "tiny-sample\($0)").plan.spec }
        #expect(try space.samples(count: 4, seed: 9).map(\.plan.spec) == drawn)
        #expect(try space.samples(count: 4, seed: 10).map(\.plan.spec) != drawn)
    }
}
