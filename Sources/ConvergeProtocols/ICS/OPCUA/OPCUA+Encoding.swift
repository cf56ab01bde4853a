import ConvergeWire

extension OPCUA {
    /// Readers and skippers for the OPC UA binary built-in types (OPC 10000-6 §5.2), all over a
    /// `WireReader` that moves only on success. `read…`/`skip…` return nil/false when the bytes
    /// run out or a length is impossible; they never allocate. Nesting (Variant in Variant,
    /// DataValue in Variant, inner DiagnosticInfo) stops at `maxNestingDepth`.
    public enum Binary {
        /// Deepest nesting of Variants, DataValues and DiagnosticInfos followed.
        public static let maxNestingDepth = 16
        /// The longest array accepted (the spec allows Int32.max; real messages stay far below).
        public static let maxArrayLength = 1 << 20

        /// Built-in type ids (§5.1.2).
        public enum BuiltIn {
            public static let boolean: UInt8 = 1, sByte: UInt8 = 2, byte: UInt8 = 3
            public static let int16: UInt8 = 4, uInt16: UInt8 = 5, int32: UInt8 = 6, uInt32: UInt8 = 7
            public static let int64: UInt8 = 8, uInt64: UInt8 = 9, float: UInt8 = 10, double: UInt8 = 11
            public static let string: UInt8 = 12, dateTime: UInt8 = 13, guid: UInt8 = 14
            public static let byteString: UInt8 = 15, xmlElement: UInt8 = 16, nodeID: UInt8 = 17
            public static let expandedNodeID: UInt8 = 18, statusCode: UInt8 = 19, qualifiedName: UInt8 = 20
            public static let localizedText: UInt8 = 21, extensionObject: UInt8 = 22, dataValue: UInt8 = 23
            public static let variant: UInt8 = 24, diagnosticInfo: UInt8 = 25
        }

        /// A String, ByteString or XmlElement: where its bytes are, or null (length −1).
        public struct Bytes: Sendable, Equatable {
            public var offset: Int
            /// −1 for null.
            public var length: Int
            public static let null = Bytes(offset: 0, length: -1)
            public var isNull: Bool { length < 0 }
            public var isEmpty: Bool { length <= 0 }
        }

        // MARK: Scalars

        static func int32(_ r: inout WireReader) -> Int32? {
            r.u32le().map { Int32(bitPattern: $0) }
        }

        /// An array or string length: −1 (null) or 0…`limit`; nil for other negatives or a length
        /// larger than the bytes left could hold at `minimumElement` bytes each.
        static func length(_ r: inout WireReader, minimumElement: Int, limit: Int = maxArrayLength) -> Int? {
            let start = r.offset
            guard let raw = int32(&r) else { return nil }
            let value = Int(raw)
            if value == -1 { return -1 }
            guard value >= 0, value <= limit, value &* minimumElement <= r.remaining else {
                r.offset = start
                return nil
            }
            return value
        }

        // MARK: Strings

        public static func readBytes(_ r: inout WireReader) -> Bytes? {
            let start = r.offset
            guard let length = length(&r, minimumElement: 1, limit: Int(Int32.max)) else { return nil }
            if length < 0 { return .null }
            let offset = r.offset
            guard r.skip(length) else {
                r.offset = start
                return nil
            }
            return Bytes(offset: offset, length: length)
        }

        public static func skipBytes(_ r: inout WireReader) -> Bool { readBytes(&r) != nil }

        // MARK: NodeId

        /// A NodeId (§5.2.2.9); with `expanded`, an ExpandedNodeId whose namespace URI and server
        /// index are skipped.
        public static func readNodeID(_ r: inout WireReader, expanded: Bool = false) -> NodeID? {
            let start = r.offset
            guard let encoding = r.u8() else { return nil }
            if !expanded && encoding & 0xc0 != 0 {
                r.offset = start
                return nil
            }
            var node: NodeID?
            switch encoding & 0x3f {
            case 0:
                node = r.u8().map { NodeID.numeric(UInt32($0)) }
            case 1:
                if let ns = r.u8(), let id = r.u16le() { node = .numeric(UInt32(id), namespace: UInt16(ns)) }
            case 2:
                if let ns = r.u16le(), let id = r.u32le() { node = .numeric(id, namespace: ns) }
            case 3, 5:
                if let ns = r.u16le(), let bytes = readBytes(&r) {
                    node = NodeID(
                        kind: encoding & 0x3f == 3 ? .string : .opaque, namespace: ns, numeric: 0,
                        offset: bytes.offset, length: max(0, bytes.length))
                }
            case 4:
                if let ns = r.u16le() {
                    let offset = r.offset
                    if r.skip(16) { node = NodeID(kind: .guid, namespace: ns, numeric: 0, offset: offset, length: 16) }
                }
            default:
                break
            }
            if expanded, node != nil {
                if encoding & 0x80 != 0, !skipBytes(&r) { node = nil }
                if encoding & 0x40 != 0, r.u32le() == nil { node = nil }
            }
            guard var found = node else {
                r.offset = start
                return nil
            }
            found.encoding = encoding
            return found
        }

        public static func skipNodeID(_ r: inout WireReader, expanded: Bool = false) -> Bool {
            readNodeID(&r, expanded: expanded) != nil
        }

        // MARK: Composite built-ins

        /// QualifiedName: namespace index and name.
        public static func readQualifiedName(_ r: inout WireReader) -> (namespace: UInt16, name: Bytes)? {
            let start = r.offset
            guard let ns = r.u16le(), let name = readBytes(&r) else {
                r.offset = start
                return nil
            }
            return (ns, name)
        }

        /// LocalizedText: a mask, then the locale (0x01) and the text (0x02) when present.
        public static func readLocalizedText(_ r: inout WireReader) -> (locale: Bytes, text: Bytes)? {
            let start = r.offset
            guard let mask = r.u8() else { return nil }
            var locale = Bytes.null
            var text = Bytes.null
            if mask & 0x01 != 0 {
                guard let value = readBytes(&r) else {
                    r.offset = start
                    return nil
                }
                locale = value
            }
            if mask & 0x02 != 0 {
                guard let value = readBytes(&r) else {
                    r.offset = start
                    return nil
                }
                text = value
            }
            return (locale, text)
        }

        /// ExtensionObject: type NodeId, encoding byte (0 none, 1 binary, 2 XML), then the body.
        public static func readExtensionObject(_ r: inout WireReader) -> (type: NodeID, body: Bytes)? {
            let start = r.offset
            guard let type = readNodeID(&r), let encoding = r.u8() else {
                r.offset = start
                return nil
            }
            switch encoding {
            case 0:
                return (type, .null)
            case 1, 2:
                guard let body = readBytes(&r) else { break }
                return (type, body)
            default:
                break
            }
            r.offset = start
            return nil
        }

        public static func skipExtensionObject(_ r: inout WireReader) -> Bool { readExtensionObject(&r) != nil }

        /// DiagnosticInfo: a mask of optional fields, the last one nesting another DiagnosticInfo.
        public static func skipDiagnosticInfo(_ r: inout WireReader, depth: Int = 0) -> Bool {
            let start = r.offset
            guard depth < maxNestingDepth, let mask = r.u8() else { return false }
            // Symbolic id, namespace URI, locale and localized text: string-table indexes (Int32 each).
            var ok = r.skip((mask & 0x0f).nonzeroBitCount &* 4)
            if ok, mask & 0x10 != 0 { ok = skipBytes(&r) }
            if ok, mask & 0x20 != 0 { ok = r.skip(4) }
            if ok, mask & 0x40 != 0 { ok = skipDiagnosticInfo(&r, depth: depth &+ 1) }
            if !ok { r.offset = start }
            return ok
        }

        /// Skips one value of a built-in type (for Variant contents).
        public static func skipBuiltIn(_ r: inout WireReader, type: UInt8, depth: Int) -> Bool {
            switch type {
            case 0: return true
            case BuiltIn.boolean, BuiltIn.sByte, BuiltIn.byte: return r.skip(1)
            case BuiltIn.int16, BuiltIn.uInt16: return r.skip(2)
            case BuiltIn.int32, BuiltIn.uInt32, BuiltIn.float, BuiltIn.statusCode: return r.skip(4)
            case BuiltIn.int64, BuiltIn.uInt64, BuiltIn.double, BuiltIn.dateTime: return r.skip(8)
            case BuiltIn.guid: return r.skip(16)
            case BuiltIn.string, BuiltIn.byteString, BuiltIn.xmlElement: return skipBytes(&r)
            case BuiltIn.nodeID: return skipNodeID(&r)
            case BuiltIn.expandedNodeID: return skipNodeID(&r, expanded: true)
            case BuiltIn.qualifiedName: return readQualifiedName(&r) != nil
            case BuiltIn.localizedText: return readLocalizedText(&r) != nil
            case BuiltIn.extensionObject: return skipExtensionObject(&r)
            case BuiltIn.dataValue: return skipDataValue(&r, depth: depth &+ 1)
            case BuiltIn.variant: return skipVariant(&r, depth: depth &+ 1)
            case BuiltIn.diagnosticInfo: return skipDiagnosticInfo(&r, depth: depth &+ 1)
            default: return false
            }
        }

        /// The fewest bytes one value of a built-in type takes (to check array lengths).
        static func minimumSize(_ type: UInt8) -> Int {
            switch type {
            case 0: 0
            case BuiltIn.boolean, BuiltIn.sByte, BuiltIn.byte, BuiltIn.nodeID, BuiltIn.expandedNodeID: 1
            case BuiltIn.localizedText, BuiltIn.dataValue, BuiltIn.variant, BuiltIn.diagnosticInfo: 1
            case BuiltIn.int16, BuiltIn.uInt16: 2
            case BuiltIn.extensionObject: 2
            case BuiltIn.int64, BuiltIn.uInt64, BuiltIn.double, BuiltIn.dateTime: 8
            case BuiltIn.guid: 16
            case BuiltIn.qualifiedName: 6
            default: 4
            }
        }

        /// Variant (§5.2.2.16): encoding mask (type id, 0x80 array, 0x40 dimensions), value(s).
        public static func skipVariant(_ r: inout WireReader, depth: Int = 0) -> Bool {
            let start = r.offset
            guard depth < maxNestingDepth, let mask = r.u8() else {
                r.offset = start
                return false
            }
            let type = mask & 0x3f
            var ok = type <= BuiltIn.diagnosticInfo
            if ok, mask & 0x80 != 0 {
                if let count = length(&r, minimumElement: max(1, minimumSize(type))) {
                    var index = 0
                    while ok, index < count {
                        ok = skipBuiltIn(&r, type: type, depth: depth)
                        index &+= 1
                    }
                } else {
                    ok = false
                }
                if ok, mask & 0x40 != 0 { ok = skipInt32Array(&r) }
            } else if ok {
                ok = skipBuiltIn(&r, type: type, depth: depth)
            }
            if !ok { r.offset = start }
            return ok
        }

        /// DataValue (§5.2.2.17): mask, value, status, source/server timestamps and picoseconds.
        public static func skipDataValue(_ r: inout WireReader, depth: Int = 0) -> Bool {
            let start = r.offset
            guard depth < maxNestingDepth, let mask = r.u8() else {
                r.offset = start
                return false
            }
            var ok = true
            if mask & 0x01 != 0 { ok = skipVariant(&r, depth: depth &+ 1) }
            if ok, mask & 0x02 != 0 { ok = r.skip(4) }
            if ok, mask & 0x04 != 0 { ok = r.skip(8) }
            if ok, mask & 0x10 != 0 { ok = r.skip(2) }
            if ok, mask & 0x08 != 0 { ok = r.skip(8) }
            if ok, mask & 0x20 != 0 { ok = r.skip(2) }
            if !ok { r.offset = start }
            return ok
        }

        // MARK: Arrays

        static func skipInt32Array(_ r: inout WireReader) -> Bool {
            let start = r.offset
            guard let count = length(&r, minimumElement: 4) else { return false }
            guard r.skip(max(0, count) &* 4) else {
                r.offset = start
                return false
            }
            return true
        }

        static func skipStringArray(_ r: inout WireReader) -> Bool {
            let start = r.offset
            guard let count = length(&r, minimumElement: 4) else { return false }
            var index = 0
            while index < count {
                guard skipBytes(&r) else {
                    r.offset = start
                    return false
                }
                index &+= 1
            }
            return true
        }

        static func skipDiagnosticInfoArray(_ r: inout WireReader) -> Bool {
            let start = r.offset
            guard let count = length(&r, minimumElement: 1) else { return false }
            var index = 0
            while index < count {
                guard skipDiagnosticInfo(&r) else {
                    r.offset = start
                    return false
                }
                index &+= 1
            }
            return true
        }
    }
}
