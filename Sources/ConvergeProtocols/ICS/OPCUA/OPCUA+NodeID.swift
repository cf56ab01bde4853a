extension OPCUA {
    /// A NodeId as read from the wire (OPC 10000-6 §5.2.2.9), as scalars and an offset into the
    /// bytes it was read from, so reading one allocates nothing.
    public struct NodeID: Sendable, Equatable {
        public enum Kind: UInt8, Sendable { case numeric, string, guid, opaque }

        public var kind: Kind
        public var namespace: UInt16
        /// The identifier of a numeric NodeId, 0 otherwise.
        public var numeric: UInt32
        /// Where a string, GUID or opaque identifier lies in the bytes it was read from.
        public var offset: Int = 0
        public var length: Int = 0
        /// The wire encoding byte (0…5 plus the ExpandedNodeId flags).
        public var encoding: UInt8 = 0

        public init(kind: Kind, namespace: UInt16, numeric: UInt32, offset: Int = 0, length: Int = 0) {
            self.kind = kind
            self.namespace = namespace
            self.numeric = numeric
            self.offset = offset
            self.length = length
        }

        public static func numeric(_ id: UInt32, namespace: UInt16 = 0) -> NodeID {
            NodeID(kind: .numeric, namespace: namespace, numeric: id)
        }

        /// The null NodeId (ns=0;i=0), e.g. an absent authentication token.
        public var isNull: Bool { kind == .numeric && namespace == 0 && numeric == 0 }

        /// The standard text form (`i=2258`, `ns=2;s=Temperature`, `ns=1;g=…`, `ns=1;b=…`), read
        /// from `bytes` (the span this NodeId was read from). String identifiers are capped at
        /// `maxTextLength`. Allocates: for events only.
        public func text(_ bytes: Span<UInt8>) -> String {
            let prefix = namespace == 0 ? "" : "ns=\(namespace);"
            switch kind {
            case .numeric:
                return "\(prefix)i=\(numeric)"
            case .string:
                return "\(prefix)s=\(OPCUA.text(bytes, offset: offset, length: length))"
            case .guid:
                return "\(prefix)g=\(OPCUA.guidText(bytes, offset: offset))"
            case .opaque:
                return "\(prefix)b=\(OPCUA.hexText(bytes, offset: offset, length: length))"
            }
        }
    }

    /// The longest string taken from the wire into an event; longer ones are cut.
    public static let maxTextLength = 256
    /// The most bytes of an opaque identifier shown (as hex) in an event.
    public static let maxOpaqueShown = 32

    /// Printable text of wire bytes: UTF-8 decoded, control characters replaced, cut at
    /// `maxTextLength` bytes. Allocates: for events only.
    static func text(_ bytes: Span<UInt8>, offset: Int, length: Int) -> String {
        guard offset >= 0, length > 0 else { return "" }
        let end = min(offset &+ min(length, maxTextLength), bytes.count)
        guard offset < end else { return "" }
        var copy: [UInt8] = []
        copy.reserveCapacity(end &- offset)
        for index in offset..<end {
            let byte = bytes[index]
            copy.append(byte < 0x20 || byte == 0x7f ? 0x3f : byte)
        }
        return String(decoding: copy, as: UTF8.self)
    }

    /// A GUID in its registry form: Data1-Data2-Data3 little endian, Data4 as bytes.
    static func guidText(_ bytes: Span<UInt8>, offset: Int) -> String {
        guard offset >= 0, offset &+ 16 <= bytes.count else { return "" }
        let order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]
        var text = ""
        for index in order {
            if index < 0 {
                text.append("-")
            } else {
                text += hexByte(bytes[offset &+ index])
            }
        }
        return text
    }

    static func hexText(_ bytes: Span<UInt8>, offset: Int, length: Int) -> String {
        guard offset >= 0, length > 0 else { return "" }
        let end = min(offset &+ min(length, maxOpaqueShown), bytes.count)
        guard offset < end else { return "" }
        var text = ""
        for index in offset..<end { text += hexByte(bytes[index]) }
        return text
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
    }
}
