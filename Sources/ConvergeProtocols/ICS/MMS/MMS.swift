import ConvergeModel
import ConvergeWire

/// MMS (ISO 9506, Manufacturing Message Specification) over ISO-on-TCP (TCP 102), as IEC 61850
/// and ICCP/TASE.2 use it.
///
/// A user PDU (TPKT/COTP, shared with S7comm, see `ISOOnTCP`) holds an ISO 8327 session SPDU
/// (connect, accept, data transfer, finish …) whose user data is an ISO 8823 presentation PDU;
/// its presentation data value is an ACSE APDU (AARQ/AARE carry the MMS initiate, RLRQ/RLRE
/// the release) or an MMS PDU. Some stacks send the MMS PDU bare in COTP data: that is read too.
/// Confirmed requests pair with their responses and errors by invoke id in the flow's `State`.
public enum MMS: Dissector {
    public typealias Parsed = Frame

    public static var name: String { "mms" }
    public static var portHints: PortHints { PortHints(tcp: [102]) }
    public static func makeState() -> State { State() }

    /// TPKT/COTP framing, then the first user PDU must start a session SPDU or an MMS PDU
    /// (S7comm starts 0x32, S7comm-plus 0x72: neither is either).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        ISOOnTCP.probe(bytes) { SPDU.isKnown($0) || isMMSPDUTag($0) }
    }

    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        ISOOnTCP.resynchronize(bytes)
    }

    /// The first byte of an MMS PDU: a context tag 0…13 (constructed, or primitive for cancel
    /// and conclude).
    static func isMMSPDUTag(_ byte: UInt8) -> Bool {
        switch byte {
        case 0xa0...0xad, 0x85, 0x86, 0x8b, 0x8c: true
        default: false
        }
    }

    /// Takes one user PDU. Broken TPKT/COTP framing is `.malformed`; a PDU whose session,
    /// presentation or MMS layers cannot be read is returned with anomalies.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        var frame = Frame()
        frame.direction = direction
        let (delivery, outcome) = try ISOOnTCP.takeUserPDU(bytes, state: &state) { pdu, state in
            parsePDU(pdu, frame: &frame, time: time, state: &state)
        }
        frame.pdu = delivery.pdu
        switch outcome {
        case .pdu: break
        case .reassemblyOverflow, .connectionFlood:
            frame.kind = .overflow
            frame.anomalies.insert(outcome == .reassemblyOverflow ? .reassemblyOverflow : .connectionFlood)
        }
        return (frame, delivery.consumed)
    }

    /// The PDU's bytes as `parse` found them: in `bytes` or in the reassembly buffer.
    public static func withPDU<R>(_ frame: Frame, bytes: Span<UInt8>, state: State, _ body: (Span<UInt8>) -> R) -> R {
        ISOOnTCP.withBytes(of: frame.pdu, in: bytes, buffer: state.cotp.bytes, body)
    }

    /// Session, presentation, ACSE, then the MMS PDU.
    static func parsePDU(_ pdu: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        guard let first = pdu.byte(at: 0) else { return }
        if isMMSPDUTag(first) {
            guard let element = element(at: 0, in: pdu, limit: pdu.count) else {
                frame.kind = .mms
                frame.anomalies.insert(.malformedPDU)
                return
            }
            frame.inferred = element.contentLength == 0
            parseMMS(pdu, element: element, frame: &frame, time: time, state: &state)
            return
        }
        guard SPDU.isKnown(first), let unit = session(pdu) else {
            frame.kind = .foreign
            frame.anomalies.insert(.notMMS)
            return
        }
        frame.kind = .session
        frame.spdu = unit.si
        if unit.lengthOverrun {
            // As Wireshark: an SPDU longer than its PDU is not read further.
            frame.anomalies.insert(.sessionLength)
            return
        }
        guard unit.hasUserData else { return }
        let connect = unit.si == SPDU.connect || unit.si == SPDU.accept
        guard unit.si == SPDU.dataTransfer || connect || unit.si == SPDU.finish || unit.si == SPDU.disconnect
        else { return }
        guard let value = presentation(pdu, from: unit.userStart, to: unit.userEnd, connect: connect, frame: &frame),
            let inner = element(at: value.start, in: pdu, limit: value.end)
        else {
            frame.anomalies.insert(.presentationMalformed)
            return
        }
        frame.contextID = value.contextID
        if frame.mmsContextID >= 0 { state.mmsContextID = frame.mmsContextID }
        if frame.acseContextID >= 0 { state.acseContextID = frame.acseContextID }
        // The element's tag tells ACSE from MMS, so a context id never seen is no obstacle.
        frame.inferred =
            !connect
            && (value.contextID < 0
                || (value.contextID != state.mmsContextID && value.contextID != state.acseContextID))
        if inner.tagClass == BERClass.application {
            parseACSE(pdu, element: inner, frame: &frame, time: time, state: &state)
        } else if inner.isContext {
            parseMMS(pdu, element: inner, frame: &frame, time: time, state: &state)
        } else {
            frame.anomalies.insert(.presentationMalformed)
        }
    }
}
