import ConvergeModel

extension DNS {
    /// `event` names a message by its opcode and whether it answers, and takes its status from the
    /// response code; its anomalies are the frame's. Frames with anomalies or without a header
    /// are not keyed. Each query is a flow of its own, so the key is what lets the gate remember a
    /// verdict across a client's queries to one server (`FeedGate`'s endpoint verdicts).
    public static func feedKey(_ parsed: Frame, state: borrowing State) -> FeedKey? {
        guard parsed.hasHeader, parsed.anomalies.isEmpty else { return nil }
        // QR, opcode and response code; the direction.
        return FeedKey(UInt64(parsed.flags & 0xF80F) | FeedKey.bit(parsed.direction) << 16, unit: nil)
    }
}
