import ConvergeModel
import ConvergeWire

/// DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message behind a 2-byte length. The message is
/// parsed by `DNS`; zone transfers and large answers are why this exists, so a message is taken
/// whole (up to 65,535 bytes, the prefix's own ceiling) and its records walked like a datagram's.
///
/// Its summary name is `dns_tcp` (one registry entry per transport); its events say `dns`.
public enum DNSOverTCP: Dissector {
    public typealias Parsed = DNS.Frame
    public typealias State = DNS.State

    /// The length prefix.
    public static let prefixLength = 2

    public static var name: String { "dns_tcp" }
    /// Its messages are DNS's (`dns`), whatever the transport.
    public static var eventProtocols: [String] { [name, DNS.name] }
    public static var portHints: PortHints { PortHints(tcp: [53]) }
    public static func makeState() -> State { State() }

    /// A length that holds at least a header, then a header whose questions could fit in it.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let length = bytes.uint16BE(at: 0) else { return .needMore }
        guard Int(length) >= DNS.headerLength else { return .reject }
        guard bytes.count >= prefixLength &+ DNS.headerLength else { return .needMore }
        let questions = Int(bytes.uint16BE(at: prefixLength &+ 4) ?? 0)
        return questions &* 5 <= Int(length) &- DNS.headerLength ? .match : .reject
    }

    /// Takes one length-prefixed message. A prefix below 12 is consumed as a `short_message`
    /// (framing is intact: the next message follows it).
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: DNS.Frame, consumed: Int) {
        guard let length = bytes.uint16BE(at: 0) else { throw .needMore(prefixLength) }
        let total = prefixLength &+ Int(length)
        guard bytes.count >= total else { throw .needMore(total) }
        var frame = DNS.parseMessage(bytes, base: prefixLength, end: total, direction: direction)
        if Int(length) < DNS.headerLength {
            frame.anomalies.insert(.shortMessage)
        } else {
            DNS.pair(&frame, time: time, state: &state)
        }
        return (frame, total)
    }

    public static func event(
        _ parsed: DNS.Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        DNS.message(parsed, bytes: bytes, context: context, proto: DNS.name, pairs: true)
    }

    public static func facts(
        _ parsed: DNS.Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        DNS.addressFacts(parsed, bytes: bytes, context: context, source: DNS.name)
    }
}
