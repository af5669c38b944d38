import Dispatch
import LatencyService
import Models
import NAS

/// Requests to the HTTP latency service, through `LatencyServiceHandler` (routes, token, limits,
/// query parameters, the architecture in the body). An input is an HTTP/1.1 request as sent on
/// the wire: request line, header lines, a blank line, the body. SwiftNIO's HTTP/1 decoder parses
/// the real wire format (`HTTPServer`); this split only turns an input into the handler's `Request`. Measuring is
/// replaced by a failure, so the fuzzer exercises every check that runs before a measurement.
enum LatencyRequestFuzzing {
    /// A handler on loopback, without telemetry, that never measures.
    private static let handler: LatencyServiceHandler = {
        let configuration = LatencyServiceConfiguration(port: 0, requestTimeoutS: 5, sampleTelemetry: false)
        do {
            return try LatencyServiceHandler(configuration: configuration) { _, _, _ in
                throw LatencyMeasurement.Failure.build("not measured while fuzzing")
            }
        } catch {
            fatalError("edgeprobe-fuzz: cannot create the latency service handler: \(error)")
        }
    }()

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let request = parse(Array(input))
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var status = 0
        Task {
            status = await handler.handle(request).status
            answered.signal()
        }
        answered.wait()
        precondition((200...599).contains(status), "the handler answered status \(status)")
    }

    /// Splits the input at the first blank line into head and body, the head into the request
    /// line and `Name: value` headers; the target's query string into name=value pairs.
    static func parse(_ bytes: [UInt8]) -> LatencyServiceHandler.Request {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd = bytes.count, bodyStart = bytes.count
        if let index = firstIndex(of: separator, in: bytes) { headEnd = index; bodyStart = index + separator.count }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.first.map { $0.split(separator: " ", maxSplits: 2) } ?? []
        let method = requestLine.first.map(String.init) ?? ""
        let target = requestLine.count > 1 ? String(requestLine[1]) : ""
        let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if pathAndQuery.count > 1 {
            for item in pathAndQuery[1].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
            }
        }
        var authorization: String?
        var declaredLength: Int?
        for line in lines.dropFirst() {
            let field = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard field.count == 2 else { continue }
            let value = field[1].drop(while: { $0 == " " })
            switch field[0].lowercased() {
            case "authorization": authorization = String(value)
            case "content-length": declaredLength = Int(value)
            default: break
            }
        }
        return LatencyServiceHandler.Request(
            method: method, path: pathAndQuery.first.map(String.init) ?? "", query: query,
            authorization: authorization, body: Array(bytes[bodyStart...]), declaredLength: declaredLength)
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
