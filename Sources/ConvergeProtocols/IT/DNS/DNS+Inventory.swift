import ConvergeModel

extension DNS {
    /// The inventory's feed without an event (the same answer as the event's status and operation).
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        requestOperation(
            opcodeOperation(parsed.opcode), pending: parsed.hasHeader && !parsed.isResponse,
            paired: parsed.roundTripNanoseconds != nil, direction: parsed.direction)
    }
}

extension DNS {
    /// Answers name other hosts (a new name can come with any answer): always read; queries never.
    public static func identityHint(_ parsed: Frame) -> IdentityHint { parsed.isResponse ? .always : .never }
}
