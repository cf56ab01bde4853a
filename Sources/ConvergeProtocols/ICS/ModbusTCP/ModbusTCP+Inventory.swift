import ConvergeModel

extension ModbusTCP {
    /// The inventory's feed without an event (the same answer as the event's status and operation).
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        requestOperation(
            operation(parsed.function, subFunction: parsed.subFunction), pending: parsed.isRequest,
            paired: parsed.roundTripNanoseconds != nil, direction: parsed.direction)
    }

    /// Only a Read Device Identification answer names the device.
    public static func identityHint(_ parsed: Frame) -> IdentityHint {
        !parsed.isRequest && parsed.function == .encapsulatedInterfaceTransport ? .always : .never
    }
}
