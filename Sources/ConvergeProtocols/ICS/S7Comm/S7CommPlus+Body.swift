import ConvergeModel

/// What the body after the operation header says, where it is readable (V1, V2 and V3 carry it
/// in clear: their integrity parts protect, they do not encrypt; TLS sessions are not read).
/// Built for events only.
extension S7CommPlus {
    /// Item addresses and values decoded per message at most.
    public static let maxBodyItems = 64
    /// LIDs of one item address kept at most (real addresses nest a few levels).
    public static let maxLIDs = 16
    /// Attribute strings kept from one CreateObject.
    public static let maxAttributeStrings = 16

    /// The function body: after the operation header (requests add a session id) up to the
    /// trailer. Empty when the frame has none.
    static func body(_ frame: Frame, pdu: Span<UInt8>) -> Range<Int> {
        guard frame.kind == .pdu, frame.hasFunction else { return 0..<0 }
        var start = headerLength
        if frame.version == Version.v3 { start &+= 1 &+ Int(frame.integrityDigestLength) }
        start &+= frame.isRequest ? 14 : 10
        let end = min(headerLength &+ Int(frame.dataLength), pdu.count)
        return start < end ? start..<end : 0..<0
    }

    /// Targets of the body: item addresses and written values of SetVariable, SetMultiVariables
    /// and GetMultiVariables requests, the object of DeleteObject, the attribute strings of
    /// CreateObject.
    static func bodyTargets(_ frame: Frame, pdu: Span<UInt8>) -> [Message.Target] {
        let range = body(frame, pdu: pdu)
        guard !range.isEmpty else { return [] }
        let body = pdu.extracting(range)
        switch (frame.function, frame.isRequest) {
        case (Function.setVariable, true): return setVariableTargets(body)
        case (Function.setMultiVariables, true): return multiVariableTargets(body, withValues: true)
        case (Function.getMultiVariables, true): return multiVariableTargets(body, withValues: false)
        case (Function.deleteObject, true):
            guard let object = ISOOnTCP.uint32BE(body, at: 0) else { return [] }
            return [Message.Target(kind: "object", address: Int(object))]
        case (Function.createObject, _): return attributeStrings(body)
        default: return []
        }
    }

    /// SetVariable: object id, item count, then per item an attribute id and its value.
    static func setVariableTargets(_ body: Span<UInt8>) -> [Message.Target] {
        guard let object = ISOOnTCP.uint32BE(body, at: 0) else { return [] }
        var offset = 4
        guard let count = varUInt32(body, at: &offset) else { return [] }
        var targets: [Message.Target] = []
        for _ in 0..<min(Int(count), maxBodyItems) {
            guard let attribute = varUInt32(body, at: &offset) else { break }
            var target = Message.Target(
                kind: "attribute", address: Int(attribute), name: "object=0x" + S7Comm.hex(Int(object), digits: 8))
            guard let decoded = value(body, at: &offset) else {
                targets.append(target)
                break
            }
            target.values = decoded.values
            target.value = decoded.text
            targets.append(target)
            if !decoded.complete { break }
        }
        return targets
    }

    /// Set/GetMultiVariables: an object (or link) id; 0 means items named by address (symbol
    /// CRC, access area, LID count, LIDs), else by attribute ids of that object. A set then
    /// carries per item its number and value.
    static func multiVariableTargets(_ body: Span<UInt8>, withValues: Bool) -> [Message.Target] {
        guard let object = ISOOnTCP.uint32BE(body, at: 0) else { return [] }
        var offset = 4
        guard let count = varUInt32(body, at: &offset) else { return [] }
        var targets: [Message.Target] = []
        if object == 0 {
            guard varUInt32(body, at: &offset) != nil else { return [] }  // fields in the whole set
            for _ in 0..<min(Int(count), maxBodyItems) {
                guard let target = itemAddress(body, at: &offset) else { break }
                targets.append(target)
            }
        } else {
            guard let addresses = varUInt32(body, at: &offset) else { return [] }
            let name = "object=0x" + S7Comm.hex(Int(object), digits: 8)
            for _ in 0..<min(Int(addresses), maxBodyItems) {
                guard let attribute = varUInt32(body, at: &offset) else { break }
                targets.append(Message.Target(kind: "attribute", address: Int(attribute), name: name))
            }
        }
        guard withValues, Int(count) <= maxBodyItems else { return targets }
        for _ in 0..<Int(count) {
            guard let item = varUInt32(body, at: &offset), item >= 1, Int(item) <= targets.count,
                let decoded = value(body, at: &offset)
            else { break }
            targets[Int(item) &- 1].values = decoded.values
            targets[Int(item) &- 1].value = decoded.text
            if !decoded.complete { break }
        }
        return targets
    }

    /// One item address. The access area names the memory: 0x8a0e<n> data block n; 0x50-0x54
    /// inputs, outputs, flags, counters, timers; the last LID is the variable's id within it.
    /// The name keeps the symbol CRC and the LID path.
    static func itemAddress(_ body: Span<UInt8>, at offset: inout Int) -> Message.Target? {
        guard let crc = varUInt32(body, at: &offset), let area = varUInt32(body, at: &offset),
            let depth = varUInt32(body, at: &offset)
        else { return nil }
        var lids: [String] = []
        var last: UInt32 = 0
        for index in 0..<Int(depth) {
            guard let lid = varUInt32(body, at: &offset) else { return nil }
            if index < maxLIDs { lids.append(String(lid)) }
            last = lid
        }
        let kind: String
        switch area {
        case 0x50: kind = "input"
        case 0x51: kind = "output"
        case 0x52: kind = "flag"
        case 0x53: kind = "counter"
        case 0x54: kind = "timer"
        default:
            kind = area >> 16 == 0x8a0e ? "db" + String(area & 0xffff) : "area_0x" + S7Comm.hex(Int(area), digits: 8)
        }
        return Message.Target(
            kind: kind, address: Int(last),
            name: "crc=0x" + S7Comm.hex(Int(crc), digits: 8) + " lid=" + lids.joined(separator: "."))
    }

    /// Attributes whose value is a string: an attribute id (a variable-length integer of one or
    /// two bytes, as the naming attributes have), flags 0, wide string 0x15, length, printable
    /// text. Found by scanning, both as object attributes (after 0xa3) and as structure members:
    /// the session's and the peer's names (a CPU's "1;6ES7 …;V2.2", a client's product and
    /// connection names). Text with unprintable bytes is not taken.
    static func attributeStrings(_ body: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        var index = 1
        while index &+ 3 < body.count, targets.count < maxAttributeStrings {
            defer { index &+= 1 }
            guard body[index] == 0x00, body[index &+ 1] == 0x15, body[index &- 1] < 0x80 else { continue }
            var offset = index &+ 2
            guard let length = varUInt32(body, at: &offset), length > 0, offset &+ Int(length) <= body.count,
                printable(body, from: offset, length: Int(length))
            else { continue }
            var attribute = Int(body[index &- 1])
            if index >= 2, body[index &- 2] >= 0x80 { attribute |= Int(body[index &- 2] & 0x7f) << 7 }
            targets.append(Message.Target(
                kind: "attribute", address: attribute, value: utf8Text(body, from: offset, length: Int(length))))
            index = offset &+ Int(length) &- 1
        }
        return targets
    }

    static func printable(_ bytes: Span<UInt8>, from start: Int, length: Int) -> Bool {
        for index in start..<(start &+ length) where bytes[index] < 0x20 || bytes[index] >= 0x7f { return false }
        return true
    }
}
