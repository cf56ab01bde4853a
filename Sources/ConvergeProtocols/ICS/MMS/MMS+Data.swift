import ConvergeModel

extension MMS {
    /// Data elements rendered per structure or array at most, and the text length of one value.
    public static let maxDataElements = 32
    public static let maxDataText = 256

    /// A rendered MMS Data value (ISO 9506-2 Data choice): an integer where it is one, else text.
    struct DataValue {
        var integer: Int? = nil
        var text: String? = nil
        var number: Double? = nil
    }

    /// Renders one Data (or AccessResult) element, nesting at most `maxDepth`.
    static func dataValue(_ element: BERElement, in pdu: Span<UInt8>, depth: Int = 0) -> DataValue {
        guard element.isContext else { return DataValue(text: "?") }
        switch (element.number, element.constructed) {
        case (0, false): return DataValue(text: "failure:\(signed(element, in: pdu) ?? -1)")
        case (1, true), (2, true):
            guard depth < maxDepth else { return DataValue(text: "{…}") }
            var parts: [String] = []
            var length = 2
            var current = firstChild(of: element, in: pdu)
            while let item = current, parts.count < maxDataElements, length < maxDataText {
                let part = render(dataValue(item, in: pdu, depth: depth &+ 1))
                length &+= part.utf8.count &+ 2
                parts.append(part)
                current = nextSibling(of: item, in: element, bytes: pdu)
            }
            if current != nil { parts.append("…") }
            let open = element.number == 1 ? "[" : "{"
            let close = element.number == 1 ? "]" : "}"
            return DataValue(text: open + parts.joined(separator: ",") + close)
        case (3, false):
            let on = pdu.byte(at: element.contentStart).map { $0 != 0 } ?? false
            return DataValue(integer: on ? 1 : 0, text: on ? "true" : "false", number: on ? 1 : 0)
        case (5, false):
            guard let value = signed(element, in: pdu) else { return DataValue(text: "integer?") }
            return DataValue(integer: Int(value), number: Double(value))
        case (6, false):
            guard let value = unsigned(element, in: pdu), value <= UInt64(Int.max) else {
                return DataValue(text: "unsigned?")
            }
            return DataValue(integer: Int(value), number: Double(value))
        case (7, false): return floatingPoint(element, in: pdu)
        case (4, false): return DataValue(text: "bits:" + hex(element, in: pdu))
        case (9, false): return DataValue(text: "octets:" + hex(element, in: pdu))
        case (10, false), (16, false): return DataValue(text: "\"" + text(element, in: pdu) + "\"")
        case (17, false):
            let seconds = element.contentLength >= 4 ? pdu.loadUInt32BE(at: element.contentStart) : 0
            return DataValue(integer: Int(seconds), text: "utc:\(seconds)", number: Double(seconds))
        case (12, false): return DataValue(text: "btime:" + hex(element, in: pdu))
        default: return DataValue(text: "tag\(element.number):" + hex(element, in: pdu))
        }
    }

    /// FloatingPoint: an exponent-width byte (8 single, 11 double) then the IEEE 754 value.
    static func floatingPoint(_ element: BERElement, in pdu: Span<UInt8>) -> DataValue {
        let start = element.contentStart &+ 1
        switch element.contentLength {
        case 5:
            let value = Double(Float(bitPattern: pdu.loadUInt32BE(at: start)))
            return DataValue(text: "\(value)", number: value)
        case 9:
            let bits = UInt64(pdu.loadUInt32BE(at: start)) << 32 | UInt64(pdu.loadUInt32BE(at: start &+ 4))
            let value = Double(bitPattern: bits)
            return DataValue(text: "\(value)", number: value)
        default:
            return DataValue(text: "float:" + hex(element, in: pdu))
        }
    }

    static func render(_ value: DataValue) -> String {
        if let text = value.text { return text }
        if let integer = value.integer { return String(integer) }
        return "?"
    }
}
