import ConvergeModel

extension MQTT {
    /// Bytes searched for a packet boundary after a gap; past this the delivery is dropped.
    public static let maxResyncScan = 4096

    /// After a gap: the first offset where a packet plausibly starts. MQTT has no marker, so a
    /// candidate needs a type byte with the flags the spec fixes, a remaining length of at most 4
    /// bytes, a body its type allows (`plausibleBody`), and either to end exactly where the bytes
    /// end or where another such type byte starts. A CONNECT or PUBLISH running past the bytes is
    /// taken when its protocol name or whole topic was checked.
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
        guard plausibleBody(bytes, at: offset, header: header) == true else { return false }
        let end = offset &+ header.totalLength
        if end == bytes.count { return true }
        if end < bytes.count { return bytes.byte(at: end).map(PacketType.isValidFirstByte) ?? false }
        return header.type == .publish || header.type == .connect
    }
}
