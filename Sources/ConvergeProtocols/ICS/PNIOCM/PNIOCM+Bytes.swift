extension PNIOCM {
    /// NDR integers follow the sender's data representation (byte order from `drep[0]`);
    /// PNIO blocks inside the arguments are always big-endian.
    @inline(__always)
    static func u16(_ bytes: Span<UInt8>, _ offset: Int, little: Bool) -> UInt16? {
        guard offset >= 0, offset &+ 2 <= bytes.count else { return nil }
        let a = UInt16(bytes[offset]), b = UInt16(bytes[offset &+ 1])
        return little ? a | b << 8 : a << 8 | b
    }

    @inline(__always)
    static func u32(_ bytes: Span<UInt8>, _ offset: Int, little: Bool) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
        return little ? bytes.loadUInt32LE(at: offset) : bytes.loadUInt32BE(at: offset)
    }

    /// A UUID as one 128-bit number in its textual order: the first three fields (32, 16, 16 bits)
    /// follow the data representation, the last eight bytes are taken as they stand.
    static func uuid(_ bytes: Span<UInt8>, _ offset: Int, little: Bool) -> UInt128? {
        guard offset >= 0, offset &+ 16 <= bytes.count, let timeLow = u32(bytes, offset, little: little),
            let timeMid = u16(bytes, offset &+ 4, little: little),
            let timeHigh = u16(bytes, offset &+ 6, little: little)
        else { return nil }
        var value = UInt128(timeLow) << 96 | UInt128(timeMid) << 80 | UInt128(timeHigh) << 64
        for index in 0..<8 {
            value |= UInt128(bytes[offset &+ 8 &+ index]) << UInt128(56 &- 8 &* index)
        }
        return value
    }

    /// `dea00001-6c97-11d1-8271-00a02442df7d` (for events only).
    public static func uuidString(_ value: UInt128) -> String {
        let hex = String(value, radix: 16)
        let full = String(repeating: "0", count: max(0, 32 &- hex.count)) + hex
        var text = ""
        for (index, character) in full.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
            text.append(character)
        }
        return text
    }
}
