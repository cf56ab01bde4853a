import ConvergeModel

extension ModbusTCP {
    /// The inventory's feed without an event (the same answer as the event's status and operation).
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        // A paired answer asks nothing: its operation is not worked out (half of all messages).
        if parsed.roundTripNanoseconds != nil { return nil }
        return requestOperation(
            operation(parsed.function, subFunction: parsed.subFunction), pending: parsed.isRequest,
            paired: parsed.roundTripNanoseconds != nil, direction: parsed.direction)
    }

    /// Only a Read Device Identification answer names the device.
    public static func identityHint(_ parsed: Frame) -> IdentityHint {
        !parsed.isRequest && parsed.function == .encapsulatedInterfaceTransport ? .always : .never
    }
}
