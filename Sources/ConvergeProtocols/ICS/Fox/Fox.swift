import ConvergeModel
import ConvergeWire

/// Tridium Niagara Fox (TCP 1911, 4911 over TLS is not seen in clear): text messages.
///
/// A message is a header line `fox <kind> <number> <reply-to> <channel> <command>`, then a body
/// `{` … `};;`, one `key=type:value` line each (`s:` string, `i:` integer, `b:N[…]` and
/// `o:name N[…]` counted blobs that may hold newlines and braces, so they are skipped by their
/// count, never scanned). The `fox hello` exchange opens a session and names the station, its
/// host, Niagara, VM and OS versions, time zone and brand (as Nmap's fox-info reads it).
/// Wireshark has no Fox dissector: the values are checked by hand against the ITI capture.
public enum Fox: Dissector {
    public typealias Parsed = Frame

    /// The longest message taken: hellos are under 1 KiB; beyond this the bytes are not Fox.
    public static let maxMessageLength = 65_536
    /// The longest header line (`fox a 1 -1 fox hello`).
    public static let maxHeaderLength = 256
    /// At most this many body lines are counted (the rest are still framed, not counted).
    public static let maxFields = 1024

    static let magic: [UInt8] = Array("fox ".utf8)
    /// The body's closing line.
    static let terminator: [UInt8] = Array("};;".utf8)

    public static var name: String { "fox" }
    public static var portHints: PortHints { PortHints(tcp: [1911, 4911]) }
    public static func makeState() -> State { State() }

    /// `fox ` at the start of the flow, in either direction.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        for index in 0..<magic.count {
            guard let byte = bytes.byte(at: index) else { return .needMore }
            guard byte == magic[index] else { return .reject }
        }
        return .match
    }

    /// Takes one message: the header line, then the body up to its `};;` line.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        switch probe(bytes, direction: direction) {
        case .needMore: throw .needMore(magic.count)
        case .reject: throw .malformed("fox: message does not start with 'fox '")
        case .match: break
        }
        let window = min(bytes.count, maxMessageLength)
        guard let headerEnd = bytes.firstIndex(of: 0x0A, from: 0, to: min(window, maxHeaderLength)) else {
            if bytes.count >= maxHeaderLength { throw .malformed("fox: header line longer than \(maxHeaderLength)") }
            throw .needMore(bytes.count &+ 1)
        }
        var frame = Frame(direction: direction)
        readHeader(bytes, end: headerEnd, into: &frame)
        let body = try scanBody(bytes, from: headerEnd &+ 1, window: window, frame: &frame)
        frame.length = body
        state.messages &+= 1
        if frame.command == .hello {
            if direction == .toServer { state.clientHello = true } else { state.serverHello = true }
        }
        return (frame, body)
    }

    /// Header tokens: kind, message number, reply-to number, channel, command.
    static func readHeader(_ bytes: Span<UInt8>, end: Int, into frame: inout Frame) {
        var tokens = TokenCursor(start: magic.count, end: end)
        if let kind = tokens.next(bytes), kind.count == 1 { frame.kind = bytes[kind.lowerBound] }
        frame.number = tokens.next(bytes).flatMap { integer(bytes, $0) } ?? 0
        frame.replyTo = tokens.next(bytes).flatMap { integer(bytes, $0) } ?? 0
        let channel = tokens.next(bytes)
        let command = tokens.next(bytes)
        frame.header = magic.count..<end
        guard let channel, let command else {
            frame.anomalies.insert(.shortHeader)
            return
        }
        frame.channel = channel
        frame.commandRange = command
        frame.command = Command(channel: channel, command: command, in: bytes)
    }

    /// Finds the end of the body: the offset just past the `};;` line (and its newline).
    static func scanBody(
        _ bytes: Span<UInt8>, from start: Int, window: Int, frame: inout Frame
    ) throws(DissectError) -> Int {
        var line = start
        var fields = 0
        while line < window {
            guard let newline = bytes.firstIndex(of: 0x0A, from: line, to: window) else { break }
            if isTerminator(bytes, line: line, end: newline) {
                frame.fieldCount = fields
                return newline &+ 1
            }
            if line > start, newline > line { fields = min(fields &+ 1, maxFields) }
            // A counted blob may hold newlines: step over it before looking for the line's end.
            if let blobEnd = blobEnd(bytes, line: line, end: newline, window: window) {
                guard blobEnd <= window else { break }
                guard let next = bytes.firstIndex(of: 0x0A, from: blobEnd, to: window) else { break }
                line = next &+ 1
            } else {
                line = newline &+ 1
            }
        }
        if bytes.count >= maxMessageLength {
            throw .malformed("fox: no '};;' within \(maxMessageLength) bytes")
        }
        throw .needMore(bytes.count &+ 1)
    }

    static func isTerminator(_ bytes: Span<UInt8>, line: Int, end: Int) -> Bool {
        var stop = end
        if stop > line, bytes[stop &- 1] == 0x0D { stop &-= 1 }
        guard stop &- line == terminator.count else { return false }
        for index in 0..<terminator.count where bytes[line &+ index] != terminator[index] { return false }
        return true
    }

    /// For a `key=t:N[` or `key=t:name N[` line: the offset just past the blob's `]`, which may
    /// lie beyond `end` (the first newline); nil for a line without a counted blob.
    static func blobEnd(_ bytes: Span<UInt8>, line: Int, end: Int, window: Int) -> Int? {
        guard let equals = bytes.firstIndex(of: 0x3D, from: line, to: end) else { return nil }
        guard let open = bytes.firstIndex(of: 0x5B, from: equals, to: end) else { return nil }
        // Only `b:` (bytes) and `o:` (encoded objects) carry counted blobs.
        guard let type = bytes.byte(at: equals &+ 1), type == 0x62 || type == 0x6F,
            bytes.byte(at: equals &+ 2) == 0x3A
        else { return nil }
        var digitsStart = open
        while digitsStart > equals &+ 3, isDigit(bytes[digitsStart &- 1]) { digitsStart &-= 1 }
        guard digitsStart < open, let count = integer(bytes, digitsStart..<open), count >= 0,
            count <= maxMessageLength
        else { return nil }
        // `b:N[`: the count follows the colon; `o:name N[`: a type name and one space come first.
        let before = bytes[digitsStart &- 1]
        guard before == (type == 0x62 ? 0x3A : 0x20) else { return nil }
        return open &+ 1 &+ count &+ 1
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A decimal integer (optionally negative), nil when not one or too long.
    static func integer(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var index = range.lowerBound
        var negative = false
        if bytes[index] == 0x2D {
            negative = true
            index &+= 1
            guard index < range.upperBound else { return nil }
        }
        var value = 0
        while index < range.upperBound {
            let byte = bytes[index]
            guard isDigit(byte) else { return nil }
            value = value &* 10 &+ Int(byte &- 0x30)
            index &+= 1
        }
        return negative ? -value : value
    }

    /// Space-separated tokens of the header line.
    struct TokenCursor {
        var position: Int
        let end: Int
        init(start: Int, end: Int) {
            self.position = start
            self.end = end
        }
        mutating func next(_ bytes: Span<UInt8>) -> Range<Int>? {
            while position < end, bytes[position] == 0x20 { position &+= 1 }
            guard position < end else { return nil }
            let start = position
            while position < end, bytes[position] != 0x20, bytes[position] != 0x0D { position &+= 1 }
            return start..<position
        }
    }
}
