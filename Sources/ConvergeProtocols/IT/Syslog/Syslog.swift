import ConvergeModel
import ConvergeWire

/// Syslog over UDP (RFC 5426, one message a datagram): the PRI (facility and severity) and the
/// RFC 3164 (BSD) or RFC 5424 header: timestamp, hostname, app-name, procid, msgid. The text is
/// not read in `parse`; the event keeps at most `maxTextLength` of it. Over TCP see `SyslogTCP`.
///
/// Function code: the severity, Wireshark's `syslog.level` (0 emergency … 7 debug); the facility
/// (`syslog.facility`) is the message's first target. A message without a PRI has no function.
public enum Syslog: Dissector {
    /// PRI values go up to 23 × 8 + 7.
    public static let maxPriority = 191
    /// Message text kept in an event, in characters.
    public static let maxTextLength = 1024
    /// Header fields longer than this are cut (RFC 5424: hostname 255, app-name 48, msgid 32).
    public static let maxFieldLength = 255
    /// The longest datagram read (RFC 5426 allows up to the UDP maximum; headers are near the start).
    public static let maxMessageLength = 65_535

    public static var name: String { "syslog" }
    public static var portHints: PortHints { PortHints(udp: [514]) }
    public static func makeState() -> State { State() }

    /// Per-flow state: none (each message stands alone).
    public struct State: Sendable {
        public init() {}
    }

    /// `<PRI>` with one to three digits and a value within `maxPriority`.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        switch priority(bytes, from: 0) {
        case .some(let found): found.value <= maxPriority ? .match : .reject
        case nil: bytes.count < 5 && couldBePriority(bytes) ? .needMore : .reject
        }
    }

    /// Takes the whole datagram as one message.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard !bytes.isEmpty else { throw .needMore(1) }
        return (parseMessage(bytes, from: 0, to: min(bytes.count, maxMessageLength), direction: direction), bytes.count)
    }

    /// A PRI at `start`: its value and the offset after `>`; nil when there is none.
    static func priority(_ bytes: Span<UInt8>, from start: Int) -> (value: Int, end: Int)? {
        guard bytes.byte(at: start) == UInt8(ascii: "<") else { return nil }
        var value = 0
        var index = start &+ 1
        while index < bytes.count, index &- start <= 4 {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") { return index > start &+ 1 ? (value, index &+ 1) : nil }
            guard isDigit(byte) else { return nil }
            value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
            index &+= 1
        }
        return nil
    }

    /// Whether a short prefix may still grow into a PRI.
    static func couldBePriority(_ bytes: Span<UInt8>) -> Bool {
        guard let first = bytes.byte(at: 0) else { return true }
        guard first == UInt8(ascii: "<") else { return false }
        for index in 1..<bytes.count where !isDigit(bytes[index]) { return false }
        return true
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
