import Models
import Profiles
import TestSupport
import Testing

/// `edgeprobe latency sample` writes the architectures the Swift sampler draws (those `lut
/// --check` measures) as spec files, for Benchmarks/peers/fidelity.py.
@Suite(.timeLimit(.minutes(1))) struct LatencySampleCommandTests {
    @Test func writesTheSampledArchitecturesAsSpecFiles() async throws {
        let directory = TemporaryDirectory()
        let result = try await EdgeprobeBinary.run(["latency", "sample", "--space", "tiny", "--archs", "4", "--seed", "7",
                                                    "--directory", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        let space = try ArchitectureSearchSpace.load(path: Repository.path("Profiles/spaces/tiny.yaml"))
        let expected = try space.samples(count: 4, seed: 7).map(\.plan.spec)
        #expect(result.stdoutLines == expected.map { "\(directory.path)/\($0.name).yaml" })
        for (path, spec) in zip(result.stdoutLines, expected) {
            #expect(try ArchitectureSpec.loadPlan(path: path).spec == spec, "\(path)")
        }
    }

    @Test func aMissingSpaceOrDirectoryIsOneErrorNamingIt() async throws {
        let directory = TemporaryDirectory()
        let space = try await EdgeprobeBinary.run(["latency", "sample", "--space", "no-such-space", "--directory", directory.path])
        #expect(space.status == 1 && space.stdout.isEmpty)
        #expect(space.stderr.contains("no-such-space"), "\(space.stderr)")
        let missing = directory.path + "/missing"
        let written = try await EdgeprobeBinary.run(["latency", "sample", "--space", "tiny", "--directory", missing])
        #expect(written.status == 1 && written.stdout.isEmpty)
        #expect(written.stderr.contains("--directory \(missing)") && written.stderr.contains("No such file or directory"), "\(written.stderr)")
        let none = try await EdgeprobeBinary.run(["latency", "sample", "--space", "tiny", "--archs", "0", "--directory", directory.path])
        #expect(none.status == 2 && none.stderr.contains("--archs"), "\(none.stderr)")
    }
}
