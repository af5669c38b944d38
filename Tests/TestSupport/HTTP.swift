import Foundation
import FoundationNetworking

/// HTTP requests to a service under test on loopback.
public enum HTTP {
    /// A response.
    public struct Answer: Sendable {
        /// The status code.
        public let status: Int
        /// The headers, names in lower case.
        public let headers: [String: String]
        /// The body.
        public let body: Data

        /// The body as a JSON object.
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw TestSupportError("not a JSON object: \(String(decoding: body.prefix(500), as: UTF8.self))")
            }
            return object
        }
    }

    /// Sends `method path` to 127.0.0.1:`port`, with a bearer `token` when given. The timeout only
    /// catches a hang.
    public static func send(
        _ method: String, port: Int, _ path: String, body: Data? = nil, token: String? = nil, timeoutS: Double = 120
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = timeoutS
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestSupportError("not an HTTP response: \(response)") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields { headers["\(name)".lowercased()] = "\(value)" }
        return Answer(status: http.statusCode, headers: headers, body: data)
    }

    /// The port in a `serving on http://HOST:PORT` line followed by exactly `path` (the latency
    /// service says none, the agent's metrics endpoint `/metrics`), the first such line among
    /// `lines`. A server started on port 0 says there which port the kernel gave it.
    public static func servingPort(in lines: [String], path: String = "") -> Int? {
        lines.lazy.compactMap { line -> Int? in
            guard let range = line.range(of: "serving on http://") else { return nil }
            let rest = line[range.upperBound...]
            guard rest.hasSuffix(path) else { return nil }
            return rest.dropLast(path.count).split(separator: ":").last.flatMap { Int($0) }
        }.first
    }
}

extension TestProcess {
    /// The port a server in this process (or a child whose standard error it passes on) listens
    /// on, from its `serving on` line with `path` (see `HTTP.servingPort`); `nil` if the line never came.
    public func servingPort(path: String = "", within deadline: Duration = hangDeadline) -> Int? {
        line(onStderr: true, within: deadline) { HTTP.servingPort(in: [$0], path: path) != nil }
            .flatMap { HTTP.servingPort(in: [$0], path: path) }
    }
}
