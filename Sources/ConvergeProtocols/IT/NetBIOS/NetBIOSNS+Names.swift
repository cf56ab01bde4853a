import ConvergeModel
import ConvergeWire

extension NetBIOSNS {
    /// A decoded NetBIOS name: up to 15 characters (trailing spaces cut) and the suffix byte.
    public struct Name: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var suffix: UInt8
        /// `NAME<1d>`, the way Windows tools print it.
        public var description: String {
            let hex = String(suffix, radix: 16)
            return name + "<" + (suffix < 16 ? "0" : "") + hex + ">"
        }
    }

    /// The name at `offset` (following compression pointers as `DNS.name` does), decoded from
    /// its first-level encoding; nil when the first label is not 32 valid encoded bytes.
    static func netBIOSName(_ bytes: Span<UInt8>, at offset: Int, base: Int, end: Int) -> Name? {
        var position = offset
        var limit = offset
        var jumps = 0
        while position >= base, position < end {
            let label = bytes[position]
            if label & 0xc0 == 0xc0 {
                guard position &+ 1 < end, jumps < DNS.maxPointerJumps else { return nil }
                let target = base &+ (Int(label & 0x3f) << 8 | Int(bytes[position &+ 1]))
                guard target < limit else { return nil }
                jumps &+= 1
                position = target
                limit = target
                continue
            }
            guard Int(label) == encodedNameLength, position &+ 1 &+ encodedNameLength <= end else { return nil }
            return decode(bytes, at: position &+ 1)
        }
        return nil
    }

    /// 32 bytes 'A'…'P', two per character.
    static func decode(_ bytes: Span<UInt8>, at start: Int) -> Name? {
        var raw: [UInt8] = []
        raw.reserveCapacity(16)
        for index in 0..<16 {
            let high = bytes[start &+ index &* 2]
            let low = bytes[start &+ index &* 2 &+ 1]
            guard high >= 0x41, high <= 0x50, low >= 0x41, low <= 0x50 else { return nil }
            raw.append((high &- 0x41) << 4 | (low &- 0x41))
        }
        let suffix = raw[15]
        var characters = raw[0..<15]
        while let last = characters.last, last == 0x20 || last == 0 { characters = characters.dropLast() }
        var text: [UInt8] = []
        for byte in characters { DNS.appendEscaped(byte, keepHigh: false, to: &text) }
        return Name(name: String(decoding: text, as: UTF8.self), suffix: suffix)
    }

    /// What a name's suffix says about its owner (Microsoft's NetBIOS suffix list): for unique
    /// names the service the host runs, for group names the kind of group.
    public static func role(suffix: UInt8, isGroup: Bool) -> String? {
        switch (suffix, isGroup) {
        case (0x00, false): "workstation"
        case (0x20, false): "file_server"
        case (0x1b, false): "domain_master_browser"
        case (0x1d, false): "master_browser"
        case (0x1c, true): "domain_controller"
        case (0x1e, true): "browser_election"
        default: nil
        }
    }
}
