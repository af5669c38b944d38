/// The check of an `Authorization: Bearer <token>` header, shared by every endpoint that requires a token.
public enum BearerAuthorization {
    /// Whether `authorization` is `Bearer <token>`, compared in constant time.
    public static func admits(_ authorization: String?, token: [UInt8]) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let offered = Array(authorization.utf8.dropFirst(7))
        guard offered.count == token.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(offered, token) { difference |= left ^ right }
        return difference == 0
    }
}
