import ConvergeWire

extension OPCUA {
    /// Most values of one array shown in an event (the rest are skipped, not shown).
    public static let maxValuesShown = 32
    /// Longest text of one target's value in an event.
    public static let maxValueTextLength = 512

    /// A value rendered for an event: Boolean and integer types in `integers`, everything else
    /// as text (floats as numbers, strings and localized texts quoted, DateTime in ISO 8601 UTC,
    /// StatusCode by name), so a consumer can tell a number from a string that looks like one.
    struct RenderedValue {
        var integers: [Int] = []
        var texts: [String] = []
        /// The Variant's built-in type id, and its status (DataValue) when one was encoded.
        var type: UInt8 = 0
        var status: UInt32 = 0
        var hasStatus = false
        /// A DataValue's source timestamp (100 ns ticks since 1601), when one was encoded.
        var sourceTimestamp: Int64?
        var isArray = false
        var count = 0

        /// Adds a nested value's integers and texts, keeping at most `maxValuesShown` of each.
        mutating func merge(_ inner: RenderedValue) {
            integers += inner.integers.prefix(max(0, maxValuesShown &- integers.count))
            texts += inner.texts.prefix(max(0, maxValuesShown &- texts.count))
        }

        /// The text for `Message.Target.value`: the non-integer values joined, capped.
        var text: String? {
            guard !texts.isEmpty else { return nil }
            let joined = texts.joined(separator: ",")
            return joined.count > maxValueTextLength ? String(joined.prefix(maxValueTextLength)) : joined
        }

        /// The text for a DataValue's target: the value, then `status=<name>` when the status is
        /// not Good and `source_time=<ISO 8601>` when the source stamped it, `;`-separated.
        var dataValueText: String? {
            var parts: [String] = []
            if let text { parts.append(text) }
            if hasStatus, status != 0 { parts.append("status=\(statusName(status))") }
            if let sourceTimestamp { parts.append("source_time=\(dateTimeText(sourceTimestamp))") }
            return parts.isEmpty ? nil : parts.joined(separator: ";")
        }
    }

    /// 100-ns ticks between 1601-01-01 (OPC UA DateTime epoch) and 1970-01-01.
    static let dateTimeEpochOffset: Int64 = 116_444_736_000_000_000

    /// Renders a Variant (allocates: for events only). Nil when it does not decode; the reader
    /// then stays where it was.
    static func renderVariant(_ r: inout WireReader, bytes: Span<UInt8>, depth: Int = 0) -> RenderedValue? {
        let start = r.offset
        guard depth < Binary.maxNestingDepth, let mask = r.u8() else { return nil }
        var value = RenderedValue()
        value.type = mask & 0x3f
        guard value.type <= Binary.BuiltIn.diagnosticInfo else {
            r.offset = start
            return nil
        }
        var ok = true
        if mask & 0x80 != 0 {
            value.isArray = true
            if let count = Binary.length(&r, minimumElement: max(1, Binary.minimumSize(value.type))) {
                value.count = max(0, count)
                var index = 0
                while ok, index < count {
                    if index < maxValuesShown {
                        ok = renderBuiltIn(&r, type: value.type, bytes: bytes, depth: depth, into: &value)
                    } else {
                        ok = Binary.skipBuiltIn(&r, type: value.type, depth: depth)
                    }
                    index &+= 1
                }
            } else {
                ok = false
            }
            if ok, mask & 0x40 != 0 { ok = Binary.skipInt32Array(&r) }
        } else {
            value.count = value.type == 0 ? 0 : 1
            ok = renderBuiltIn(&r, type: value.type, bytes: bytes, depth: depth, into: &value)
        }
        guard ok else {
            r.offset = start
            return nil
        }
        return value
    }

    /// Renders a DataValue: its Variant, and its status code when encoded.
    static func renderDataValue(_ r: inout WireReader, bytes: Span<UInt8>, depth: Int = 0) -> RenderedValue? {
        let start = r.offset
        guard depth < Binary.maxNestingDepth, let mask = r.u8() else { return nil }
        var value = RenderedValue()
        var ok = true
        if mask & 0x01 != 0 {
            if let inner = renderVariant(&r, bytes: bytes, depth: depth &+ 1) { value = inner } else { ok = false }
        }
        if ok, mask & 0x02 != 0 {
            if let status = r.u32le() {
                value.status = status
                value.hasStatus = true
            } else {
                ok = false
            }
        }
        if ok, mask & 0x04 != 0 {
            if let ticks = r.u64le() { value.sourceTimestamp = Int64(bitPattern: ticks) } else { ok = false }
        }
        if ok, mask & 0x10 != 0 { ok = r.skip(2) }
        if ok, mask & 0x08 != 0 { ok = r.skip(8) }
        if ok, mask & 0x20 != 0 { ok = r.skip(2) }
        guard ok else {
            r.offset = start
            return nil
        }
        return value
    }

    /// One value of a built-in type, appended to `value`.
    static func renderBuiltIn(
        _ r: inout WireReader, type: UInt8, bytes: Span<UInt8>, depth: Int, into value: inout RenderedValue
    ) -> Bool {
        typealias T = Binary.BuiltIn
        switch type {
        case 0:
            return true
        case T.boolean:
            guard let byte = r.u8() else { return false }
            value.integers.append(byte == 0 ? 0 : 1)
        case T.sByte:
            guard let byte = r.u8() else { return false }
            value.integers.append(Int(Int8(bitPattern: byte)))
        case T.byte:
            guard let byte = r.u8() else { return false }
            value.integers.append(Int(byte))
        case T.int16:
            guard let raw = r.u16le() else { return false }
            value.integers.append(Int(Int16(bitPattern: raw)))
        case T.uInt16:
            guard let raw = r.u16le() else { return false }
            value.integers.append(Int(raw))
        case T.int32:
            guard let raw = r.u32le() else { return false }
            value.integers.append(Int(Int32(bitPattern: raw)))
        case T.uInt32:
            guard let raw = r.u32le() else { return false }
            value.integers.append(Int(raw))
        case T.statusCode:
            guard let raw = r.u32le() else { return false }
            value.texts.append(statusName(raw))
        case T.int64:
            guard let raw = r.u64le() else { return false }
            value.integers.append(Int(Int64(bitPattern: raw)))
        case T.uInt64:
            guard let raw = r.u64le() else { return false }
            if let exact = Int(exactly: raw) { value.integers.append(exact) } else { value.texts.append("\(raw)") }
        case T.float:
            guard let raw = r.u32le() else { return false }
            value.texts.append("\(Float(bitPattern: raw))")
        case T.double:
            guard let raw = r.u64le() else { return false }
            value.texts.append("\(Double(bitPattern: raw))")
        case T.dateTime:
            guard let raw = r.u64le() else { return false }
            value.texts.append(dateTimeText(Int64(bitPattern: raw)))
        case T.string, T.xmlElement:
            guard let text = Binary.readBytes(&r) else { return false }
            value.texts.append(quoted(OPCUA.text(bytes, offset: text.offset, length: text.length)))
        case T.byteString:
            guard let blob = Binary.readBytes(&r) else { return false }
            value.texts.append("bytes[\(max(0, blob.length))]")
        case T.guid:
            let offset = r.offset
            guard r.skip(16) else { return false }
            value.texts.append(guidText(bytes, offset: offset))
        case T.nodeID, T.expandedNodeID:
            guard let node = Binary.readNodeID(&r, expanded: type == T.expandedNodeID) else { return false }
            value.texts.append(node.text(bytes))
        case T.qualifiedName:
            guard let name = Binary.readQualifiedName(&r) else { return false }
            let text = OPCUA.text(bytes, offset: name.name.offset, length: name.name.length)
            value.texts.append(quoted(name.namespace == 0 ? text : "\(name.namespace):\(text)"))
        case T.localizedText:
            guard let localized = Binary.readLocalizedText(&r) else { return false }
            value.texts.append(quoted(OPCUA.text(bytes, offset: localized.text.offset, length: localized.text.length)))
        case T.extensionObject:
            guard let object = Binary.readExtensionObject(&r) else { return false }
            value.texts.append("extension_object(\(object.type.text(bytes)))")
        case T.dataValue:
            guard let inner = renderDataValue(&r, bytes: bytes, depth: depth &+ 1) else { return false }
            value.merge(inner)
        case T.variant:
            guard let inner = renderVariant(&r, bytes: bytes, depth: depth &+ 1) else { return false }
            value.merge(inner)
        case T.diagnosticInfo:
            return Binary.skipDiagnosticInfo(&r, depth: depth &+ 1)
        default:
            return false
        }
        return true
    }

    /// The text of a String field read by `Binary.readBytes`.
    static func text(_ bytes: Span<UInt8>, _ field: Binary.Bytes) -> String {
        text(bytes, offset: field.offset, length: field.length)
    }
}
