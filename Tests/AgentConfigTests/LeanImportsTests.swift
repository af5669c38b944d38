import Foundation
import TestSupport
import Testing

/// AgentConfig is for a small agent executable without Foundation: neither it nor the modules it
/// builds on (Configuration, Quantities, SystemErrors, Measurement, Telemetry, Reports, ProcStats)
/// may import Foundation or the benchmark side of the package.
@Suite struct LeanImportsTests {
    private static let sources = URL(fileURLWithPath: Repository.path("Sources"))

    /// Modules the lean side may import.
    private static let allowed: Set<String> = [
        "Glibc", "CYAML", "CProc2", "CSensors", "CMalloc", "Reports", "ProcStats", "Telemetry", "Measurement", "Synchronization",
        "Configuration", "Quantities", "SystemErrors",
    ]

    /// The modules `target`'s Swift files import, with the file of each.
    private static func imports(of target: String) throws -> [(module: String, file: String)] {
        let folder = sources.appendingPathComponent(target)
        let files = try swiftFiles(of: target)
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

    /// The Swift files directly under `Sources/target`.
    private static func swiftFiles(of target: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sources.appendingPathComponent(target).path).filter { $0.hasSuffix(".swift") }
    }

    @Test(arguments: ["AgentConfig", "Configuration", "Quantities", "SystemErrors", "Measurement", "Telemetry", "Reports", "ProcStats"])
    func importsOnlyFoundationFreeModules(target: String) throws {
        #expect(try !Self.swiftFiles(of: target).isEmpty, "no Swift file found under Sources/\(target)")
        let found = try Self.imports(of: target)
        for (module, file) in found {
            #expect(Self.allowed.contains(module), "Sources/\(target)/\(file) imports \(module)")
        }
    }
}
