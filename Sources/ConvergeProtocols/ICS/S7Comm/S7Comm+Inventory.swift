import ConvergeModel

extension S7Comm {
    /// The inventory's feed without an event (the same answer as the event's status and operation).
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        // A paired answer asks nothing: its operation is not worked out (half of all messages).
        if parsed.roundTripNanoseconds != nil { return nil }
        return requestOperation(
            operation(parsed), pending: parsed.kind == .pdu && parsed.isRequest,
            paired: parsed.roundTripNanoseconds != nil, direction: parsed.direction)
    }

    /// Only the last part of an identity SZL answer (module identification, component identity).
    public static func identityHint(_ parsed: Frame) -> IdentityHint { parsed.completesIdentitySZL ? .always : .never }
}
