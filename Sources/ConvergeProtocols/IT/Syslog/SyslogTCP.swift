import ConvergeModel
import ConvergeWire

/// Syslog over TCP (RFC 6587): octet-counted frames (`LEN SP MSG`, the RFC 5425 form, TCP 601)
/// or messages ended by a line feed (the traditional framing, TCP 514). Each message is read as
/// `Syslog` reads a datagram; function code the same (`syslog.level`).
///
/// tshark 4.0 dissects newline-framed messages but not octet-counted ones (it shows
/// `LEN <PRI>…` as text with no level): counts on octet-counted streams exceed tshark's.
public enum SyslogTCP: Dissector {
    public typealias State = Syslog.State
    /// The longest frame or line taken whole; a longer line is cut here (flagged `truncated`),
    /// a longer octet count is malformed.
    public static let maxFrameLength = 65_536
    /// Digits of an octet count, at most.
    public static let maxCountDigits = 6

    public static var name: String { "syslog_tcp" }
    public static var portHints: PortHints { PortHints(tcp: [514, 601]) }
    public static func makeState() -> State { State() }

    /// A PRI, or an octet count followed by a PRI, from the client.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard direction == .toServer else { return .reject }
        guard let first = bytes.byte(at: 0) else { return .needMore }
        guard Syslog.isDigit(first) else { return Syslog.probe(bytes, direction: direction) }
        switch frame(bytes) {
        case .failure(.needMore): return .needMore
        case .failure: return .reject
        case .success(let frame):
            return Syslog.probe(bytes.extracting(frame.start..<bytes.count), direction: direction) == .reject
                ? .reject : .match
        }
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Syslog.Message, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(1) }
        if Syslog.isDigit(first) {
            let frame = try frame(bytes).get()
            guard bytes.count >= frame.end else { throw .needMore(frame.end) }
            var message = Syslog.parseMessage(bytes, from: frame.start, to: frame.end, direction: direction)
            message.length = frame.end
            return (message, frame.end)
        }
        // Newline framing: up to and including the LF.
        let limit = min(bytes.count, maxFrameLength)
        var end = 0
        while end < limit, bytes[end] != 0x0A { end &+= 1 }
        guard end < limit else {
            guard bytes.count >= maxFrameLength else { throw .needMore(bytes.count &+ 1) }
            var message = Syslog.parseMessage(bytes, from: 0, to: maxFrameLength, direction: direction)
            message.anomalies.insert(.truncated)
            return (message, maxFrameLength)
        }
        var message = Syslog.parseMessage(bytes, from: 0, to: end, direction: direction)
        message.length = end &+ 1
        return (message, end &+ 1)
    }

    /// An octet count and the space after it: where the message starts and ends.
    static func frame(_ bytes: Span<UInt8>) -> Result<(start: Int, end: Int), DissectError> {
        var length = 0
        var index = 0
        while index < bytes.count, index < maxCountDigits, Syslog.isDigit(bytes[index]) {
            length = length &* 10 &+ Int(bytes[index] &- UInt8(ascii: "0"))
            index &+= 1
        }
        guard index < bytes.count else {
            return index < maxCountDigits ? .failure(.needMore(index &+ 2)) : .failure(.malformed("syslog: long count"))
        }
        guard bytes[index] == 0x20, length > 0, length <= maxFrameLength else {
            return .failure(.malformed("syslog: octet count not followed by a space or out of range"))
        }
        return .success((index &+ 1, index &+ 1 &+ length))
    }

    /// The next line start after a line feed, or an octet count before a `<`.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), index == 0 || bytes[index &- 1] == 0x0A { return index }
            index &+= 1
        }
        return nil
    }

    public static func event(
        _ parsed: Syslog.Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        var event = Syslog.event(parsed, bytes: bytes, context: context, state: &state)
        event.proto = name
        return event
    }

    public static func facts(
        _ parsed: Syslog.Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        Syslog.facts(parsed, bytes: bytes, context: context, state: state)
    }
}
