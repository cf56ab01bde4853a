extension SNMP {
    /// Arcs of an OID turned into text; more are cut (a real OID has a few dozen at most).
    public static let maxOIDArcs = 128
    /// Octets of one sub-identifier: nine hold 63 bits.
    public static let maxSubidentifierOctets = 9
    /// Bytes of a string value kept in events and facts.
    public static let maxTextLength = 255

    /// SNMP application tags (RFC 2578) and the v2 exception values (RFC 3416).
    public enum ValueTag {
        public static let ipAddress: UInt8 = 0x40
        public static let counter32: UInt8 = 0x41
        public static let gauge32: UInt8 = 0x42
        public static let timeTicks: UInt8 = 0x43
        public static let opaque: UInt8 = 0x44
        public static let counter64: UInt8 = 0x46
        public static let noSuchObject: UInt8 = 0x80
        public static let noSuchInstance: UInt8 = 0x81
        public static let endOfMibView: UInt8 = 0x82
    }

    /// The arcs of a complete OID value, at most `maxOIDArcs`; nil when it is empty, cut or has a
    /// sub-identifier longer than `maxSubidentifierOctets`.
    public static func oidArcs(_ bytes: Span<UInt8>, _ element: Element) -> [UInt64]? {
        guard element.valueLength > 0, element.isComplete(bytes) else { return nil }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var octets = 0
        for index in element.valueStart..<element.valueEnd {
            let octet = bytes[index]
            value = value << 7 | UInt64(octet & 0x7f)
            octets &+= 1
            guard octets <= maxSubidentifierOctets else { return nil }
            guard octet & 0x80 == 0 else { continue }
            if arcs.isEmpty {
                // The first sub-identifier packs two arcs: 40 × first + second (X.690 §8.19.4).
                let first: UInt64 = value < 40 ? 0 : value < 80 ? 1 : 2
                arcs.append(first)
                arcs.append(value &- first &* 40)
            } else {
                arcs.append(value)
            }
            value = 0
            octets = 0
            if arcs.count >= maxOIDArcs { break }
        }
        return octets == 0 ? arcs : nil
    }

    /// Dotted text of an OID value, or nil when it cannot be read.
    public static func oidText(_ bytes: Span<UInt8>, _ element: Element) -> String? {
        oidArcs(bytes, element).map { $0.map(String.init).joined(separator: ".") }
    }

    /// The enterprise number of an OID under 1.3.6.1.4.1 (iso.org.dod.internet.private.enterprises).
    public static func enterpriseNumber(_ arcs: [UInt64]) -> UInt64? {
        guard arcs.count >= 7, arcs[0] == 1, arcs[1] == 3, arcs[2] == 6, arcs[3] == 1, arcs[4] == 4, arcs[5] == 1
        else { return nil }
        return arcs[6]
    }

    /// A value's bytes as text, cut at `limit` bytes; invalid UTF-8 is replaced, never trusted.
    public static func text(_ bytes: Span<UInt8>, from start: Int, to end: Int, limit: Int = maxTextLength) -> String {
        let upper = min(end, bytes.count, start &+ max(0, limit))
        guard start >= 0, start < upper else { return "" }
        var kept: [UInt8] = []
        kept.reserveCapacity(upper &- start)
        for index in start..<upper { kept.append(bytes[index]) }
        return String(decoding: kept, as: UTF8.self)
    }

    /// One varbind read for an event: its OID text and value as integer or text.
    public struct Varbind: Sendable, Equatable {
        public var oid: String
        public var arcs: [UInt64]
        /// The value's identifier octet (0x04 OCTET STRING, 0x41 Counter32 …).
        public var tag: UInt8
        public var integer: Int64?
        public var text: String?
    }

    /// The varbinds of a parsed message, at most `limit`, read from the datagram.
    public static func varbinds(_ packet: Packet, bytes: Span<UInt8>, limit: Int) -> [Varbind] {
        var result: [Varbind] = []
        var cursor = packet.varbindsStart
        let end = min(packet.varbindsEnd, bytes.count)
        var scratch = Packet()
        while cursor < end, result.count < limit {
            guard let varbind = next(bytes, &cursor, end: packet.varbindsEnd, expect: BER.sequence, &scratch) else {
                break
            }
            var inner = varbind.valueStart
            guard let name = next(bytes, &inner, end: varbind.valueEnd, expect: BER.objectIdentifier, &scratch),
                let arcs = oidArcs(bytes, name)
            else { break }
            var entry = Varbind(oid: arcs.map(String.init).joined(separator: "."), arcs: arcs, tag: 0)
            if let value = next(bytes, &inner, end: varbind.valueEnd, expect: nil, &scratch) {
                entry.tag = value.identifier
                describe(value, bytes: bytes, into: &entry)
            }
            result.append(entry)
        }
        return result
    }

    static func describe(_ value: Element, bytes: Span<UInt8>, into entry: inout Varbind) {
        switch value.identifier {
        case BER.integer, ValueTag.counter32, ValueTag.gauge32, ValueTag.timeTicks, ValueTag.counter64:
            entry.integer = BER.integerValue(bytes, value)
        case BER.octetString, ValueTag.opaque:
            entry.text = text(bytes, from: value.valueStart, to: value.valueEnd)
        case BER.objectIdentifier:
            entry.text = oidText(bytes, value)
        case ValueTag.ipAddress where value.valueLength == 4 && value.isComplete(bytes):
            let start = value.valueStart
            entry.text = (0..<4).map { String(bytes[start &+ $0]) }.joined(separator: ".")
        case ValueTag.noSuchObject: entry.text = "noSuchObject"
        case ValueTag.noSuchInstance: entry.text = "noSuchInstance"
        case ValueTag.endOfMibView: entry.text = "endOfMibView"
        default: break
        }
    }
}
