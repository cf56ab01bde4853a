import ConvergeModel

extension EtherNetIP {
    /// The inventory's feed without an event: the operation `event` gives (the CIP service's, an
    /// embedded request's, a PCCC command's or the weightiest in a Multiple Service Packet).
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        let paired = parsed.roundTripNanoseconds != nil
        // A paired answer asks nothing: its operation is not worked out (half of all messages).
        if paired { return nil }
        guard let cip = parsed.cip else {
            return requestOperation(
                parsed.command.operation, pending: parsed.isRequest, paired: paired, direction: parsed.direction)
        }
        let effective = parsed.embedded ?? cip
        var operation = serviceOperation(effective.code, target: serviceTarget(parsed, effective))
        if let pccc = parsed.pccc {
            operation = pcccOperation(command: pccc.command, function: pccc.function ?? parsed.request?.pcccFunction)
        }
        if effective.code == Service.multipleServicePacket {
            let message = bytes.extracting(0..<min(parsed.totalLength, bytes.count))
            operation = embeddedOperation(message, effective, depth: 1, fallback: .read)
        }
        return requestOperation(operation, pending: parsed.isRequest, paired: paired, direction: parsed.direction)
    }

    /// ListIdentity replies and Get Attributes All answers (the identity object).
    public static func identityHint(_ parsed: Frame) -> IdentityHint {
        !parsed.isRequest && (parsed.command == .listIdentity || parsed.cip?.code == Service.getAttributesAll)
            ? .always : .never
    }
}
