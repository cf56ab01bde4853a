extension SMB {
    /// Longest name or string kept from the wire, in characters; the rest is cut.
    public static let maxTextLength = 256

    /// Text at `range` of `bytes`: UTF-16LE or ASCII, stopping at a NUL, at most `maxTextLength`
    /// characters; bytes that are not text become U+FFFD. Only events and facts call this.
    static func text(_ bytes: Span<UInt8>, _ range: Range<Int>, unicode: Bool) -> String {
        let start = max(0, range.lowerBound)
        let stop = min(bytes.count, range.upperBound)
        guard start < stop else { return "" }
        var scalars = String.UnicodeScalarView()
        var index = start
        if unicode {
            var units: [UInt16] = []
            while index &+ 1 < stop, units.count < maxTextLength {
                let unit = UInt16(bytes[index]) | UInt16(bytes[index &+ 1]) << 8
                if unit == 0 { break }
                units.append(unit)
                index &+= 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        while index < stop, scalars.count < maxTextLength {
            let byte = bytes[index]
            if byte == 0 { break }
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : "\u{FFFD}")
            index &+= 1
        }
        return String(scalars)
    }

    /// The NUL-terminated strings from `start` to `end`, in order, at most `limit` of them; Unicode
    /// strings are 2-aligned from the SMB header at `header` ([MS-CIFS] 2.2.3.1).
    static func strings(
        _ bytes: Span<UInt8>, from start: Int, to end: Int, header: Int, unicode: Bool, limit: Int
    ) -> [String] {
        var result: [String] = []
        var index = start
        let stop = min(end, bytes.count)
        while index < stop, result.count < limit {
            if unicode && (index &- header) & 1 == 1 { index &+= 1 }
            var cursor = index
            if unicode {
                while cursor &+ 1 < stop, bytes[cursor] != 0 || bytes[cursor &+ 1] != 0 { cursor &+= 2 }
            } else {
                while cursor < stop, bytes[cursor] != 0 { cursor &+= 1 }
            }
            result.append(text(bytes, index..<cursor, unicode: unicode))
            index = cursor &+ (unicode ? 2 : 1)
        }
        return result
    }
}
