import ConvergeModel

/// An address's text, byte for byte as `IPAddress.description` spells it (dotted IPv4; RFC 5952
/// IPv6: lowercase hex without leading zeros, the first longest run of two or more zero groups
/// as "::"), written into a byte buffer. Evidence records name thousands of addresses (every
/// host, every peer); the description builds arrays and strings for each.
enum AddressText {
    static func append(_ address: IPAddress, to bytes: inout [UInt8]) {
        if let v4 = address.v4 {
            decimal(UInt8(truncatingIfNeeded: v4 >> 24), to: &bytes)
            bytes.append(UInt8(ascii: "."))
            decimal(UInt8(truncatingIfNeeded: v4 >> 16), to: &bytes)
            bytes.append(UInt8(ascii: "."))
            decimal(UInt8(truncatingIfNeeded: v4 >> 8), to: &bytes)
            bytes.append(UInt8(ascii: "."))
            decimal(UInt8(truncatingIfNeeded: v4), to: &bytes)
            return
        }
        var groups = InlineArray<8, UInt16>(repeating: 0)
        for i in 0..<8 { groups[i] = UInt16(truncatingIfNeeded: address.bits >> (112 &- 16 &* i)) }
        // The first longest run of zero groups, if two or more long.
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i &- runStart > bestLength {
                    bestStart = runStart
                    bestLength = i &- runStart
                }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = 8 }
        var i = 0
        while i < 8 {
            if i == bestStart {
                bytes.append(UInt8(ascii: ":"))
                bytes.append(UInt8(ascii: ":"))
                i &+= bestLength
                continue
            }
            if i > 0, i != bestStart &+ bestLength { bytes.append(UInt8(ascii: ":")) }
            hex(groups[i], to: &bytes)
            i &+= 1
        }
    }

    static func text(_ address: IPAddress) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        append(address, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func decimal(_ value: UInt8, to bytes: inout [UInt8]) {
        if value >= 100 { bytes.append(0x30 &+ value / 100) }
        if value >= 10 { bytes.append(0x30 &+ value / 10 % 10) }
        bytes.append(0x30 &+ value % 10)
    }

    private static func hex(_ value: UInt16, to bytes: inout [UInt8]) {
        var shift = 12
        while shift > 0, value >> UInt16(shift) == 0 { shift &-= 4 }
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt16(shift)) & 0x0F
            bytes.append(nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble)
            shift &-= 4
        }
    }
}
