/// A request the server refuses itself, before the application sees it: a malformed request
/// (400, part `request`) or a head over the limits (431, part `headers`). The application
/// chooses the answer's shape (`BoundedHTTPServer.RefusalAnswer`): plain text by default, JSON
/// for the latency service, whose every error is JSON.
public struct HTTPServerRefusal: Sendable, Equatable {
    /// What was wrong with the request; its raw value names it in an answer (`request`, `headers`).
    public enum Part: String, Sendable, Equatable {
        /// Malformed: 400 Bad Request.
        case request
        /// Too large or too many header fields: 431 Request Header Fields Too Large.
        case headers
    }

    /// What was wrong.
    public var part: Part
    /// The problem in words, one line.
    public var problem: String

    /// 400 for a malformed request, 431 for headers over the limits.
    public var status: Int {
        switch part {
        case .request: 400
        case .headers: 431
        }
    }

    /// The problem as a plain-text answer (the default, and the metrics endpoint's).
    public static func plainText(_ refusal: HTTPServerRefusal) -> HTTPServerResponse {
        HTTPServerResponse(status: refusal.status, text: refusal.problem + "\n")
    }
}
