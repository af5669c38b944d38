import ArgumentParser
import CommandLineSupport
import Models
import Profiles
import SystemErrors

extension EdgeProbe.Latency {
    /// `edgeprobe latency sample`: random architectures of a search space written as spec files,
    /// so tools outside edgeprobe (Benchmarks/peers/fidelity.py) measure what its sampler draws.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write random architectures of a search space as architecture spec files.",
            discussion: """
                Draws --archs architectures of the search space (Profiles/spaces, format in \
                Docs/nas.md) from --seed, as `lut --check` does (the same seed gives the same \
                architectures, named <space>-sample<index>), writes each as a spec file \
                <directory>/<name>.yaml that `latency --arch` and the latency service read, and \
                prints each file's path on its own line.

                Examples:
                  edgeprobe latency sample --space mobilenet-v2-96 --archs 20 --directory specs
                """)

        @Option(help: ArgumentHelp("Search space name in Profiles/spaces, or a path.", valueName: "name|path"))
        var space: String

        @Option(parsing: .unconditional, help: "How many architectures to draw.")
        var archs = 20

        @Option(parsing: .unconditional, help: "Seed of the sampling (that of lut --check's --sample-seed).")
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("An existing directory the spec files are written into.", valueName: "path"))
        var directory: String

        func validate() throws {
            if archs < 1 { throw ValidationError("--archs must be at least 1, got \(archs)") }
        }

        func run() throws {
            let samples: [(plan: ArchitecturePlan, depths: [Int])]
            do {
                let space = try ArchitectureSearchSpace.load(path: try ProfileLocator.standard().locate(self.space, kind: "spaces"))
                samples = try space.samples(count: archs, seed: seed)
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
            for (plan, _) in samples {
                let path = "\(directory)/\(plan.spec.name).yaml"
                do {
                    try WholeFile.write(Array(try plan.spec.yaml().utf8), to: path)
                } catch {
                    printError("--directory \(directory): cannot write \(path): \(error)")
                    throw ExitCode.failure
                }
                print(path)
            }
        }
    }
}
