import ConvergeModel

extension IEC104 {
    /// The `functionCode` of U and S frames in events: they carry no type id (and the engine
    /// counts them as messages without a function).
    public static let noFunctionCode = -1

    /// The normalised event. `bytes` is the span given to `parse` (the APDU starts at offset 0).
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var anomalies = parsed.anomalies
        var targets: [Message.Target] = []
        if parsed.format == .information, bytes.count >= apciLength {
            let asdu = bytes.extracting(apciLength..<min(parsed.apduLength, bytes.count))
            targets = informationObjects(parsed, asdu: asdu, anomalies: &anomalies)
        }
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction,
            functionCode: parsed.hasFunction ? parsed.functionCode : noFunctionCode,
            functionName: functionName(parsed), operation: operation(parsed), targets: targets,
            status: status(parsed), anomalies: anomalies.names)
        if parsed.hasFunction && parsed.asduLength >= asduHeaderLength { message.unit = Int(parsed.commonAddress) }
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// I frames: the type mnemonic and the cause (`c_sc_na_1.activation`); U frames their
    /// function (`testfr_act`); S frames `s_ack`.
    public static func functionName(_ frame: Frame) -> String {
        switch frame.format {
        case .supervisory: return "s_ack"
        case .unnumbered: return frame.uFunction.name
        case .information:
            guard frame.asduLength > 0 else { return "i_empty" }
            guard frame.asduLength >= asduHeaderLength else { return frame.typeID.name }
            return frame.typeID.name + "." + (frame.cause.name ?? "cause_\(frame.cause.rawValue)")
        }
    }

    /// I frames by type id (TypeID.operation); U and S frames manage the session.
    public static func operation(_ frame: Frame) -> Operation {
        frame.hasFunction ? frame.typeID.operation : .session
    }

    /// Activations, read commands and U "act" frames wait for their confirmation; a negative confirmation or
    /// an "unknown …" answer (causes 44–47) is an exception carrying the cause.
    static func status(_ frame: Frame) -> Message.Status {
        switch frame.format {
        case .supervisory: return .ok
        case .unnumbered:
            let activations: UFunction = [
                .startDataTransferActivation, .stopDataTransferActivation, .testFrameActivation,
            ]
            return activations.contains(frame.uFunction) && frame.uFunction.isSingleKnown ? .pending : .ok
        case .information:
            guard frame.asduLength >= asduHeaderLength else { return .ok }
            let cause = frame.cause
            let causeName = cause.name ?? "cause_\(cause.rawValue)"
            if cause.isUnknownAnswer { return .exception(code: Int(cause.rawValue), name: causeName) }
            if frame.isNegative { return .exception(code: Int(cause.rawValue), name: "negative_" + causeName) }
            if cause == .activation || cause == .deactivation { return .pending }
            if cause == .request && frame.rawTypeID == 102 { return .pending }
            return .ok
        }
    }
}
