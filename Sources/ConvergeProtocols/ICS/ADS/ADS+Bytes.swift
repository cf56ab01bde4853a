import ConvergeModel

extension ADS {
    /// Little-endian 16-bit value at `offset`, or nil past the end (ADS is little-endian throughout).
    static func u16(_ bytes: Span<UInt8>, _ offset: Int) -> UInt16? {
        guard offset >= 0, offset &+ 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset &+ 1]) << 8
    }

    /// Little-endian 32-bit value at `offset`, or nil past the end.
    static func u32(_ bytes: Span<UInt8>, _ offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
        return bytes.loadUInt32LE(at: offset)
    }

    /// A 6-byte AMS NetId packed into the low 48 bits, first byte highest (so it sorts as written).
    static func netID(_ bytes: Span<UInt8>, _ offset: Int) -> UInt64? {
        guard offset >= 0, offset &+ 6 <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in 0..<6 { value = value << 8 | UInt64(bytes[offset &+ index]) }
        return value
    }

    /// An AMS NetId as it is written (`5.1.204.160.1.1`). Allocates; for events only.
    public static func netIDText(_ value: UInt64) -> String {
        var parts: [String] = []
        parts.reserveCapacity(6)
        for shift in stride(from: 40, through: 0, by: -8) { parts.append(String((value >> UInt64(shift)) & 0xff)) }
        return parts.joined(separator: ".")
    }

    /// Longest text taken from the wire (device names, symbol names, discovery tags).
    public static let maxTextLength = 128

    /// Printable text of up to `maxTextLength` bytes, ending at the first NUL; control bytes dropped.
    /// Allocates; for events and facts only.
    static func text(_ bytes: Span<UInt8>, from start: Int, length: Int) -> String {
        var out: [UInt8] = []
        let capped = max(0, min(length, maxTextLength))
        out.reserveCapacity(capped)
        var index = 0
        while index < capped, let byte = bytes.byte(at: start &+ index), byte != 0 {
            if byte >= 0x20 && byte != 0x7f { out.append(byte) }
            index &+= 1
        }
        while out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }
}
