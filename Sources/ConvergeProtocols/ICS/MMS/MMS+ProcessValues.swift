import ConvergeModel

extension MMS {
    /// Scalar values written to named variables (write requests) or reported on them
    /// (information reports), tagged `mms://<device>/<domain>/<item>`: the device is the one
    /// written to, or the one reporting. Structures and strings carry no process value.
    public static func processValues(
        _ parsed: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        guard parsed.kind == .mms, parsed.hasService else { return [] }
        let written: Bool
        switch parsed.pduType {
        case PDUType.confirmedRequest where parsed.service == 5: written = true
        case PDUType.unconfirmed where parsed.service == 0: written = false
        default: return []
        }
        // A write goes to its receiver; a report comes from its sender.
        let toServer = context.direction == .toServer
        let device = written == toServer ? context.server.address : context.client.address
        var values: [ProcessValue] = []
        for target in event.targets where target.kind == TargetKind.namedVariable {
            guard let name = target.name, let number = scalar(target) else { continue }
            values.append(
                ProcessValue(time: context.time, tag: "mms://\(device)/\(name)", value: number, written: written))
        }
        return values
    }

    /// An integer, boolean or floating-point value; nil for anything else.
    static func scalar(_ target: Message.Target) -> Double? {
        if let integer = target.values.first, target.values.count == 1 { return Double(integer) }
        guard let text = target.value, let number = Double(text), number.isFinite else { return nil }
        return number
    }
}
