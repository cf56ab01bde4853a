import ConvergeModel
import ConvergeWire

/// LDAP v3 (RFC 4511) over TCP 389 and the global catalog's 3268; `CLDAP` reads the same
/// messages from UDP 389 datagrams.
///
/// Each LDAPMessage is one BER SEQUENCE; `parse` takes one from the front of the stream and reads
/// its messageID, protocolOp and the few fields that say who and what (bind name and kind,
/// search base, scope and filter, entry DNs, result codes, the extended operation's OID). A simple
/// bind's password is never kept, only flagged when non-empty. After a successful StartTLS the
/// rest of the flow is TLS and is stepped over unread (`isMessage` false); after a SASL bind,
/// length-prefixed security-layer buffers are stepped over too. LDAPS (636) is TLS, not this.
///
/// Counted function (`Message.functionCode`): Wireshark's `ldap.protocolOp`, the application tag
/// number (0 bindRequest … 25 intermediateResponse; `Op` lists them).
public enum LDAP: Dissector {
    public typealias Parsed = Message

    /// The largest message accepted; a longer one is framing gone wrong.
    public static let maxMessageLength = 1 << 24
    /// A message longer than this is not buffered whole: its head is read and the rest stepped over.
    public static let maxBufferedMessage = 1 << 16
    /// Bytes of an oversized message read before stepping over the rest.
    public static let oversizedHeadLength = 4096
    /// A SASL security-layer buffer's length prefix (RFC 4422 §3.7) and largest accepted buffer.
    public static let saslPrefixLength = 4
    public static let maxSASLBuffer = 1 << 24
    /// Longest DN, OID, mechanism or attribute text kept in an event or fact, in bytes.
    public static let maxTextLength = 512

    public static var name: String { "ldap" }
    public static var portHints: PortHints { PortHints(tcp: [389, 3268]) }
    public static func makeState() -> State { State() }

    /// A SEQUENCE holding an INTEGER message id and then an LDAP operation's application tag.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        probeMessage(bytes, end: maxMessageLength)
    }

    static func probeMessage(_ bytes: Span<UInt8>, end: Int) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        guard first == BERWalk.sequence else { return .reject }
        let outer: Element
        switch SNMP.BER.read(bytes, at: 0, end: end) {
        case .element(let element): outer = element
        case .truncated: return .needMore
        case .invalid: return .reject
        }
        let id: Element
        switch SNMP.BER.read(bytes, at: outer.valueStart, end: outer.valueEnd) {
        case .element(let element): id = element
        case .truncated: return .needMore
        case .invalid: return .reject
        }
        guard id.identifier == BERWalk.integer, id.valueLength >= 1, id.valueLength <= 4 else { return .reject }
        guard let tag = bytes.byte(at: id.valueEnd) else { return .needMore }
        var opTag = tag
        if tag == BERWalk.octetString {
            // RFC 1798 CLDAP: a user DN before the operation.
            guard case .element(let user) = SNMP.BER.read(bytes, at: id.valueEnd, end: outer.valueEnd) else {
                return bytes.count < outer.valueEnd ? .needMore : .reject
            }
            guard let next = bytes.byte(at: user.valueEnd) else { return .needMore }
            opTag = next
        }
        guard opTag & BERWalk.classMask == BERWalk.applicationClass, Op.isKnown(UInt32(opTag & 0x1F)) else {
            return .reject
        }
        return .match
    }

    /// Takes one LDAPMessage (or a run of bytes to step over) from the front of the stream.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(1) }
        let lane = State.lane(direction)
        if state.skipRemaining[lane] > 0 || state.tls {
            let take = state.tls ? bytes.count : min(state.skipRemaining[lane], bytes.count)
            if !state.tls { state.skipRemaining[lane] &-= take }
            return (stepped(direction, take), take)
        }
        if first != BERWalk.sequence {
            guard state.saslBound else { throw .malformed("ldap: message is not a SEQUENCE") }
            return try steppedSASLBuffer(bytes, direction: direction, state: &state)
        }
        let outer: Element
        switch SNMP.BER.read(bytes, at: 0, end: maxMessageLength) {
        case .element(let element): outer = element
        case .truncated: throw .needMore(bytes.count &+ 1)
        case .invalid: throw .malformed("ldap: bad message length")
        }
        let total = outer.valueEnd
        var message = Message(direction: direction, length: total)
        if total > bytes.count {
            guard total > maxBufferedMessage else { throw .needMore(total) }
            guard bytes.count >= oversizedHeadLength else { throw .needMore(oversizedHeadLength) }
            message.anomalies.insert(.oversized)
            walk(bytes, outer, into: &message, report: false)
            state.skipRemaining[lane] = total &- bytes.count
            state.pair(&message, time: time)
            return (message, bytes.count)
        }
        walk(bytes, outer, into: &message)
        state.pair(&message, time: time)
        return (message, total)
    }

    static func stepped(_ direction: Direction, _ length: Int) -> Message {
        var message = Message(direction: direction, length: length)
        message.kind = .steppedOver
        return message
    }

    /// A SASL security-layer buffer: a 4-byte length and wrapped (signed or sealed) LDAP.
    static func steppedSASLBuffer(
        _ bytes: Span<UInt8>, direction: Direction, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard bytes.count >= saslPrefixLength else { throw .needMore(saslPrefixLength) }
        let length = bytes.loadUInt32BE(at: 0)
        guard length > 0, length <= UInt32(maxSASLBuffer) else {
            throw .malformed("ldap: SASL buffer length \(length) out of range")
        }
        let total = saslPrefixLength &+ Int(length)
        let take = min(total, bytes.count)
        state.skipRemaining[State.lane(direction)] = total &- take
        return (stepped(direction, take), take)
    }

    /// The next offset where an LDAPMessage header starts.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var index = 0
        while index &+ 5 <= bytes.count {
            if bytes[index] == BERWalk.sequence,
                probeMessage(bytes.extracting(index..<bytes.count), end: maxMessageLength) == .match
            {
                return index
            }
            index &+= 1
        }
        return nil
    }
}
