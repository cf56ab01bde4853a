import ConvergeModel

extension HTTP {
    /// `event` names a request by its method (a method it does not know by the token's text, so
    /// those are not keyed), a response by its status code (an error's name comes from its reason
    /// text, so errors are not keyed either); the operation follows the method and the
    /// authorisation scheme. Frames with anomalies are not keyed.
    public static func feedKey(_ parsed: Frame, state: borrowing State) -> FeedKey? {
        guard parsed.anomalies.isEmpty else { return nil }
        var bits = UInt64(parsed.kind.rawValue) | FeedKey.bit(parsed.direction) << 8
        switch parsed.kind {
        case .request:
            guard parsed.method != .other else { return nil }
            bits |= UInt64(parsed.method.rawValue) << 16 | UInt64(parsed.authScheme.rawValue) << 24
        case .response:
            guard parsed.status < 400 else { return nil }
            bits |= UInt64(parsed.status) << 16 | UInt64(parsed.requestMethod.map { $0.rawValue &+ 1 } ?? 0) << 32
        case .body:
            break
        }
        return FeedKey(bits, unit: nil)
    }
}
