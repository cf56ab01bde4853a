import ConvergeModel
import ConvergeWire

extension SSDP {
    /// Where a header's value sits (offset 0 for absent).
    public struct HeaderValue: Sendable, Equatable {
        public var offset: Int32 = 0
        public var length: UInt16 = 0
        public var isPresent: Bool { offset > 0 }
    }

    /// One SSDP message as `parse` found it.
    public struct Frame: ParsedMessage, Sendable {
        public var direction: Direction
        public var isResponse = false
        /// 1 NOTIFY, 2 M-SEARCH, 3 other method; a response's status code.
        public var code: UInt16 = 0
        public var server = HeaderValue()
        public var notificationType = HeaderValue()
        public var notificationSubtype = HeaderValue()
        public var searchTarget = HeaderValue()
        public var uniqueServiceName = HeaderValue()
        public var location = HeaderValue()
        public var userAgent = HeaderValue()
        public var headerCount: UInt8 = 0
        public var anomalies: Anomalies = []

        public init(direction: Direction) { self.direction = direction }

        public var functionCode: Int { Int(code) }
        public var hasFunction: Bool { true }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The headers do not end with an empty line.
        public static let unterminated = Anomalies(rawValue: 1 << 0)
        /// A header line without a colon.
        public static let badHeader = Anomalies(rawValue: 1 << 1)
        /// More than `maxHeaders` header lines.
        public static let tooManyHeaders = Anomalies(rawValue: 1 << 2)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.unterminated, "ssdp.unterminated"), (.badHeader, "ssdp.bad_header"),
            (.tooManyHeaders, "ssdp.too_many_headers"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    /// Header names this dissector reads, lower case.
    static let serverName = Array("server".utf8)
    static let ntName = Array("nt".utf8)
    static let ntsName = Array("nts".utf8)
    static let stName = Array("st".utf8)
    static let usnName = Array("usn".utf8)
    static let locationName = Array("location".utf8)
    static let userAgentName = Array("user-agent".utf8)
    /// What ends a request line: `HTTP/` and a 3-character version.
    static let httpVersionPrefix = Array("HTTP/".utf8)

    /// Walks the header lines after the start line (which ends at `start`, at its CR or LF).
    static func readHeaders(_ bytes: Span<UInt8>, from start: Int, frame: inout Frame) {
        var position = skipLineBreak(bytes, at: start)
        while position < bytes.count {
            guard let end = lineEnd(bytes, from: position) else {
                frame.anomalies.insert(.unterminated)
                return
            }
            if end == position { return }  // the empty line ends the headers
            guard Int(frame.headerCount) < maxHeaders else {
                frame.anomalies.insert(.tooManyHeaders)
                return
            }
            frame.headerCount &+= 1
            if let colon = index(of: UInt8(ascii: ":"), in: bytes, from: position, to: end) {
                var valueStart = colon &+ 1
                while valueStart < end, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart &+= 1 }
                var valueEnd = end
                while valueEnd > valueStart, bytes[valueEnd &- 1] == 0x20 || bytes[valueEnd &- 1] == 0x09 {
                    valueEnd &-= 1
                }
                let value = HeaderValue(
                    offset: Int32(truncatingIfNeeded: valueStart),
                    length: UInt16(truncatingIfNeeded: min(valueEnd &- valueStart, maxValueLength)))
                note(bytes, name: position..<colon, value: value, frame: &frame)
            } else {
                frame.anomalies.insert(.badHeader)
            }
            position = skipLineBreak(bytes, at: end)
        }
        frame.anomalies.insert(.unterminated)
    }

    static func note(_ bytes: Span<UInt8>, name: Range<Int>, value: HeaderValue, frame: inout Frame) {
        func matches(_ wanted: [UInt8]) -> Bool {
            guard name.count == wanted.count else { return false }
            for (index, byte) in zip(name, wanted) where bytes[index] | 0x20 != byte | 0x20 { return false }
            return true
        }
        func keep(_ slot: inout HeaderValue) { if !slot.isPresent { slot = value } }
        switch name.count {
        case 2:
            if matches(ntName) { keep(&frame.notificationType) } else if matches(stName) { keep(&frame.searchTarget) }
        case 3:
            if matches(ntsName) { keep(&frame.notificationSubtype) } else if matches(usnName) {
                keep(&frame.uniqueServiceName)
            }
        case 6: if matches(serverName) { keep(&frame.server) }
        case 8: if matches(locationName) { keep(&frame.location) }
        case 10: if matches(userAgentName) { keep(&frame.userAgent) }
        default: break
        }
    }

    // MARK: Byte helpers

    static func startsWith(_ bytes: Span<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for index in 0..<prefix.count where bytes[index] != prefix[index] { return false }
        return true
    }

    /// The offset of the CR or LF that ends the line starting at `start`, nil when none does.
    static func lineEnd(_ bytes: Span<UInt8>, from start: Int) -> Int? {
        var position = start
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x0d || byte == 0x0a { return position }
            position &+= 1
        }
        return nil
    }

    /// Past a CRLF (or a lone LF or CR) at `position`.
    static func skipLineBreak(_ bytes: Span<UInt8>, at position: Int) -> Int {
        guard position < bytes.count else { return position }
        if bytes[position] == 0x0d, position &+ 1 < bytes.count, bytes[position &+ 1] == 0x0a { return position &+ 2 }
        return position &+ 1
    }

    static func index(of byte: UInt8, in bytes: Span<UInt8>, from start: Int, to end: Int) -> Int? {
        var position = start
        while position < end {
            if bytes[position] == byte { return position }
            position &+= 1
        }
        return nil
    }

    static func digits(_ bytes: Span<UInt8>, from start: Int, count: Int) -> Int? {
        var value = 0
        for index in start..<(start &+ count) {
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            value = value &* 10 &+ Int(bytes[index] &- 0x30)
        }
        return value
    }

    /// `TOKEN SP target SP HTTP/`: an upper-case method token, something, and the version.
    static func isRequestLine(_ bytes: Span<UInt8>, end: Int) -> Bool {
        guard let space = index(of: 0x20, in: bytes, from: 0, to: end), space > 0 else { return false }
        for index in 0..<space where !(bytes[index] >= 0x41 && bytes[index] <= 0x5a || bytes[index] == 0x2d) {
            return false
        }
        let version = httpVersionPrefix
        guard end >= version.count &+ space else { return false }
        let start = end &- 8
        guard start > space else { return false }
        for index in 0..<version.count where bytes[start &+ index] != version[index] { return false }
        return true
    }
}
