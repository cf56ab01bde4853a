import ConvergeWire

extension EtherNetIP {
    // EtherNet/IP and CIP are little-endian (the sockaddr item excepted). These read at absolute
    // offsets and return nil past the end, so no caller can index out of bounds.

    /// Little-endian 16-bit value at `offset`, or nil past the end.
    @inline(__always)
    static func le16(_ bytes: Span<UInt8>, _ offset: Int) -> UInt16? {
        guard offset >= 0, offset &+ 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset &+ 1]) << 8
    }

    /// Little-endian 32-bit value at `offset`, or nil past the end.
    @inline(__always)
    static func le32(_ bytes: Span<UInt8>, _ offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
        return UInt32(bytes[offset]) | UInt32(bytes[offset &+ 1]) << 8
            | UInt32(bytes[offset &+ 2]) << 16 | UInt32(bytes[offset &+ 3]) << 24
    }

    /// Little-endian 64-bit value at `offset`, or nil past the end.
    @inline(__always)
    static func le64(_ bytes: Span<UInt8>, _ offset: Int) -> UInt64? {
        guard let low = le32(bytes, offset), let high = le32(bytes, offset &+ 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    /// The byte at `offset`, or nil past the end.
    @inline(__always)
    static func u8(_ bytes: Span<UInt8>, _ offset: Int) -> UInt8? {
        guard offset >= 0, offset < bytes.count else { return nil }
        return bytes[offset]
    }

    /// Printable text of `length` bytes at `offset` (clipped to the bytes present and to `cap`):
    /// control characters dropped, trailing spaces and NULs trimmed. Allocates; for events only.
    static func text(_ bytes: Span<UInt8>, offset: Int, length: Int, cap: Int) -> String {
        var out: [UInt8] = []
        let count = max(0, min(length, cap, bytes.count &- offset))
        out.reserveCapacity(count)
        var index = 0
        while index < count, let byte = bytes.byte(at: offset &+ index) {
            if byte >= 0x20 && byte != 0x7f { out.append(byte) }
            index &+= 1
        }
        while out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` as `0x` and at least `digits` hex digits (for names of unknown codes).
    static func hex<T: BinaryInteger>(_ value: T, digits: Int = 2) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits &- text.count)) + text
    }
}
