import ConvergeWire

extension GOOSE {
    /// allData entries shown in an event (the PDU still counts up to `maxEntries`).
    public static let maxEventValues = 16
    /// Structure/array nesting shown; a deeper member prints as `…`.
    public static let maxDataDepth = 4
    /// Members of one structure or array shown; more print as a trailing `…`.
    public static let maxMembersShown = 8
    /// Elements one entry's text may visit in all (bounds the work on a wide, deep value).
    public static let maxElementsPerValue = 128
    /// Octets of an octet string shown in hex, bits of a bit string shown as 0/1.
    public static let maxOctetsShown = 32
    public static let maxBitsShown = 128

    /// One allData entry as an event shows it: its MMS Data type name, its number when it has
    /// one (boolean 0/1, integer, unsigned, bit string of at most 63 bits, BCD), and its text.
    public struct DataValue: Sendable, Equatable {
        public var type: String
        public var integer: Int?
        public var text: String

        public init(type: String, integer: Int? = nil, text: String) {
            self.type = type
            self.integer = integer
            self.text = text
        }
    }

    /// The MMS `Data` CHOICE (ISO 9506-2 §14.4.2, as IEC 61850-8-1 uses it): context tag numbers.
    public enum DataType: UInt32, Sendable {
        case array = 1, structure, boolean, bitString, integer, unsigned, floatingPoint
        case octetString = 9, visibleString, generalizedTime, binaryTime, bcd, booleanArray
        case objectIdentifier, mmsString, utcTime

        public var name: String {
            switch self {
            case .array: "array"
            case .structure: "structure"
            case .boolean: "boolean"
            case .bitString: "bit-string"
            case .integer: "integer"
            case .unsigned: "unsigned"
            case .floatingPoint: "float"
            case .octetString: "octet-string"
            case .visibleString: "visible-string"
            case .generalizedTime: "generalized-time"
            case .binaryTime: "binary-time"
            case .bcd: "bcd"
            case .booleanArray: "boolean-array"
            case .objectIdentifier: "object-id"
            case .mmsString: "mms-string"
            case .utcTime: "utc-time"
            }
        }
    }

    /// The first `maxEventValues` allData entries, decoded. Event-time only (builds strings).
    public static func values(_ pdu: PDU, payload: Span<UInt8>) -> [DataValue] {
        guard !pdu.allData.isEmpty else { return [] }
        var cursor = BERWalk.Cursor(from: pdu.allData.offset, to: pdu.allData.end)
        var result: [DataValue] = []
        while result.count < maxEventValues, let element = cursor.next(payload) {
            result.append(dataValue(payload, element))
        }
        return result
    }

    /// One Data element decoded; a value that cannot be read has text `?`.
    public static func dataValue(_ payload: Span<UInt8>, _ element: SNMP.Element) -> DataValue {
        guard element.identifier & BERWalk.classMask == BERWalk.contextClass,
            let type = DataType(rawValue: element.number)
        else { return DataValue(type: "unknown", text: hex(payload, element)) }
        var budget = maxElementsPerValue
        switch type {
        case .array, .structure:
            guard element.isConstructed else { return DataValue(type: type.name, text: "?") }
            var text = ""
            appendConstructed(payload, element, depth: 1, budget: &budget, to: &text)
            return DataValue(type: type.name, text: text)
        default:
            let (integer, text) = primitive(type, payload, element)
            return DataValue(type: type.name, integer: integer, text: text)
        }
    }

    /// `{member,member,…}`, members past `maxMembersShown` or the element budget as `…`, a
    /// structure deeper than `maxDataDepth` as `…`. Recursion is bounded by `maxDataDepth`.
    static func appendConstructed(
        _ payload: Span<UInt8>, _ element: SNMP.Element, depth: Int, budget: inout Int, to text: inout String
    ) {
        text += "{"
        var cursor = BERWalk.Cursor(inside: element)
        var shown = 0
        while let member = cursor.next(payload) {
            if shown > 0 { text += "," }
            guard shown < maxMembersShown, budget > 0 else {
                text += "…"
                break
            }
            shown &+= 1
            budget &-= 1
            let type = member.identifier & BERWalk.classMask == BERWalk.contextClass
                ? DataType(rawValue: member.number) : nil
            switch type {
            case .array?, .structure?:
                if depth >= maxDataDepth || !member.isConstructed {
                    text += "…"
                } else {
                    appendConstructed(payload, member, depth: depth &+ 1, budget: &budget, to: &text)
                }
            case let type?:
                text += primitive(type, payload, member).text
            case nil:
                text += hex(payload, member)
            }
        }
        text += "}"
    }

    /// The number and text of a primitive Data element.
    static func primitive(
        _ type: DataType, _ payload: Span<UInt8>, _ element: SNMP.Element
    ) -> (integer: Int?, text: String) {
        guard !element.isConstructed, element.valueEnd <= payload.count else { return (nil, "?") }
        let start = element.valueStart
        let length = element.valueLength
        switch type {
        case .boolean:
            guard length == 1 else { return (nil, "?") }
            let value = payload[start] != 0
            return (value ? 1 : 0, value ? "true" : "false")
        case .integer:
            guard let value = SNMP.BER.integerValue(payload, element) else { return (nil, "?") }
            return (Int(truncatingIfNeeded: value), String(value))
        case .unsigned, .bcd:
            guard let value = unsigned(payload, element) else { return (nil, "?") }
            return (Int(exactly: value), String(value))
        case .bitString:
            return bitString(payload, element)
        case .floatingPoint:
            return (nil, floatText(payload, element))
        case .visibleString, .mmsString, .generalizedTime:
            return (nil, BERSlice(value: element, in: payload).text(payload, limit: maxStringBytes))
        case .utcTime:
            guard length == 8 else { return (nil, "?") }
            var raw: UInt64 = 0
            for index in start..<element.valueEnd { raw = raw << 8 | UInt64(payload[index]) }
            return (nil, timeText(UTCTime(raw: raw)))
        case .binaryTime:
            // TimeOfDay: milliseconds since midnight, then (6 octets) days since 1984-01-01.
            guard length == 4 || length == 6 else { return (nil, "?") }
            var milliseconds: UInt32 = 0
            for index in start..<(start &+ 4) { milliseconds = milliseconds << 8 | UInt32(payload[index]) }
            guard length == 6 else { return (nil, "ms=\(milliseconds)") }
            let days = UInt16(payload[start &+ 4]) << 8 | UInt16(payload[start &+ 5])
            return (nil, "ms=\(milliseconds) days=\(days)")
        case .octetString, .booleanArray, .objectIdentifier, .array, .structure:
            return (nil, hex(payload, element))
        }
    }

    /// An unsigned integer of at most 8 value octets (a leading 0x00 octet allowed), else nil.
    static func unsigned(_ payload: Span<UInt8>, _ element: SNMP.Element) -> UInt64? {
        var start = element.valueStart
        if element.valueLength == 9, payload[start] == 0 { start &+= 1 }
        guard element.valueLength >= 1, element.valueEnd &- start <= 8 else { return nil }
        var value: UInt64 = 0
        for index in start..<element.valueEnd { value = value << 8 | UInt64(payload[index]) }
        return value
    }

    /// A BIT STRING's bits as 0/1, first bit first; its number when it has at most 63 bits.
    static func bitString(_ payload: Span<UInt8>, _ element: SNMP.Element) -> (Int?, String) {
        let length = element.valueLength
        guard length >= 1 else { return (nil, "?") }
        let padding = Int(payload[element.valueStart])
        let bits = (length &- 1) &* 8 &- padding
        guard padding <= 7, bits >= 0 else { return (nil, "?") }
        var text = ""
        var number: UInt64 = 0
        for bit in 0..<min(bits, maxBitsShown) {
            let octet = payload[element.valueStart &+ 1 &+ bit / 8]
            let set = octet & (0x80 >> UInt8(bit % 8)) != 0
            text += set ? "1" : "0"
            number = number << 1 | (set ? 1 : 0)
        }
        if bits > maxBitsShown { text += "…" }
        return (bits <= 63 ? Int(truncatingIfNeeded: number) : nil, text)
    }

    /// FloatingPoint: an exponent-width octet (8 single, 11 double), then the IEEE 754 value.
    static func floatText(_ payload: Span<UInt8>, _ element: SNMP.Element) -> String {
        let start = element.valueStart
        guard element.valueLength >= 1 else { return "?" }
        var bits: UInt64 = 0
        switch (element.valueLength, payload[start]) {
        case (5, 8):
            for index in (start &+ 1)..<element.valueEnd { bits = bits << 8 | UInt64(payload[index]) }
            return String(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case (9, 11):
            for index in (start &+ 1)..<element.valueEnd { bits = bits << 8 | UInt64(payload[index]) }
            return String(Double(bitPattern: bits))
        default:
            return "?"
        }
    }

    /// The element's value in hex, at most `maxOctetsShown` octets, clipped to the payload.
    static func hex(_ payload: Span<UInt8>, _ element: SNMP.Element) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        let end = min(element.valueEnd, payload.count)
        var text = ""
        var index = element.valueStart
        while index < end, index &- element.valueStart < maxOctetsShown {
            let octet = payload[index]
            text.append(digits[Int(octet >> 4)])
            text.append(digits[Int(octet & 0x0F)])
            index &+= 1
        }
        if index < element.valueEnd { text += "…" }
        return text
    }

    /// `<seconds>.<nanoseconds, 9 digits>`, then ` q=<quality>` when the quality octet is not 0.
    public static func timeText(_ time: UTCTime) -> String {
        let nanoseconds = String(time.nanoseconds)
        let padded = String(repeating: "0", count: max(0, 9 &- nanoseconds.count)) + nanoseconds
        let quality = time.quality == 0 ? "" : " q=\(time.quality)"
        return "\(time.seconds).\(padded)\(quality)"
    }
}
