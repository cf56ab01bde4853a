import ConvergeModel

extension S7Comm {
    /// Text taken from an SZL record at most (records hold 20–32 characters).
    public static let maxIdentityText = 64

    /// What a completed identity SZL response says about the PLC: module identification
    /// (0x_011: order number, firmware version) and component identification (0x_01C: station
    /// and module name, plant designation, copyright, serial, module type). Empty otherwise.
    /// Reads the flow's SZL collector, so call it right after the `parse` that returned `frame`.
    public static func facts(_ frame: Frame, context: MessageContext, state: State) -> [AssetFact] {
        guard frame.completesIdentitySZL, state.szl.szlID == frame.szlID, isIdentitySZL(frame.szlID) else { return [] }
        let szl = state.szl.bytes
        let span = szl.span
        guard let recordLength = span.uint16BE(at: 4), let recordCount = span.uint16BE(at: 6), recordLength >= 2 else {
            return []
        }
        let source = "s7comm/szl/0x" + hex(Int(frame.szlID), digits: 4)
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String) {
            guard !value.isEmpty, !facts.contains(where: { $0.kind == kind && $0.value == value }) else { return }
            facts.append(AssetFact(
                time: context.time, address: context.server.address, kind: kind, value: value, source: source))
        }
        let isModule = frame.szlID & 0xff == 0x11
        var offset = 8
        for _ in 0..<Int(recordCount) {
            guard offset &+ Int(recordLength) <= span.count, let index = span.uint16BE(at: offset) else { break }
            let record = span.extracting(offset..<(offset &+ Int(recordLength)))
            if isModule {
                moduleFacts(record, index: index, add: add)
            } else {
                componentFacts(record, index: index, add: add)
            }
            offset &+= Int(recordLength)
        }
        let siemens = facts.contains {
            ($0.kind == .productCode && ($0.value.hasPrefix("6ES7") || $0.value.hasPrefix("6AG")))
                || ($0.kind == .copyright && $0.value.contains("Siemens"))
        }
        if siemens { add(.vendor, "Siemens") }
        return facts
    }

    /// 0x_011 records: index, order number (20 characters), module type, then two version words.
    /// Index 1 identifies the module, 6 the basic hardware, 7 the basic firmware ("V" x.y.z).
    static func moduleFacts(_ record: Span<UInt8>, index: UInt16, add: (AssetFact.Kind, String) -> Void) {
        switch index {
        case 0x0001, 0x0006:
            add(.productCode, text(record, from: 2, length: 20))
        case 0x0007:
            guard record.count >= 28, let marker = record.byte(at: 24), marker == 0x56,
                let major = record.byte(at: 25), let minor = record.byte(at: 26), let patch = record.byte(at: 27)
            else { return }
            add(.firmware, "V\(major).\(minor).\(patch)")
        default:
            break
        }
    }

    /// 0x_01C records: index, then text (32 characters, some followed by reserved bytes).
    static func componentFacts(_ record: Span<UInt8>, index: UInt16, add: (AssetFact.Kind, String) -> Void) {
        let value = text(record, from: 2, length: record.count &- 2)
        switch index {
        case 0x0001: add(.hostname, value)  // name of the automation system (station)
        case 0x0002: add(.moduleName, value)
        case 0x0003: add(.plantID, value)
        case 0x0004: add(.copyright, value)
        case 0x0005: add(.serial, value)
        case 0x0007: add(.model, value)  // module type name
        default: break
        }
    }

    /// The same, in the shape S7comm-plus uses (the bytes are not needed: the SZL is in `state`).
    public static func facts(
        _ frame: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        facts(frame, context: context, state: state)
    }

    /// Printable ASCII up to the first NUL, trimmed, at most `maxIdentityText` characters.
    static func text(_ bytes: Span<UInt8>, from start: Int, length: Int) -> String {
        var characters: [UInt8] = []
        var index = start
        let end = min(start &+ max(0, length), bytes.count)
        while index < end, characters.count < maxIdentityText {
            let byte = bytes[index]
            if byte == 0 { break }
            if byte >= 0x20 && byte < 0x7f { characters.append(byte) }
            index &+= 1
        }
        while characters.last == 0x20 { characters.removeLast() }
        let first = characters.firstIndex(where: { $0 != 0x20 }) ?? characters.count
        return String(decoding: characters[first...], as: UTF8.self)
    }
}
