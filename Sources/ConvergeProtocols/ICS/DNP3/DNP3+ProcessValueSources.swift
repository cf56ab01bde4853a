import ConvergeModel

extension DNP3.ProcessValues {
    /// The application fragment of a frame that carried it whole (transport FIR and FIN), rebuilt
    /// from the frame's data blocks; nil for a segment of a longer fragment or bytes that do not
    /// hold the frame `parse` read.
    static func singleSegmentFragment(_ bytes: Span<UInt8>, frame: DNP3.Frame) -> [UInt8]? {
        let whole = DNP3.Transport.firBit | DNP3.Transport.finBit
        let length = frame.link.frameLength
        guard frame.hasTransport, frame.transportControl & whole == whole, bytes.count >= length,
            frame.anomalies.isDisjoint(with: [.dataCRC])
        else { return nil }
        var fragment: [UInt8] = []
        fragment.reserveCapacity(frame.fragmentLength)
        var first = true
        DNP3.Link.forEachBlock(bytes.extracting(0..<length)) { block in
            for index in (first ? 1 : 0)..<block.count { fragment.append(block[index]) }
            first = false
        }
        return fragment.count == frame.fragmentLength ? fragment : nil
    }

    /// Values from the event's targets, for fragments the frame's bytes do not hold: one per
    /// listed point with the event's integer value, at the packet's time, without flags.
    static func fromTargets(_ event: Message, frame: DNP3.Frame, context: MessageContext) -> [ProcessValue] {
        let written = isCommand(frame.function)
        let prefix = tagPrefix(frame, context: context)
        var values: [ProcessValue] = []
        for target in event.targets where !target.values.isEmpty && target.address >= 0 {
            guard let (type, command) = pointType(kind: target.kind), command == written else { continue }
            if command {
                // A control block lists its fields: the CROB's control code, the output's value.
                guard let first = target.values.first else { continue }
                let value = target.kind == "crob" ? commandedState(UInt8(truncatingIfNeeded: first)) : Double(first)
                guard let value, values.count < maxPerMessage else { continue }
                values.append(ProcessValue(
                    time: context.time, tag: "\(prefix)\(type)/\(target.address)", value: value, written: true))
                continue
            }
            for (offset, value) in target.values.enumerated() where values.count < maxPerMessage {
                values.append(ProcessValue(
                    time: context.time, tag: "\(prefix)\(type)/\(target.address &+ offset)", value: Double(value),
                    written: false))
            }
        }
        return values
    }

    /// The point type of an event target's kind and whether the kind is a command block.
    static func pointType(kind: String) -> (type: String, command: Bool)? {
        switch kind {
        case "crob": ("binary_output", true)
        case "analog_output": ("analog_output", true)
        case "binary_input", "binary_input_event": ("binary_input", false)
        case "double_bit_input", "double_bit_input_event": ("double_bit_input", false)
        case "binary_output", "binary_output_event": ("binary_output", false)
        case "counter", "counter_event": ("counter", false)
        case "frozen_counter", "frozen_counter_event": ("frozen_counter", false)
        case "analog_input", "analog_input_event": ("analog_input", false)
        case "frozen_analog_input", "frozen_analog_input_event": ("frozen_analog_input", false)
        case "analog_output_status", "analog_output_event": ("analog_output", false)
        default: nil
        }
    }
}
