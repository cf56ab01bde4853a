import ConvergeModel

extension DNP3 {
    /// The inventory's feed without an event (the same answer as the event's status and operation).
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        guard parsed.hasFunction else {
            return requestOperation(
                parsed.hasTransport ? .other : .session, pending: false, paired: false, direction: parsed.direction)
        }
        let function = parsed.function
        let pending: Bool
        if function.isResponse {
            pending = false
        } else {
            switch function.rawValue {
            case 0, 6, 8, 10, 12: pending = false
            default: pending = true
            }
        }
        return requestOperation(
            parsed.operation, pending: pending, paired: parsed.roundTripNanoseconds != nil, direction: parsed.direction)
    }

    /// Device attributes (group 0) name the outstation; any response says it is one.
    public static func identityHint(_ parsed: Frame) -> IdentityHint {
        guard parsed.hasFunction, parsed.function.isResponse else { return .never }
        return parsed.touched.contains(.deviceAttributes) ? .always : .sample
    }
}
