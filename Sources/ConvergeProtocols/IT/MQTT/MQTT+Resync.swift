import ConvergeModel

extension MQTT {
    /// Bytes searched for a packet boundary after a gap; past this the delivery is dropped.
    public static let maxResyncScan = 4096

    /// After a gap: the first offset where a packet plausibly starts. MQTT has no marker, so a
    /// candidate needs a type byte with the flags the spec fixes, a remaining length of at most 4
    /// bytes, and either to end exactly where the bytes end or where another such type byte
    /// starts. A PUBLISH running past the bytes is taken when its topic is whole and printable.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        let limit = min(bytes.count, maxResyncScan)
        var offset = 0
        while offset < limit {
            if isPlausibleStart(bytes, at: offset) { return offset }
            offset &+= 1
        }
        return nil
    }

    static func isPlausibleStart(_ bytes: Span<UInt8>, at offset: Int) -> Bool {
        guard let first = bytes.byte(at: offset), PacketType.isValidFirstByte(first) else { return false }
        let header: FixedHeader
        do throws(DissectError) {
            header = try fixedHeader(bytes, at: offset)
        } catch {
            return false
        }
        let end = offset &+ header.totalLength
        if end == bytes.count { return true }
        if end < bytes.count { return bytes.byte(at: end).map(PacketType.isValidFirstByte) ?? false }
        guard header.type == .publish else { return false }
        let topicStart = offset &+ header.headerLength
        guard let length = bytes.uint16BE(at: topicStart), length > 0, Int(length) &+ 2 <= header.remainingLength,
            Int(length) <= maxTopicLength, topicStart &+ 2 &+ Int(length) <= bytes.count
        else { return false }
        for index in (topicStart &+ 2)..<(topicStart &+ 2 &+ Int(length)) {
            guard let byte = bytes.byte(at: index), byte >= 0x20, byte != 0x7f, byte != 0x23, byte != 0x2b else {
                return false
            }
        }
        return true
    }
}
