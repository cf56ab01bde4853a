import ConvergeModel
import ConvergeWire

/// DHCPv6 (RFC 8415) on UDP 546 (client) and 547 (server and relay): a message type, a 3-byte
/// transaction id, then options (2-byte code, 2-byte length). Relay-forward and relay-reply carry
/// the client's message inside option 9; `parse` follows at most `maxRelayDepth` of them to the
/// client's own message, whose identifying options it notes by offset.
///
/// Counted function: the outermost message type (`dhcpv6.msgtype`, first occurrence).
public enum DHCPv6: Dissector {
    public typealias Parsed = Frame

    /// Message type and transaction id.
    public static let headerLength = 4
    /// Relay messages: type, hop count, link address, peer address.
    public static let relayHeaderLength = 34
    /// RFC 8415 HOP_COUNT_LIMIT: relays nest no deeper.
    public static let maxRelayDepth = 8
    /// Options walked per message; more are flagged `tooManyOptions`.
    public static let maxOptions = 128

    public static var name: String { "dhcpv6" }
    public static var portHints: PortHints { PortHints(udp: [547, 546]) }
    public static func makeState() -> State { State() }

    /// No pairing: a SOLICIT goes to a multicast group, its ADVERTISE comes back on another flow.
    public struct State: Sendable {
        public init() {}
    }

    /// Message types RFC 8415 and its lease-query extensions define (1–36), with room for the header.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let type = bytes.byte(at: 0), bytes.count >= headerLength else { return .reject }
        return type >= 1 && type <= 36 ? .match : .reject
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= headerLength else {
            throw .malformed("dhcpv6: \(bytes.count) bytes is shorter than the 4-byte header")
        }
        var frame = Frame(direction: direction, messageType: bytes[0])
        var start = 0
        var end = bytes.count
        // Down through relay headers to the client's message.
        while isRelay(bytes[start]) {
            guard frame.relayDepth < maxRelayDepth else {
                frame.anomalies.insert(.relayTooDeep)
                return (frame, bytes.count)
            }
            guard start &+ relayHeaderLength <= end else {
                frame.anomalies.insert(.truncated)
                return (frame, bytes.count)
            }
            frame.relayDepth &+= 1
            frame.peerAddressOffset = Int32(truncatingIfNeeded: start &+ 18)
            guard let inner = findOption(bytes, code: Option.relayMessage, from: start &+ relayHeaderLength, end: end),
                inner.length >= headerLength
            else {
                frame.anomalies.insert(.missingRelayMessage)
                return (frame, bytes.count)
            }
            start = inner.offset
            end = inner.offset &+ inner.length
        }
        frame.innerType = bytes[start]
        frame.transactionID =
            UInt32(bytes[start &+ 1]) << 16 | UInt32(bytes[start &+ 2]) << 8 | UInt32(bytes[start &+ 3])
        walkOptions(bytes, from: start &+ headerLength, end: end, frame: &frame)
        return (frame, bytes.count)
    }

    static func isRelay(_ type: UInt8) -> Bool { type == 12 || type == 13 }

    /// The first option `code` in `bytes[from..<end]`: where its value starts and its length.
    static func findOption(
        _ bytes: Span<UInt8>, code: UInt16, from start: Int, end: Int
    ) -> (offset: Int, length: Int)? {
        var position = start
        var walked = 0
        while position &+ 4 <= end, walked < maxOptions, let found = bytes.uint16BE(at: position),
            let length = bytes.uint16BE(at: position &+ 2)
        {
            let value = position &+ 4
            guard value &+ Int(length) <= end else { return nil }
            if found == code { return (value, Int(length)) }
            position = value &+ Int(length)
            walked &+= 1
        }
        return nil
    }
}
