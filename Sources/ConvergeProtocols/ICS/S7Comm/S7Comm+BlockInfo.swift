import ConvergeModel

extension S7Comm {
    /// A block info answer (get block info) is this long: type, info length, flags, language,
    /// block type and number, sizes, two time stamps, author, family, name, version, checksum.
    static let blockInfoLength = 78

    /// The block a get-block-info response describes: its kind and number, values
    /// [language, load memory size, MC7 code size], the header name as `name`, and the rest
    /// (language, author, family, version, security, sizes, time stamps) as `key=value` text.
    static func blockInfoTarget(_ info: Span<UInt8>) -> Message.Target? {
        guard info.count >= blockInfoLength, let flags = info.byte(at: 9), let language = info.byte(at: 10),
            let type = info.byte(at: 11), let number = info.uint16BE(at: 12),
            let loadSize = ISOOnTCP.uint32BE(info, at: 14), let security = ISOOnTCP.uint32BE(info, at: 18),
            let codeSize = info.uint16BE(at: 40),
            let version = info.byte(at: 66), let checksum = info.uint16BE(at: 68)
        else { return nil }
        let name = text(info, from: 58, length: 8)
        var fields = [
            "language=" + languageName(language),
            "load_size=" + String(loadSize),
            "mc7_size=" + String(codeSize),
            "version=" + String(version >> 4) + "." + String(version & 0x0f),
            "checksum=0x" + hex(Int(checksum), digits: 4),
            "flags=0x" + hex(Int(flags), digits: 2),
        ]
        if security == 3 { fields.append("security=know_how_protect") }
        let author = text(info, from: 42, length: 8)
        if !author.isEmpty { fields.append("author=" + author) }
        let family = text(info, from: 50, length: 8)
        if !family.isEmpty { fields.append("family=" + family) }
        if let code = blockTimestampText(info, at: 22) { fields.append("code_time=" + code) }
        if let interface = blockTimestampText(info, at: 28) { fields.append("interface_time=" + interface) }
        return Message.Target(
            kind: blockKind(type), address: Int(number), count: 1,
            values: [Int(language), Int(loadSize), Int(codeSize)], name: name.isEmpty ? nil : name,
            value: fields.joined(separator: " "))
    }

    /// A block time stamp: milliseconds since midnight (4 bytes), days since 1984-01-01 (2),
    /// as ISO 8601 without zone (the PLC's local time). Nil when absent or all zero.
    static func blockTimestampText(_ bytes: Span<UInt8>, at offset: Int) -> String? {
        guard let milliseconds = ISOOnTCP.uint32BE(bytes, at: offset), let days = bytes.uint16BE(at: offset &+ 4),
            milliseconds != 0 || days != 0, milliseconds < 86_400_000
        else { return nil }
        let date = civilDate(daysSince1970: Int(days) &+ daysFrom1970To1984)
        return dateText(year: date.year, month: date.month, day: date.day)
            + "T" + timeText(milliseconds: Int(milliseconds))
    }

    /// Days from 1970-01-01 to 1984-01-01, the S7 epoch.
    static let daysFrom1970To1984 = 5113

    /// Year, month and day of a day count since 1970-01-01 (proleptic Gregorian calendar,
    /// counted in 400-year eras of 146 097 days).
    static func civilDate(daysSince1970: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSince1970 &+ 719_468  // days since 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted &- 146_096) / 146_097
        let dayOfEra = shifted &- era &* 146_097
        let yearOfEra = (dayOfEra &- dayOfEra / 1460 &+ dayOfEra / 36_524 &- dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra &- (365 &* yearOfEra &+ yearOfEra / 4 &- yearOfEra / 100)
        let monthFromMarch = (5 &* dayOfYear &+ 2) / 153
        let day = dayOfYear &- (153 &* monthFromMarch &+ 2) / 5 &+ 1
        let month = monthFromMarch < 10 ? monthFromMarch &+ 3 : monthFromMarch &- 9
        let year = yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func dateText(year: Int, month: Int, day: Int) -> String {
        padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    static func timeText(milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        return padded(seconds / 3600, 2) + ":" + padded(seconds / 60 % 60, 2) + ":" + padded(seconds % 60, 2)
            + "." + padded(milliseconds % 1000, 3)
    }

    /// Decimal with leading zeros to at least `digits`.
    static func padded(_ value: Int, _ digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, digits &- text.count)) + text
    }
}
