import ConvergeModel

@testable import ConvergeProtocols

/// Test-only: MMS counted as Wireshark counts it. The dissector also decodes PDUs Wireshark
/// leaves alone (`MMS.Frame.inferred`: an association joined mid-stream, a bare `8b 00`); this
/// view leaves them uncounted so the golden comparison with tshark is exact.
enum MMSWiresharkView: Dissector {
    struct Parsed: ParsedMessage {
        var frame: MMS.Frame
        var functionCode: Int { frame.functionCode }
        var hasFunction: Bool { frame.hasFunction && !frame.inferred }
    }
    typealias State = MMS.State

    static var name: String { MMS.name }
    static var portHints: PortHints { MMS.portHints }
    static func makeState() -> State { MMS.makeState() }
    static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        MMS.probe(bytes, direction: direction)
    }
    static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        MMS.resynchronize(bytes, direction: direction)
    }
    static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Parsed, consumed: Int) {
        let (frame, consumed) = try MMS.parse(bytes, direction: direction, time: time, state: &state)
        return (Parsed(frame: frame), consumed)
    }
    static func event(_ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: inout State) -> Message {
        MMS.event(parsed.frame, bytes: bytes, context: context, state: &state)
    }
    static func facts(_ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact] {
        MMS.facts(parsed.frame, bytes: bytes, context: context, state: state)
    }
}
