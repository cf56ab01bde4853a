import ConvergeModel

extension DNP3 {
    /// Group 0 device attributes (IEEE 1815 11.9.1): each object is a data type, a length and a
    /// value; a read response naming the manufacturer, model, versions and serial is the
    /// outstation telling who it is.
    public enum DeviceAttributes {
        /// Data type code of a visible string.
        static let visibleString: UInt8 = 1
        /// Longest attribute text kept (the length field is one byte, so this is the whole value).
        public static let maxTextLength = 255

        /// The fact a variation maps onto, if any.
        static func kind(of variation: UInt8) -> AssetFact.Kind? {
            switch variation {
            case 242: .firmware  // device manufacturer's software version
            case 243: .revision  // device manufacturer's hardware version
            case 247: .hostname  // user-assigned device name
            case 248: .serial  // device serial number
            case 250: .model  // product name and model
            case 252: .vendor  // manufacturer's name
            default: nil
            }
        }

        /// Printable text of a visible-string value: control characters dropped, trimmed.
        static func text(_ fragment: Span<UInt8>, from offset: Int, length: Int) -> String {
            var bytes: [UInt8] = []
            let count = min(length, maxTextLength)
            bytes.reserveCapacity(count)
            for index in offset..<(offset &+ count) {
                guard let byte = fragment.byte(at: index) else { break }
                if byte >= 0x20 && byte != 0x7f { bytes.append(byte) }
            }
            while bytes.last == 0x20 { bytes.removeLast() }
            let start = bytes.firstIndex(where: { $0 != 0x20 }) ?? bytes.count
            return String(decoding: bytes[start...], as: UTF8.self)
        }
    }

    /// What a response reveals about the outstation: its device attributes (group 0) and its
    /// role with its link address. Empty for requests and frames that complete no fragment.
    public static func facts(_ frame: Frame, context: MessageContext, state: State) -> [AssetFact] {
        guard frame.hasFunction, frame.function.isResponse else { return [] }
        let outstation = context.direction == .toClient ? context.server.address : context.client.address
        var facts = [AssetFact(
            time: context.time, address: outstation, kind: .role,
            value: "dnp3_outstation \(frame.link.source)", source: "dnp3/\(frame.rawFunction)")]
        guard frame.touched.contains(.deviceAttributes) else { return facts }
        let fragment = state.fragment(frame.direction)
        guard fragment.count == frame.fragmentLength else { return facts }
        let span = fragment.span
        _ = Objects.walk(span, from: Application.responseHeaderLength, headersOnly: false) { header in
            guard header.group == 0, let kind = DeviceAttributes.kind(of: header.variation) else { return }
            Objects.forEachPoint(span, header, limit: 1) { point in
                guard span.byte(at: point.offset) == DeviceAttributes.visibleString,
                    let length = span.byte(at: point.offset &+ 1)
                else { return }
                let value = DeviceAttributes.text(span, from: point.offset &+ 2, length: Int(length))
                guard !value.isEmpty else { return }
                facts.append(AssetFact(
                    time: context.time, address: outstation, kind: kind, value: value,
                    source: "dnp3/0.\(header.variation)"))
            }
        }
        return facts
    }
}

extension DNP3 {
    /// The `Dissector` requirement: a fragment's facts come from the reassembled bytes in `state`.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact] {
        facts(frame, context: context, state: state)
    }
}
