/// 48-bit Ethernet addresses, kept as the low 48 bits of a `UInt64` on the hot path.
public enum MACAddress {
    /// `aa:bb:cc:dd:ee:ff`.
    public static func text(_ mac: UInt64) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(17)
        for index in 0..<6 {
            let byte = Int(truncatingIfNeeded: (mac >> UInt64(40 - index * 8)) & 0xFF)
            if index > 0 { out.append(":") }
            out.append(digits[byte >> 4])
            out.append(digits[byte & 0x0F])
        }
        return out
    }

    /// The broadcast address and the group bit (multicast and broadcast destinations).
    public static let broadcast: UInt64 = 0xFFFF_FFFF_FFFF
    public static func isGroup(_ mac: UInt64) -> Bool { (mac >> 40) & 0x01 != 0 }
}
