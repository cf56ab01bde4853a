import ConvergeModel

/// Where a value sits in a link-layer frame's payload (LLDP, CDP): an offset and a length, so
/// `parse` can note a field without copying it. Offset 0 means absent (no value starts there: the
/// first byte of every payload read here is a header).
public struct LinkField: Sendable, Equatable {
    public var offset: Int32 = 0
    public var length: Int32 = 0
    public init() {}
    public init(offset: Int, length: Int) {
        self.offset = Int32(truncatingIfNeeded: offset)
        self.length = Int32(truncatingIfNeeded: length)
    }
    public var isPresent: Bool { offset > 0 }

    /// The field's bytes' range inside `bytes`, nil when absent or past the end.
    public func range(in bytes: Span<UInt8>) -> Range<Int>? {
        let start = Int(offset)
        let end = start &+ Int(length)
        guard isPresent, length >= 0, end <= bytes.count else { return nil }
        return start..<end
    }
}

/// Text and addresses from link-layer discovery frames, built only for events and facts.
public enum LinkText {
    /// A text field as data: cut to `limit` bytes, trailing NULs and spaces dropped, bytes that
    /// are not UTF-8 turned into replacement characters (never a trap). Nil when empty.
    public static func string(_ field: LinkField, in bytes: Span<UInt8>, limit: Int) -> String? {
        guard let range = field.range(in: bytes) else { return nil }
        var end = min(range.upperBound, range.lowerBound &+ max(limit, 0))
        while end > range.lowerBound, bytes[end &- 1] == 0 || bytes[end &- 1] == 0x20 { end &-= 1 }
        guard end > range.lowerBound else { return nil }
        var raw: [UInt8] = []
        raw.reserveCapacity(end &- range.lowerBound)
        for index in range.lowerBound..<end { raw.append(bytes[index]) }
        return String(decoding: raw, as: UTF8.self)
    }

    /// Six bytes at `offset` as a MAC address value, nil past the end.
    public static func mac(_ bytes: Span<UInt8>, at offset: Int) -> UInt64? {
        guard offset >= 0, offset &+ 6 <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in offset..<(offset &+ 6) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address at `offset`, nil for other lengths.
    public static func ip(_ bytes: Span<UInt8>, at offset: Int, length: Int) -> IPAddress? {
        guard offset >= 0, offset &+ length <= bytes.count else { return nil }
        switch length {
        case 4: return IPAddress(v4: bytes.loadUInt32BE(at: offset))
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 { high = high << 8 | UInt64(bytes[offset &+ index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[offset &+ index]) }
            return IPAddress(v6High: high, low: low)
        default: return nil
        }
    }

    /// Bytes as colon-separated hex (an identifier with no text form), at most `limit` bytes.
    public static func hex(_ field: LinkField, in bytes: Span<UInt8>, limit: Int = 64) -> String? {
        guard let range = field.range(in: bytes), !range.isEmpty else { return nil }
        let digits: [Character] = Array("0123456789abcdef")
        var out = ""
        for index in range.prefix(limit) {
            if !out.isEmpty { out.append(":") }
            out.append(digits[Int(bytes[index] >> 4)])
            out.append(digits[Int(bytes[index] & 0x0F)])
        }
        return out
    }

    /// Names of the set bits of `bits`, in bit order, joined by commas (`bridge,router`).
    public static func flags(_ bits: UInt32, names: [(UInt32, String)]) -> String {
        var parts: [String] = []
        for (bit, name) in names where bits & bit != 0 { parts.append(name) }
        return parts.joined(separator: ",")
    }
}
