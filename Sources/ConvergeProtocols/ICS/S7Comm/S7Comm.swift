import ConvergeModel
import ConvergeWire

/// S7comm (Siemens S7 communication, protocol id 0x32) over ISO-on-TCP (TPKT/COTP, TCP 102).
///
/// `parse` takes the next user PDU from the front of an in-order byte stream (walking past COTP
/// connection TPDUs and gathering DT fragments, see `ISOOnTCP`) and reads its header (ROSCTR, PDU
/// reference, parameter and data lengths, cross-checked), then its parameter: job and ack-data
/// functions (setup communication, read/write variable with item addresses and data, block
/// upload/download, PI services such as PLC start, stop, insert and delete block) or userdata
/// (programmer commands, cyclic data, block functions, CPU functions including SZL reads, security,
/// time). Requests and responses pair by PDU reference in the flow's `State`.
public enum S7Comm: Dissector {
    public typealias Parsed = Frame

    public static let protocolID: UInt8 = 0x32
    /// Job and userdata header; ack and ack-data add error class and code.
    public static let headerLength = 10
    public static let ackHeaderLength = 12
    /// Read/write items looked at per PDU (the item count is a byte; real PDUs carry about 20).
    public static let maxItems = 64

    public static var name: String { "s7comm" }
    public static var portHints: PortHints { PortHints(tcp: [102]) }
    public static func makeState() -> State { State() }

    /// TPKT/COTP framing, then the first user PDU's protocol id must be 0x32 (S7comm-plus uses
    /// 0x72 on the same port, MMS starts with an ISO session byte).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        ISOOnTCP.probe(bytes) { $0 == protocolID }
    }

    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        ISOOnTCP.resynchronize(bytes)
    }

    /// Takes one user PDU. Broken TPKT/COTP framing is `.malformed`; a PDU that is not S7comm or
    /// whose header and parameters disagree is returned with anomalies. Allocates nothing once
    /// the flow's tables exist (reserved on first use).
    @inlinable
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        // Filled in place by `takeMessage` (`ModbusTCP.parse` says why).
        var frame = Frame(direction: direction)
        let consumed = try takeMessage(bytes, direction: direction, time: time, state: &state, into: &frame)
        return (frame, consumed)
    }

    /// `parse`'s work: fills `frame` and returns the bytes used.
    @usableFromInline
    static func takeMessage(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State, into frame: inout Frame
    ) throws(DissectError) -> Int {
        let (delivery, outcome) = try ISOOnTCP.takeUserPDU(bytes, state: &state) { pdu, state in
            parsePDU(pdu, frame: &frame, time: time, state: &state)
        }
        frame.pdu = delivery.pdu
        if delivery.calledTSAP != 0 { state.calledTSAP = delivery.calledTSAP }
        frame.calledTSAP = state.calledTSAP
        switch outcome {
        case .pdu: break
        case .reassemblyOverflow, .connectionFlood:
            frame.kind = .overflow
            frame.anomalies.insert(outcome == .reassemblyOverflow ? .reassemblyOverflow : .connectionFlood)
        }
        return delivery.consumed
    }

    /// The PDU's bytes as `parse` found them: in `bytes` or in the reassembly buffer.
    public static func withPDU<R>(_ frame: Frame, bytes: Span<UInt8>, state: State, _ body: (Span<UInt8>) -> R) -> R {
        ISOOnTCP.withBytes(of: frame.pdu, in: bytes, buffer: state.cotp.bytes, body)
    }

    /// Header, length cross-check, then the parameter by ROSCTR.
    static func parsePDU(_ pdu: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        frame.protocolID = pdu.byte(at: 0) ?? 0
        guard frame.protocolID == protocolID else {
            frame.kind = .foreign
            frame.anomalies.insert(.notS7comm)
            return
        }
        frame.rosctr = pdu.byte(at: 1) ?? 0
        let isAck = frame.rosctr == ROSCTR.ack || frame.rosctr == ROSCTR.ackData
        let header = isAck ? ackHeaderLength : headerLength
        guard pdu.count >= header, let reference = pdu.uint16BE(at: 4), let parameterLength = pdu.uint16BE(at: 6),
            let dataLength = pdu.uint16BE(at: 8)
        else {
            frame.anomalies.insert(.truncatedHeader)
            return
        }
        frame.pduReference = reference
        frame.parameterLength = parameterLength
        frame.dataLength = dataLength
        if isAck {
            frame.errorClass = pdu.byte(at: 10) ?? 0
            frame.errorCode = pdu.byte(at: 11) ?? 0
        }
        if header &+ Int(parameterLength) &+ Int(dataLength) != pdu.count { frame.anomalies.insert(.lengthMismatch) }
        let parameterEnd = min(header &+ Int(parameterLength), pdu.count)
        let dataEnd = min(parameterEnd &+ Int(dataLength), pdu.count)
        let parameter = pdu.extracting(header..<parameterEnd)
        let data = pdu.extracting(parameterEnd..<dataEnd)
        switch frame.rosctr {
        case ROSCTR.job: parseJob(parameter, data: data, frame: &frame, time: time, state: &state)
        case ROSCTR.ack, ROSCTR.ackData: parseAck(parameter, data: data, frame: &frame, time: time, state: &state)
        case ROSCTR.userdata: parseUserdata(parameter, data: data, frame: &frame, time: time, state: &state)
        default: frame.anomalies.insert(.unknownROSCTR)
        }
    }
}
