import ConvergeModel

extension Syslog {
    /// Reads the PRI and header of the message in `start..<end`; the text is what follows.
    static func parseMessage(_ bytes: Span<UInt8>, from start: Int, to end: Int, direction: Direction) -> Message {
        var message = Message(direction: direction)
        message.length = end
        var index = start
        if let found = priority(bytes, from: start), found.end <= end {
            message.priority = found.value
            if found.value > maxPriority { message.anomalies.insert(.badPriority) }
            index = found.end
        } else {
            message.anomalies.insert(.noPriority)
        }
        // RFC 5424: a version (1–2 digits, not 0) and a space right after the PRI.
        if message.priority >= 0, let first = bytes.byte(at: index), first >= UInt8(ascii: "1"),
            first <= UInt8(ascii: "9")
        {
            var after = index &+ 1
            if after < end, isDigit(bytes[after]) { after &+= 1 }
            if after < end, bytes[after] == 0x20 {
                message.version = UInt8(truncatingIfNeeded: first &- UInt8(ascii: "0"))
                parse5424(bytes, from: after &+ 1, to: end, &message)
                return message
            }
        }
        parse3164(bytes, from: index, to: end, &message)
        return message
    }

    /// TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG], `-` for a nil field.
    static func parse5424(_ bytes: Span<UInt8>, from start: Int, to end: Int, _ message: inout Message) {
        var index = start
        guard let timestamp = token(bytes, &index, end), let hostname = token(bytes, &index, end),
            let appName = token(bytes, &index, end), let procID = token(bytes, &index, end),
            let msgID = token(bytes, &index, end)
        else {
            message.anomalies.insert(.badHeader)
            message.text = Field(offset: start, length: end &- start)
            return
        }
        message.timestamp = timestamp
        message.hostname = hostname
        message.appName = appName
        message.procID = procID
        message.msgID = msgID
        guard skipStructuredData(bytes, &index, end) else {
            message.anomalies.insert(.badHeader)
            return
        }
        if index < end, bytes[index] == 0x20 { index &+= 1 }
        message.text = Field(offset: index, length: end &- index)
    }

    /// A space-delimited token ending at a space; `-` gives an empty field. Nil at the end.
    static func token(_ bytes: Span<UInt8>, _ index: inout Int, _ end: Int) -> Field? {
        let start = index
        while index < end, bytes[index] != 0x20 { index &+= 1 }
        guard index < end, index > start else { return nil }
        let length = index &- start
        index &+= 1
        if length == 1, bytes[start] == UInt8(ascii: "-") { return Field() }
        return Field(offset: start, length: min(length, maxFieldLength))
    }

    /// `-` or one or more `[id param="value" …]` elements (`\]`, `\"` escaped inside values).
    static func skipStructuredData(_ bytes: Span<UInt8>, _ index: inout Int, _ end: Int) -> Bool {
        guard index < end else { return true }
        if bytes[index] == UInt8(ascii: "-") {
            index &+= 1
            return true
        }
        while index < end, bytes[index] == UInt8(ascii: "[") {
            var quoted = false
            index &+= 1
            while index < end {
                let byte = bytes[index]
                if quoted, byte == UInt8(ascii: "\\") {
                    index &+= 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { quoted.toggle() }
                index &+= 1
                if !quoted, byte == UInt8(ascii: "]") { break }
            }
            if index > end { index = end }
            guard index <= end, bytes[index &- 1] == UInt8(ascii: "]") else { return false }
        }
        return true
    }

    static let months: [(UInt8, UInt8, UInt8)] = [
        (74, 97, 110), (70, 101, 98), (77, 97, 114), (65, 112, 114), (77, 97, 121), (74, 117, 110),
        (74, 117, 108), (65, 117, 103), (83, 101, 112), (79, 99, 116), (78, 111, 118), (68, 101, 99),
    ]

    /// `Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`. Without a timestamp everything is text; a first
    /// token that ends in `:` or holds `[` is the tag of a message without a hostname.
    static func parse3164(_ bytes: Span<UInt8>, from start: Int, to end: Int, _ message: inout Message) {
        var index = start
        let stampLength = 15
        guard end &- start > stampLength, isTimestamp3164(bytes, start), bytes[start &+ stampLength] == 0x20 else {
            message.text = Field(offset: start, length: end &- start)
            return
        }
        message.timestamp = Field(offset: start, length: stampLength)
        index = start &+ stampLength &+ 1
        var first = index
        while first < end, bytes[first] != 0x20, bytes[first] != UInt8(ascii: ":"), bytes[first] != UInt8(ascii: "[") {
            first &+= 1
        }
        if first < end, bytes[first] == 0x20, first > index {
            message.hostname = Field(offset: index, length: min(first &- index, maxFieldLength))
            index = first &+ 1
        }
        // TAG: up to `[`, `:` or a space, at most 32 characters (RFC 3164 4.1.3).
        var tagEnd = index
        while tagEnd < end, tagEnd &- index < 32, bytes[tagEnd] != UInt8(ascii: "["),
            bytes[tagEnd] != UInt8(ascii: ":"), bytes[tagEnd] != 0x20
        {
            tagEnd &+= 1
        }
        if tagEnd < end, tagEnd > index, bytes[tagEnd] == UInt8(ascii: "[") || bytes[tagEnd] == UInt8(ascii: ":") {
            message.appName = Field(offset: index, length: tagEnd &- index)
            index = tagEnd
            if bytes[index] == UInt8(ascii: "[") {
                var close = index &+ 1
                while close < end, close &- index <= 32, bytes[close] != UInt8(ascii: "]") { close &+= 1 }
                if close < end, bytes[close] == UInt8(ascii: "]") {
                    message.procID = Field(offset: index &+ 1, length: close &- index &- 1)
                    index = close &+ 1
                }
            }
            if index < end, bytes[index] == UInt8(ascii: ":") { index &+= 1 }
            if index < end, bytes[index] == 0x20 { index &+= 1 }
        }
        message.text = Field(offset: index, length: end &- index)
    }

    /// `Mmm dd hh:mm:ss` with an English month abbreviation (day padded with a space or 0).
    static func isTimestamp3164(_ bytes: Span<UInt8>, _ at: Int) -> Bool {
        guard at &+ 15 <= bytes.count else { return false }
        let month = (bytes[at], bytes[at &+ 1], bytes[at &+ 2])
        guard months.contains(where: { $0 == month }), bytes[at &+ 3] == 0x20 else { return false }
        guard bytes[at &+ 6] == 0x20, isDigit(bytes[at &+ 7]), isDigit(bytes[at &+ 8]), isDigit(bytes[at &+ 10]),
            isDigit(bytes[at &+ 11]), isDigit(bytes[at &+ 13]), isDigit(bytes[at &+ 14])
        else { return false }
        return bytes[at &+ 9] == UInt8(ascii: ":") && bytes[at &+ 12] == UInt8(ascii: ":")
            && (bytes[at &+ 4] == 0x20 || isDigit(bytes[at &+ 4])) && isDigit(bytes[at &+ 5])
    }
}
