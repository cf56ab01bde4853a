import ConvergeModel

extension ModbusTCP {
    /// Tag abbreviations of the four data tables, as in `modbus://10.1.1.5/1/hr/40`.
    static func tagTable(_ kind: String) -> String? {
        switch kind {
        case TargetKind.coil: "co"
        case TargetKind.discreteInput: "di"
        case TargetKind.holdingRegister: "hr"
        case TargetKind.inputRegister: "ir"
        default: nil
        }
    }

    /// The values a message carries, one per address, tagged `modbus://<server>/<unit>/<table>/<address>`:
    /// write requests (written) and read responses whose request was seen (read). Built from the
    /// event's targets, so it allocates only when something consumes process values.
    public static func processValues(_ message: Message) -> [ProcessValue] {
        guard message.proto == name, let unit = message.unit else { return [] }
        let written = message.direction == .toServer
        var values: [ProcessValue] = []
        for target in message.targets where !target.values.isEmpty && target.address >= 0 {
            guard let table = tagTable(target.kind) else { continue }
            for (index, value) in target.values.enumerated() {
                let tag = "modbus://\(message.server.address)/\(unit)/\(table)/\(target.address &+ index)"
                values.append(ProcessValue(time: message.time, tag: tag, value: Double(value), written: written))
            }
        }
        return values
    }
}

extension ModbusTCP {
    /// The `Dissector` requirement: the values are read from the event's targets.
    public static func processValues(
        _ frame: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        processValues(event)
    }
}
