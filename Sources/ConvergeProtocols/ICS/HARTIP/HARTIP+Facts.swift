import ConvergeModel

extension HARTIP {
    /// The longest tag kept (command 20's long tag is 32 ISO Latin-1 bytes).
    public static let maxTagLength = 32

    /// Identity from successful responses: command 0 (manufacturer, expanded device type, device
    /// id, revisions), 13 (packed-ASCII tag) and 20 (long tag). Facts belong to the responder.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.hasCommand, parsed.messageType == 1, parsed.responseCode == 0, parsed.status == 0 else {
            return []
        }
        let end = min(parsed.pduDataOffset &+ parsed.pduDataLength, bytes.count)
        guard parsed.pduDataOffset <= end else { return [] }
        let data = bytes.extracting(parsed.pduDataOffset..<end)
        let sender = context.direction == .toClient ? context.server : context.client
        func fact(_ kind: AssetFact.Kind, _ value: String) -> AssetFact {
            AssetFact(time: context.time, address: sender.address, kind: kind, value: value, source: name)
        }
        switch parsed.command {
        case 0: return identityFacts(data, fact)
        case 13:
            let tag = packedASCII(data, from: 0, bytes: 6)
            return tag.isEmpty ? [] : [fact(.moduleName, tag)]
        case 20:
            let tag = latin1(data, from: 0, bytes: maxTagLength)
            return tag.isEmpty ? [] : [fact(.moduleName, tag)]
        default: return []
        }
    }

    /// Command 0's response data (HART 5-7): expansion 254, expanded device type, preambles,
    /// universal/device/software revisions, hardware revision, flags, device id, and from HART 6
    /// on the 16-bit manufacturer id at byte 17 (HART 5 has it in byte 1).
    static func identityFacts(_ data: Span<UInt8>, _ fact: (AssetFact.Kind, String) -> AssetFact) -> [AssetFact] {
        guard data.count >= 12, let deviceType = data.uint16BE(at: 1), let universal = data.byte(at: 4),
            let device = data.byte(at: 5), let software = data.byte(at: 6), let id0 = data.byte(at: 9),
            let id1 = data.byte(at: 10), let id2 = data.byte(at: 11)
        else { return [] }
        let manufacturer = data.count >= 19 ? Int(data.uint16BE(at: 17) ?? 0) : Int(deviceType >> 8)
        let deviceID = Int(id0) << 16 | Int(id1) << 8 | Int(id2)
        return [
            fact(.vendor, "hart:\(manufacturer)"),
            fact(.productCode, "\(deviceType)"),
            fact(.serial, "\(deviceID)"),
            fact(.revision, "hart \(universal) device \(device) software \(software)"),
        ]
    }

    /// HART packed ASCII: four 6-bit characters in three bytes; 0x00-0x1F stand for 0x40-0x5F.
    static func packedASCII(_ data: Span<UInt8>, from start: Int, bytes count: Int) -> String {
        var text = ""
        var index = 0
        while index &+ 3 <= count, let a = data.byte(at: start &+ index), let b = data.byte(at: start &+ index &+ 1),
            let c = data.byte(at: start &+ index &+ 2)
        {
            let word = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
            for shift in [18, 12, 6, 0] {
                let six = UInt8(truncatingIfNeeded: word >> UInt32(shift)) & 0x3F
                text.unicodeScalars.append(Unicode.Scalar(six & 0x20 == 0 ? six | 0x40 : six))
            }
            index &+= 3
        }
        return trimmed(text)
    }

    /// Up to `count` ISO Latin-1 bytes, stopping at NUL, control characters replaced by `?`.
    static func latin1(_ data: Span<UInt8>, from start: Int, bytes count: Int) -> String {
        var text = ""
        for index in 0..<max(0, count) {
            guard let byte = data.byte(at: start &+ index), byte != 0 else { break }
            text.unicodeScalars.append(byte < 0x20 || byte == 0x7F ? "?" : Unicode.Scalar(byte))
        }
        return trimmed(text)
    }

    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while scalars.last == " " { scalars.removeLast() }
        while scalars.first == " " { scalars.removeFirst() }
        return String(scalars)
    }
}
