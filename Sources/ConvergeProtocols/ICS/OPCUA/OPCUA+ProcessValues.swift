import ConvergeModel

extension OPCUA {
    /// The Value attribute's id: only values of this attribute are process values (a Read of a
    /// DisplayName or DataType is not).
    static let valueAttribute = 13

    /// The numeric values a message carries, tagged `opcua://<server>/<NodeId>` (and `/<n>` for
    /// the n-th element of an array): Write requests (written), Read responses and Publish data
    /// changes whose node is known (read). Built from the event's targets, so it allocates only
    /// when something consumes process values. Strings, dates and structures are not process
    /// values; neither are NaN and infinities.
    public static func processValues(_ message: Message) -> [ProcessValue] {
        guard message.proto == name else { return [] }
        let written = message.direction == .toServer
        var values: [ProcessValue] = []
        for target in message.targets {
            guard let node = target.name, !node.isEmpty else { continue }
            // Values ride on the Value attribute of Write requests and Read responses, and on
            // data changes; other `node` targets (browsed, monitored, read requests) carry none.
            let carriesValues: Bool
            switch target.kind {
            case TargetKind.node:
                let service = written ? ServiceID.writeRequest : ServiceID.readResponse
                carriesValues = target.address == valueAttribute && message.functionCode == Int(service)
            case TargetKind.dataChange:
                carriesValues = !written
            default:
                carriesValues = false
            }
            guard carriesValues else { continue }
            let numbers = numericValues(target)
            let base = "opcua://\(message.server.address)/\(node)"
            for (index, number) in numbers.enumerated() {
                let tag = numbers.count == 1 ? base : "\(base)/\(index)"
                values.append(ProcessValue(time: message.time, tag: tag, value: number, written: written))
            }
        }
        return values
    }

    /// A target's numbers: its integers, or the numbers of its value text (the part before the
    /// first `;`, comma-separated) when every element is a finite number. A target holding both
    /// (a Variant of Variants) is ambiguous about element order and gives none.
    static func numericValues(_ target: Message.Target) -> [Double] {
        let text = target.value.map { $0.prefix { $0 != ";" } } ?? ""
        let isValue = !text.isEmpty && !text.contains("=") && !text.hasPrefix("\"")
        if !target.values.isEmpty {
            return isValue ? [] : target.values.map { Double($0) }
        }
        guard isValue else { return [] }
        var numbers: [Double] = []
        for element in text.split(separator: ",") {
            guard let number = Double(element), number.isFinite else { return [] }
            numbers.append(number)
        }
        return numbers
    }

    /// The `Dissector` requirement: the values are read from the event's targets.
    public static func processValues(
        _ parsed: Chunk, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        processValues(event)
    }
}
