import ConvergeModel
import ConvergeWire

/// Kerberos v5 over TCP 88 (RFC 4120 §7.2.2): each message behind a 4-byte big-endian record
/// length whose top bit is reserved (RFC 5021 extensions, which no KDC sends unasked). The
/// message inside is read by `Kerberos`; its summary name is `kerberos_tcp` (one registry entry
/// per transport), its events say `kerberos`, and it counts `kerberos.msg_type` as `Kerberos` does.
public enum KerberosOverTCP: Dissector {
    public typealias Parsed = Kerberos.Message
    public typealias State = Kerberos.State

    /// The record marker.
    public static let prefixLength = 4
    /// The largest record taken (MIT and Windows KDCs answer well under this).
    public static let maxRecordLength = 1 << 20

    public static var name: String { "kerberos_tcp" }
    /// Its messages are Kerberos's (`kerberos`), whatever the transport.
    public static var eventProtocols: [String] { [name, Kerberos.name] }
    public static var portHints: PortHints { PortHints(tcp: [88]) }
    public static func makeState() -> State { State() }

    /// A record length in range, then a Kerberos message header.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= prefixLength else { return .needMore }
        let length = bytes.loadUInt32BE(at: 0)
        guard length != 0, length <= UInt32(maxRecordLength) else { return .reject }
        return Kerberos.probeMessage(bytes, at: prefixLength, end: prefixLength &+ Int(length))
    }

    /// Takes one record: `.needMore` until it is whole, `.malformed` for a length out of range or
    /// a record that does not start with a Kerberos application tag.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Kerberos.Message, consumed: Int) {
        guard bytes.count >= prefixLength else { throw .needMore(prefixLength) }
        let length = bytes.loadUInt32BE(at: 0)
        guard length != 0, length <= UInt32(maxRecordLength) else {
            throw .malformed("kerberos: record length \(length) out of range")
        }
        let total = prefixLength &+ Int(length)
        guard bytes.count >= total else { throw .needMore(total) }
        guard let first = bytes.byte(at: prefixLength), first & 0xE0 == 0x60 else {
            throw .malformed("kerberos: record does not hold an application tag")
        }
        var message = Kerberos.Message(direction: direction, length: total)
        Kerberos.walk(bytes, start: prefixLength, end: total, into: &message)
        state.pair(&message, time: time)
        return (message, total)
    }

    /// The next record marker followed by a Kerberos message header.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var index = 0
        while index &+ prefixLength &+ 2 <= bytes.count {
            if bytes[index] == 0, probe(bytes.extracting(index..<bytes.count), direction: direction) == .match {
                return index
            }
            index &+= 1
        }
        return nil
    }

    public static func event(
        _ parsed: Kerberos.Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        Kerberos.event(parsed, bytes: bytes, context: context, state: &state)
    }

    public static func facts(
        _ parsed: Kerberos.Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        Kerberos.facts(parsed, bytes: bytes, context: context, state: state)
    }
}
