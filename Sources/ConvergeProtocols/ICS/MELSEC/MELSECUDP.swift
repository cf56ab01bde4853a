import ConvergeModel

/// MC protocol 3E/4E binary frames over UDP: one frame per datagram, parsed as over TCP
/// (`MELSEC`); a separate dissector only so that the registry can take datagrams, not a stream.
public enum MELSECUDP: Dissector {
    public typealias Parsed = MELSEC.Frame
    public typealias State = MELSEC.State

    public static var name: String { "melsec_udp" }
    /// 5006/5007 as over TCP; 5560 is where the ITI captures' CPUs answer (MELSOFT, turned down).
    public static var portHints: PortHints { PortHints(udp: [5006, 5007, 5560]) }
    public static func makeState() -> State { MELSEC.makeState() }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        MELSEC.probe(bytes, direction: direction)
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Parsed, consumed: Int) {
        try MELSEC.parse(bytes, direction: direction, time: time, state: &state)
    }

    public static func event(
        _ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var message = MELSEC.event(parsed, bytes: bytes, context: context, state: &state)
        message.proto = name
        return message
    }

    public static func facts(
        _ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        MELSEC.facts(parsed, bytes: bytes, context: context, state: state)
    }
}
