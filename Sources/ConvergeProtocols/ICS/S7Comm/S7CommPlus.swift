import ConvergeModel
import ConvergeWire

/// S7comm-plus (protocol id 0x72), the protocol of S7-1200/1500 CPUs, over the same ISO-on-TCP
/// framing as S7comm (TCP 102). Recognised, not fully decoded: the header (version, data
/// length, trailer), the operation header (opcode, function, sequence number, session id) and
/// how the session is protected: V1 plain, V2 with a (legacy) integrity part inside the data,
/// V3 with a 32-byte digest in front, or TLS after an InitSsl exchange (newer firmware).
public enum S7CommPlus: Dissector {
    public typealias Parsed = Frame

    public static let protocolID: UInt8 = 0x72
    /// Header: protocol id, version, data length; the same four bytes (length 0) end a message.
    public static let headerLength = 4
    public static let trailerLength = 4
    /// V3: digest length byte and the digest before the operation header.
    public static let digestLength = 32

    public static var name: String { "s7comm-plus" }
    public static var portHints: PortHints { PortHints(tcp: [102]) }
    public static func makeState() -> State { State() }

    /// TPKT/COTP framing, then the first user PDU starts with 0x72, or with a TLS record header
    /// (a V17+ session already switched to TLS when the capture began).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        ISOOnTCP.probe(bytes) { $0 == protocolID || isTLSContentType($0) }
    }

    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        ISOOnTCP.resynchronize(bytes)
    }

    /// TLS record content types: change cipher spec, alert, handshake, application data.
    static func isTLSContentType(_ byte: UInt8) -> Bool { byte >= 0x14 && byte <= 0x17 }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        var frame = Frame(direction: direction)
        let (delivery, outcome) = try ISOOnTCP.takeUserPDU(bytes, state: &state) { pdu, state in
            parsePDU(pdu, frame: &frame, time: time, state: &state)
        }
        frame.pdu = delivery.pdu
        switch outcome {
        case .pdu:
            frame.security = state.security
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

    static func parsePDU(_ pdu: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        guard let first = pdu.byte(at: 0) else { return }
        guard first == protocolID else {
            if isTLSContentType(first), pdu.byte(at: 1) == 0x03 {
                frame.kind = .tls
                state.security = .tls
            } else {
                frame.kind = .foreign
                frame.anomalies.insert(.notS7commPlus)
            }
            return
        }
        guard let version = pdu.byte(at: 1), let length = pdu.uint16BE(at: 2) else {
            frame.anomalies.insert(.truncatedHeader)
            return
        }
        frame.version = version
        frame.dataLength = length
        let isContinuation = state.continues(frame.direction)
        let dataEnd = headerLength &+ Int(length)
        if dataEnd &+ trailerLength == pdu.count {
            frame.hasTrailer = pdu.byte(at: dataEnd) == protocolID && pdu.byte(at: dataEnd &+ 1) == version
            if !frame.hasTrailer { frame.anomalies.insert(.lengthMismatch) }
        } else if dataEnd != pdu.count {
            frame.anomalies.insert(.lengthMismatch)
        }
        switch version {
        case Version.keepAlive, Version.extendedKeepAlive:
            frame.kind = .keepAlive
            return
        case Version.v1, Version.v2, Version.v3:
            break
        default:
            frame.anomalies.insert(.unknownVersion)
            return
        }
        // Without a trailer the message goes on in the next PDU of this direction.
        state.setContinues(frame.direction, dataEnd == pdu.count)
        if isContinuation {
            frame.kind = .continuation
            return
        }
        var offset = headerLength
        if version == Version.v3 {
            guard let digest = pdu.byte(at: offset) else {
                frame.anomalies.insert(.truncatedHeader)
                return
            }
            frame.integrityDigestLength = digest
            if Int(digest) != digestLength { frame.anomalies.insert(.invalidIntegrityPart) }
            offset &+= 1 &+ Int(digest)
        }
        parseOperation(pdu.extracting(min(offset, pdu.count)..<min(max(offset, dataEnd), pdu.count)),
            frame: &frame, time: time, state: &state)
        if version >= Version.v2, state.security == .none || state.security == .legacyIntegrity {
            state.security = version == Version.v3 ? .integrity : .legacyIntegrity
        }
    }

    /// Opcode, reserved, function, reserved, sequence number; requests add the session id, then
    /// both a transport flags byte. Notifications carry a subscription instead of a function.
    static func parseOperation(_ body: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        guard let opcode = body.byte(at: 0) else {
            frame.anomalies.insert(.truncatedHeader)
            return
        }
        frame.opcode = opcode
        guard opcode == Opcode.request || opcode == Opcode.response || opcode == Opcode.response2 else {
            if opcode != Opcode.notification { frame.anomalies.insert(.unknownOpcode) }
            return
        }
        guard let function = body.uint16BE(at: 3), let sequence = body.uint16BE(at: 7) else {
            frame.anomalies.insert(.truncatedHeader)
            return
        }
        frame.function = function
        frame.hasFunction = true
        frame.sequence = sequence
        if functionName(function) == nil { frame.anomalies.insert(.unknownFunction) }
        if opcode == Opcode.request {
            frame.sessionID = ISOOnTCP.uint32BE(body, at: 9) ?? 0
            if frame.sessionID != 0 { state.sessionID = frame.sessionID }
            if state.pending.insert(.init(sequence: sequence, function: function, time: time)) {
                frame.anomalies.insert(.pendingOverflow)
            }
        } else {
            frame.sessionID = state.sessionID
            if let request = state.pending.take(sequence) {
                frame.requestFunction = request.function
                frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
                if request.function != function { frame.anomalies.insert(.responseMismatch) }
            } else {
                frame.anomalies.insert(.unsolicitedResponse)
            }
        }
        if function == Function.initSSL, opcode != Opcode.request, state.security != .tls {
            // The next PDUs of this session are TLS records.
            state.security = .tls
        }
    }
}
