import ConvergeModel

extension EtherNetIP {
    /// The tag values a CIP message carries, tagged `enip://<server>/<tag name>` (and `/<n>` for
    /// the n-th element of a multi-element read or write): write requests (written) and read
    /// replies whose tag name is known (read). Built from the event's targets, so it allocates
    /// only when something consumes process values. REAL/LREAL values are the targets' integers.
    public static func processValues(_ message: Message) -> [ProcessValue] {
        guard message.proto == "cip" else { return [] }
        let written = message.direction == .toServer
        var values: [ProcessValue] = []
        for target in message.targets where target.kind == TargetKind.tag && !target.values.isEmpty {
            guard let name = target.name, !name.isEmpty else { continue }
            let base = "enip://\(message.server.address)/\(name)"
            for (index, value) in target.values.enumerated() {
                let tag = target.values.count == 1 ? base : "\(base)/\(index)"
                values.append(ProcessValue(time: message.time, tag: tag, value: Double(value), written: written))
            }
        }
        return values
    }
}
