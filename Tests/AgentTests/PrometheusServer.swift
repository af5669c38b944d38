import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Prometheus (Debian's `prometheus` package) or node_exporter started by a test on
/// loopback, in a temporary directory, killed when the test ends.
final class LoopbackServerProcess: @unchecked Sendable {
    let port: Int
    private let process = Process()

    /// Starts `executable` with `arguments`; its output goes to `log`.
    init(executable: String, arguments: [String], port: Int, log: String) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    deinit {
        stop()
    }

    /// Kills the server and waits for it.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }
}

/// Prometheus' HTTP API (`/api/v1/query`): instant PromQL queries.
struct PrometheusAPI {
    let port: Int

    /// The samples of an instant query: each series' labels and value (`nil` on any error).
    func query(_ promql: String) async -> [(labels: [String: String], value: Double)]? {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        guard let url = components.url,
              let (data, _) = try? await URLSession.shared.data(from: url),
              let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              body["status"] as? String == "success",
              let result = (body["data"] as? [String: Any])?["result"] as? [[String: Any]] else { return nil }
        return result.compactMap { item in
            guard let labels = item["metric"] as? [String: String], let pair = item["value"] as? [Any], pair.count == 2,
                  let text = pair[1] as? String, let value = Double(text) else { return nil }
            return (labels, value)
        }
    }

    /// The single value of `promql`, or `nil` while it has none (or more than one).
    func value(_ promql: String) async -> Double? {
        guard let samples = await query(promql), samples.count == 1 else { return nil }
        return samples[0].value
    }
}
