import ConvergeModel

extension TLS {
    /// The inventory's feed without an event: TLS pairs nothing, so what goes to the server asks.
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        requestOperation(operation(parsed), pending: false, paired: false, direction: parsed.direction)
    }

    /// Hellos and certificates name hosts and software (sampled); records and alerts do not.
    public static func identityHint(_ parsed: Frame) -> IdentityHint { parsed.kind == .handshake ? .sample : .never }
}
