import ConvergeModel

extension TLS {
    /// `event` names a record by its kind and handshake type, takes its operation from them and
    /// its status from an alert's level and description. A certificate is checked while its event
    /// is built (its anomalies are not known before), so only the hellos among handshake messages
    /// are keyed; frames with anomalies are not.
    public static func feedKey(_ parsed: Frame, state: borrowing State) -> FeedKey? {
        guard parsed.anomalies.isEmpty else { return nil }
        if parsed.kind == .handshake, parsed.handshake != .clientHello, parsed.handshake != .serverHello { return nil }
        var bits = UInt64(parsed.kind.rawValue) | UInt64(parsed.handshakeType) << 8
        if parsed.kind == .alert { bits |= UInt64(parsed.alertLevel) << 16 | UInt64(parsed.alertDescription) << 24 }
        return FeedKey(bits | FeedKey.bit(parsed.direction) << 32, unit: nil)
    }
}
