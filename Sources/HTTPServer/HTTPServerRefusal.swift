/// A request the server refuses itself, before the application sees it: a malformed request
/// (400, `part` `request`) or a head over the limits (431, `part` `headers`). The application
/// chooses the answer's shape (`BoundedHTTPServer.RefusalAnswer`): plain text by default, JSON
/// for the latency service, whose every error is JSON.
public struct HTTPServerRefusal: Sendable, Equatable {
    /// 400 or 431.
    public var status: Int
    /// What was wrong: `request` (malformed) or `headers` (too large or too many).
    public var part: String
    /// The problem in words, one line.
    public var problem: String

    /// The problem as a plain-text answer (the default, and the metrics endpoint's).
    public static func plainText(_ refusal: HTTPServerRefusal) -> HTTPServerResponse {
        HTTPServerResponse(status: refusal.status, text: refusal.problem + "\n")
    }
}
