import Foundation
import TestSupport
import Testing

/// The small executables `edgeprobe-agent` and `edgeprobe-sample` run for months and must stay
/// small: no Foundation, Yams, kernels, models or HTTP server but the agent's `/metrics` on SwiftNIO. This reads what each links
/// (Package.swift's dependencies, followed to the end) and what every module it links imports.
@Suite struct LeanImportsTests {
    private static let root = URL(fileURLWithPath: Repository.root)

    /// The lean executables.
    private static let executables = ["edgeprobe-agent", "edgeprobe-sample"]

    /// The package's modules they may link.
    private static let leanModules: Set<String> = [
        "edgeprobe-agent", "edgeprobe-sample", "CommandLineSupport", "Agent", "AgentConfig", "BoardLock", "Measurement",
        "Telemetry", "Reports", "ProcStats", "CYAML", "CProc2", "CSensors", "CMalloc", "Configuration", "Quantities",
        "SystemErrors", "MetricsExposition", "HTTPServer", "CRenameExchange",
    ]

    /// Other packages' products they may link: SwiftNIO's HTTP/1 server is the agent's only HTTP
    /// (`/metrics`, HTTPServer), Foundation-free.
    private static let leanProducts: Set<String> = ["ArgumentParser", "ServiceLifecycle", "Logging", "NIOCore", "NIOPosix", "NIOHTTP1"]

    /// Modules they may import besides those: the system's, and what the products above bring.
    private static let systemModules: Set<String> = ["Glibc", "Synchronization", "Dispatch", "UnixSignals"]

    /// Each target's direct dependencies in Package.swift, products by product name.
    private static func dependencies() throws -> [String: [String]] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var result: [String: [String]] = [:]
        for opening in [".target(", ".executableTarget(", ".systemLibrary(", ".testTarget("] {
            var searchStart = manifest.startIndex
            while let range = manifest.range(of: opening, range: searchStart..<manifest.endIndex) {
                let body = balanced(manifest, from: manifest.index(before: range.upperBound), open: "(", close: ")")
                searchStart = range.upperBound
                guard let name = firstQuoted(after: "name:", in: body) else { continue }
                var names: [String] = []
                if let list = body.range(of: "dependencies:") {
                    let start = body[list.upperBound...].firstIndex(of: "[")!
                    let dependencies = balanced(body, from: start, open: "[", close: "]")
                    var rest = Substring(dependencies)
                    while let quote = rest.firstIndex(of: "\"") {
                        let after = rest.index(after: quote)
                        let end = rest[after...].firstIndex(of: "\"")!
                        let word = String(rest[after..<end])
                        let before = rest[..<quote]
                        // `.product(name: "X", package: "Y")`: keep X, skip Y.
                        if !before.hasSuffix("package: ") { names.append(word) }
                        rest = rest[rest.index(after: end)...]
                    }
                }
                result[name] = names
            }
        }
        return result
    }

    private static func balanced(_ text: String, from start: String.Index, open: Character, close: Character) -> String {
        var depth = 0
        var index = start
        while index < text.endIndex {
            if text[index] == open { depth += 1 }
            if text[index] == close {
                depth -= 1
                if depth == 0 { return String(text[start...index]) }
            }
            index = text.index(after: index)
        }
        return String(text[start...])
    }

    private static func firstQuoted(after label: String, in text: String) -> String? {
        guard let label = text.range(of: label), let open = text[label.upperBound...].firstIndex(of: "\"") else { return nil }
        let after = text.index(after: open)
        guard let close = text[after...].firstIndex(of: "\"") else { return nil }
        return String(text[after..<close])
    }

    /// Everything `executable` links, following dependencies.
    private static func linked(by executable: String, in graph: [String: [String]]) -> Set<String> {
        var seen: Set<String> = []
        var pending = [executable]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            pending.append(contentsOf: graph[next] ?? [])
        }
        return seen
    }

    /// The modules `target`'s Swift files import, with the file of each.
    private static func imports(of target: String) throws -> [(module: String, file: String)] {
        let folder = root.appendingPathComponent("Sources").appendingPathComponent(target)
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
                found.append((String(words[nameIndex].split(separator: ".")[0]), file))
            }
        }
        return found
    }

    @Test(arguments: executables)
    func linksOnlyLeanModules(executable: String) throws {
        let graph = try Self.dependencies()
        #expect(graph["Agent"]?.contains("AgentConfig") == true, "Package.swift was not read: \(graph.keys.sorted())")
        let linked = Self.linked(by: executable, in: graph)
        #expect(linked.contains(executable) && linked.contains("CommandLineSupport"))
        let unexpected = linked.subtracting(Self.leanModules).subtracting(Self.leanProducts)
        #expect(unexpected.isEmpty, "\(executable) links \(unexpected.sorted())")
    }

    @Test(arguments: executables)
    func everyModuleItLinksImportsOnlyLeanModules(executable: String) throws {
        let linked = Self.linked(by: executable, in: try Self.dependencies())
        let swiftModules = linked.filter { module in
            let folder = Self.root.appendingPathComponent("Sources/\(module)").path
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { $0.hasSuffix(".swift") }
        }
        #expect(swiftModules.contains("CommandLineSupport") && swiftModules.contains("Telemetry"), "\(swiftModules.sorted())")
        // Quantities imports nothing; the scan is checked on a module that imports something.
        #expect(try !Self.imports(of: "CommandLineSupport").isEmpty, "no import found under Sources/CommandLineSupport")
        for module in swiftModules.sorted() {
            let found = try Self.imports(of: module)
            for (imported, file) in found where !linked.contains(imported) && !Self.systemModules.contains(imported) {
                Issue.record("Sources/\(module)/\(file) imports \(imported), which \(executable) must not link")
            }
        }
    }
}
