import ConvergeModel
import ConvergeWire

/// GE Service Request Transport Protocol (SRTP, TCP 18245): GE Fanuc Series 90, PACSystems RX3i/RX7i
/// and FANUC robot (SNPX) controllers.
///
/// Every message is a 56-byte header, then `text length` (bytes 4–5, LE) bytes of data. Byte 0
/// is the packet type (0 init, 1 init ack, 2 request, 3 response, 5 error, 8 session control);
/// byte 30 the mailbox sequence number that pairs an answer with its request; byte 31 the
/// mailbox type (C0 short request, 80 request with text, D4 completion ACK, 94 ACK with text,
/// D1 error NACK). The service request code is byte 42 in a short request and byte 50 in a
/// request with text (echoed at 50 in an ACK with text); a short ACK or NACK names it only by
/// its sequence number. Layout from the DFRWS 2017 SRTP paper and the public SRTP clients;
/// tshark 4.0.17 has no SRTP dissector, so the tests assert hand-checked values.
public enum SRTP: Dissector {
    public typealias Parsed = Frame

    public static let headerLength = 56
    /// The text length field is 16 bits, so a message is at most 56 + 65535 bytes: within the
    /// engine's stream bound; no larger cap is needed, and none smaller is documented.
    public static let maxTextLength = 0xFFFF

    static let packetTypeOffset = 0
    static let sequenceOffset = 2
    static let textLengthOffset = 4
    static let mailboxSequenceOffset = 30
    static let mailboxTypeOffset = 31

    public static var name: String { "srtp" }
    public static var portHints: PortHints { PortHints(tcp: [18245]) }
    public static func makeState() -> State { State(capacity: pendingCapacity, lostAfter: requestTimeout) }

    /// Packet and mailbox types fit the direction; an init is 56 zero bytes.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let first = bytes.byte(at: 0) else { return .needMore }
        guard let type = PacketType(rawValue: first), type.isFromClient == (direction == .toServer) else {
            return .reject
        }
        guard bytes.count >= headerLength else { return .needMore }
        switch type {
        case .initialize:
            for index in 0..<headerLength where bytes[index] != 0 { return .reject }
            return .match
        case .initializeAck:
            return .match
        case .request, .sessionControl, .response, .error:
            guard let mailbox = MailboxType(rawValue: bytes[mailboxTypeOffset]) else { return .reject }
            return mailbox.isRequest == type.isFromClient ? .match : .reject
        }
    }

    /// Takes one message: the header and its text. An unknown packet type is malformed.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let first = bytes.byte(at: 0) else { throw .needMore(headerLength) }
        guard let type = PacketType(rawValue: first) else {
            throw .malformed("srtp: packet type \(first) unknown")
        }
        guard bytes.count >= headerLength else { throw .needMore(headerLength) }
        let textLength = Int(bytes[textLengthOffset]) | Int(bytes[textLengthOffset &+ 1]) << 8
        let total = headerLength &+ min(textLength, maxTextLength)
        guard bytes.count >= total else { throw .needMore(total) }
        var frame = Frame(type: type, direction: direction, length: total)
        frame.sequence = bytes[sequenceOffset]
        frame.mailboxSequence = bytes[mailboxSequenceOffset]
        frame.mailboxType = bytes[mailboxTypeOffset]
        if type.isFromClient != (direction == .toServer) { frame.anomalies.insert(.wrongDirection) }
        if type == .initialize || type == .initializeAck { return (frame, total) }
        guard let mailbox = MailboxType(rawValue: frame.mailboxType) else {
            frame.anomalies.insert(.unknownMailboxType)
            return (frame, total)
        }
        readMailbox(bytes, mailbox: mailbox, into: &frame)
        if mailbox.isRequest {
            if !Service.isKnown(frame.service) { frame.anomalies.insert(.unknownService) }
            let pending = Pending(
                sequence: frame.mailboxSequence, service: frame.service, selector: frame.selector,
                index: frame.index, count: frame.count, time: time)
            if state.pending.insert(pending) {
                state.pendingOverflows &+= 1
                frame.anomalies.insert(.pendingOverflow)
            }
        } else {
            pair(&frame, mailbox: mailbox, time: time, state: &state)
        }
        return (frame, total)
    }

    /// The mailbox fields bytes 42–55 carry for this mailbox type.
    static func readMailbox(_ bytes: Span<UInt8>, mailbox: MailboxType, into frame: inout Frame) {
        switch mailbox {
        case .shortRequest, .textRequest:
            let base = mailbox == .shortRequest ? 42 : 50
            frame.service = bytes[base]
            frame.selector = bytes[base &+ 1]
            frame.index = UInt16(bytes[base &+ 2]) | UInt16(bytes[base &+ 3]) << 8
            frame.count = UInt16(bytes[base &+ 4]) | UInt16(bytes[base &+ 5]) << 8
            frame.hasService = true
        case .textAck:
            frame.statusMajor = bytes[42]
            frame.statusMinor = bytes[43]
            frame.service = bytes[50]
            frame.selector = bytes[51]
            frame.hasService = true
        case .shortAck:
            frame.statusMajor = bytes[42]
            frame.statusMinor = bytes[43]
            frame.piggyback = Piggyback(
                controlProgram: bytes[50], privilegeLevel: bytes[51],
                lastSweep: UInt16(bytes[52]) | UInt16(bytes[53]) << 8,
                statusWord: UInt16(bytes[54]) | UInt16(bytes[55]) << 8)
        case .errorNack:
            frame.statusMajor = bytes[42]
            frame.statusMinor = bytes[43]
        }
    }

    /// An answer takes its request by mailbox sequence number; an ACK with text names its service
    /// itself and keeps that name.
    static func pair(_ frame: inout Frame, mailbox: MailboxType, time: Timestamp, state: inout State) {
        guard let request = state.pending.take(frame.mailboxSequence) else {
            if !frame.hasService { frame.anomalies.insert(.unsolicitedResponse) }
            return
        }
        frame.request = request
        if !frame.hasService {
            frame.service = request.service
            frame.selector = request.selector
            frame.hasService = true
        }
        frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
    }

    /// The next offset where a request or answer could start: its packet type, and the mailbox
    /// type that fits it 31 bytes on (init packets, mostly zeros, are too weak a mark mid-stream).
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var offset = 0
        while offset &+ headerLength <= bytes.count {
            if bytes[offset] > PacketType.initializeAck.rawValue,
                probe(bytes.extracting(offset..<bytes.count), direction: direction) == .match
            {
                return offset
            }
            offset &+= 1
        }
        return nil
    }
}
