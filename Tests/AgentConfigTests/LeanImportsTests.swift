import Foundation
import TestSupport
import Testing

/// AgentConfig is for a small agent executable without Foundation: neither it nor the modules it
/// builds on (Measurement, Telemetry, Reports, ProcStats) may import Foundation, Yams or the
/// benchmark side of the package.
@Suite struct LeanImportsTests {
    private static let sources = URL(fileURLWithPath: Repository.path("Sources"))

    /// Modules the lean side may import.
    private static let allowed: Set<String> = [
        "Glibc", "CYAML", "CProc2", "CSensors", "CMalloc", "Reports", "ProcStats", "Telemetry", "Measurement", "Synchronization",
    ]

    /// The modules `target`'s Swift files import, with the file of each.
    private static func imports(of target: String) throws -> [(module: String, file: String)] {
        let folder = sources.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        var found: [(String, String)] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") || $0 == "public" }),
                      index + 1 < words.count else { continue }
                // `import struct X.Y` names the kind first.
                let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
                let nameIndex = kinds.contains(words[index + 1]) ? index + 2 : index + 1
                guard nameIndex < words.count else { continue }
                let name = words[nameIndex]
                found.append((String(name.split(separator: ".")[0]), file))
            }
        }
        return found
    }

    @Test(arguments: ["AgentConfig", "Measurement", "Telemetry", "Reports", "ProcStats"])
    func importsOnlyFoundationFreeModules(target: String) throws {
        let found = try Self.imports(of: target)
        #expect(!found.isEmpty, "no Swift file with an import found under Sources/\(target)")
        for (module, file) in found {
            #expect(Self.allowed.contains(module), "Sources/\(target)/\(file) imports \(module)")
        }
    }
}
