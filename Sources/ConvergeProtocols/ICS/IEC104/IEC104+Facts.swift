import ConvergeModel

extension IEC104 {
    /// Roles of the two stations, as `AssetFact.Kind.role` values.
    public static let controlledStationRole = "iec104_controlled_station"
    public static let controllingStationRole = "iec104_controlling_station"

    /// What a frame reveals about the endpoints: IEC 104 carries no identity strings, but a
    /// STARTDT confirmation or an end of initialization shows which side is the controlled
    /// station (RTU, IED, gateway) and which the controlling station (SCADA, gateway).
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [AssetFact] {
        let isStartConfirmation = frame.format == .unnumbered && frame.uFunction == .startDataTransferConfirmation
        let isEndOfInitialization = frame.hasFunction && frame.rawTypeID == 70
        guard isStartConfirmation || isEndOfInitialization else { return [] }
        // The sender of a confirmation / end of initialization is the controlled station.
        let station = frame.direction == .toClient ? context.server : context.client
        let master = frame.direction == .toClient ? context.client : context.server
        let source = frame.format == .unnumbered ? "iec104/startdt_con" : "iec104/70"
        return [
            AssetFact(
                time: context.time, address: station.address, kind: .role, value: controlledStationRole,
                source: source),
            AssetFact(
                time: context.time, address: master.address, kind: .role, value: controllingStationRole,
                source: source),
        ]
    }

    /// The values a message carries, tagged `iec104://<server>/<common address>/<ioa>`: monitor
    /// values (read) and commands, set-points and parameters sent by the controlling station
    /// (written). Built from the event's targets, so it allocates only when consumed.
    public static func processValues(_ message: Message) -> [ProcessValue] {
        guard message.proto == name, let commonAddress = message.unit else { return [] }
        var values: [ProcessValue] = []
        for target in message.targets {
            guard let raw = target.values.first, let (value, isCommand) = processValue(kind: target.kind, raw: raw)
            else { continue }
            let written = isCommand && message.direction == .toServer
            let tag = "iec104://\(message.server.address)/\(commonAddress)/\(target.address)"
            values.append(ProcessValue(time: message.time, tag: tag, value: value, written: written))
        }
        return values
    }

    /// A target's value as a number, and whether its kind is a command; nil for kinds that carry
    /// no process value.
    static func processValue(kind: String, raw: Int) -> (Double, Bool)? {
        typealias K = TargetKind
        switch kind {
        case K.singlePoint, K.doublePoint, K.stepPosition, K.bitstring, K.scaledValue, K.integratedTotal:
            return (Double(raw), false)
        case K.normalizedValue: return (Double(raw) / 32768, false)
        case K.shortFloat: return (Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))), false)
        case K.singleCommand, K.doubleCommand, K.regulatingStep, K.setpointScaled, K.bitstringCommand,
            K.parameterScaled:
            return (Double(raw), true)
        case K.setpointNormalized, K.parameterNormalized: return (Double(raw) / 32768, true)
        case K.setpointFloat, K.parameterFloat:
            return (Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))), true)
        default: return nil
        }
    }
}

extension IEC104 {
    /// The `Dissector` requirement: identity needs nothing from the flow's state here.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact] {
        facts(frame, bytes: bytes, context: context)
    }
}

extension IEC104 {
    /// The `Dissector` requirement: the values are read from the event's targets.
    public static func processValues(
        _ frame: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        processValues(event)
    }
}
