extension S7Comm {
    /// The 10-byte clock of read/set clock: reserved, two year bytes, month, day, hour,
    /// minute, second (BCD), then milliseconds (three BCD digits) and weekday (a nibble). As
    /// ISO 8601 without zone (the PLC's local time); nil when absent or not BCD. Like Wireshark,
    /// the year is the second year byte (PLCs send 19 in the first whatever the century).
    static func clockText(_ bytes: Span<UInt8>, at offset: Int) -> String? {
        shortTimestampText(bytes, at: offset &+ 2)
    }

    /// The 8-byte time stamp of diagnostic and alarm messages: the clock without the reserved
    /// and century bytes (years 90–99 are 19xx, the rest 20xx).
    static func shortTimestampText(_ bytes: Span<UInt8>, at offset: Int) -> String? {
        guard let year = bcd(bytes.byte(at: offset)) else { return nil }
        return timestampText(bytes, at: offset, century: year >= 90 ? 19 : 20)
    }

    /// Year (two BCD digits) at `offset`, then month … second, then milliseconds.
    static func timestampText(_ bytes: Span<UInt8>, at offset: Int, century: Int) -> String? {
        guard let year = bcd(bytes.byte(at: offset)), let month = bcd(bytes.byte(at: offset &+ 1)),
            let day = bcd(bytes.byte(at: offset &+ 2)), let hour = bcd(bytes.byte(at: offset &+ 3)),
            let minute = bcd(bytes.byte(at: offset &+ 4)), let second = bcd(bytes.byte(at: offset &+ 5)),
            let millisecondsHigh = bcd(bytes.byte(at: offset &+ 6)), let last = bytes.byte(at: offset &+ 7),
            last >> 4 <= 9, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let milliseconds = millisecondsHigh &* 10 &+ Int(last >> 4)
        return dateText(year: century &* 100 &+ year, month: month, day: day) + "T" + padded(hour, 2) + ":"
            + padded(minute, 2) + ":" + padded(second, 2) + "." + padded(milliseconds, 3)
    }

    /// Two BCD digits as a number; nil when absent or a nibble is above 9.
    static func bcd(_ byte: UInt8?) -> Int? {
        guard let byte, byte >> 4 <= 9, byte & 0x0f <= 9 else { return nil }
        return Int(byte >> 4) &* 10 &+ Int(byte & 0x0f)
    }
}
