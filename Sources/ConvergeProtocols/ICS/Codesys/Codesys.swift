import ConvergeModel
import ConvergeWire

/// CODESYS V3 runtime and gateway traffic: presence, counts and, where visible, the service.
///
/// Over TCP (11740–11743) each PDU is framed by the block driver: magic `00 01 17 E8`
/// (0xE8170100 LE) and the PDU length (u32 LE, these 8 bytes included). Port 1217 (the gateway)
/// is a hint only: the gateway's own framing is not described publicly, so a 1217 flow is taken
/// only when it carries this block-driver framing. Over UDP (1740–1743) each datagram is one PDU without that header.
/// The PDU is a datagram-layer packet: magic 0xC5, header length (words, low 3 bits) and hop
/// count, priority/flags, service id (1/2 address notification, 3/4 name service, 64 channel
/// manager), message id, receiver/sender address lengths (words, a nibble each), the addresses
/// and padding to 4 bytes. Channel-manager packets carry a channel-layer type (application block,
/// ack, keep-alive, open/close channel); the first block of an application message carries the
/// service layer: protocol id 0xCD55 (0x7557 when encrypted), header size, service group (high
/// bit: response), service id, session id and content size. Layout from the public CODESYS V3
/// protocol notes (ICS forensics tools, Nmap scripts); tshark 4.0.17 has no CODESYS dissector.
public enum Codesys: Dissector {
    public typealias Parsed = Frame

    public static let blockDriverMagic: [UInt8] = [0x00, 0x01, 0x17, 0xE8]
    public static let blockDriverHeaderLength = 8
    public static let datagramMagic: UInt8 = 0xC5
    public static let datagramHeaderMinimum = 6
    /// The largest block-driver PDU taken: the runtime's PDUs are at most 512 bytes by default
    /// and a few KiB when configured; beyond 64 KiB the bytes are not CODESYS.
    public static let maxPDULength = 65_536

    public static var name: String { "codesys" }
    public static var portHints: PortHints { PortHints(tcp: [1217, 11740, 11741, 11742, 11743]) }
    public static func makeState() -> State { State() }

    /// The block driver magic and a plausible length.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        for index in 0..<blockDriverMagic.count {
            guard let byte = bytes.byte(at: index) else { return .needMore }
            guard byte == blockDriverMagic[index] else { return .reject }
        }
        guard bytes.count >= blockDriverHeaderLength else { return .needMore }
        let length = Int(bytes.loadUInt32LE(at: 4))
        guard length >= blockDriverHeaderLength &+ datagramHeaderMinimum, length <= maxPDULength else {
            return .reject
        }
        guard let magic = bytes.byte(at: blockDriverHeaderLength) else { return .needMore }
        return magic == datagramMagic ? .match : .reject
    }

    /// Takes one block-driver PDU.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= blockDriverHeaderLength else { throw .needMore(blockDriverHeaderLength) }
        for index in 0..<blockDriverMagic.count where bytes[index] != blockDriverMagic[index] {
            throw .malformed("codesys: block driver magic missing")
        }
        let length = Int(bytes.loadUInt32LE(at: 4))
        guard length >= blockDriverHeaderLength &+ datagramHeaderMinimum, length <= maxPDULength else {
            throw .malformed("codesys: PDU length \(length) outside bounds")
        }
        guard bytes.count >= length else { throw .needMore(length) }
        let pdu = bytes.extracting(blockDriverHeaderLength..<length)
        var frame = Frame(transport: .blockDriverTCP, direction: direction, length: length)
        try readDatagram(pdu, base: blockDriverHeaderLength, into: &frame)
        note(frame, state: &state)
        return (frame, length)
    }

    /// The datagram layer and, for the channel manager, the channel and service layers.
    /// `base` is where `pdu` starts in the message (for offsets kept in the frame).
    static func readDatagram(_ pdu: Span<UInt8>, base: Int, into frame: inout Frame) throws(DissectError) {
        guard pdu.count >= datagramHeaderMinimum else { throw .needMore(base &+ datagramHeaderMinimum) }
        guard pdu[0] == datagramMagic else { throw .malformed("codesys: datagram magic \(pdu[0]) is not 0xC5") }
        let headerWords = Int(pdu[1] & 0x07)
        frame.hopCount = pdu[1] >> 3
        frame.datagramService = pdu[3]
        frame.messageID = pdu[4]
        let receiverWords = Int(pdu[5] & 0x0F)
        let senderWords = Int(pdu[5] >> 4)
        let addressStart = headerWords &* 2
        let addressEnd = addressStart &+ (receiverWords &+ senderWords) &* 2
        // Addresses end on a 4-byte boundary of the message (padding follows them).
        var bodyStart = addressEnd
        let misalignment = (base &+ addressEnd) % 4
        if misalignment != 0 { bodyStart &+= 4 &- misalignment }
        guard headerWords >= 3, bodyStart <= pdu.count else {
            frame.anomalies.insert(.badAddressLength)
            return
        }
        frame.bodyOffset = base &+ bodyStart
        let body = pdu.extracting(bodyStart..<pdu.count)
        switch frame.datagramService {
        case DatagramService.channelManager:
            readChannel(body, into: &frame)
        case DatagramService.nameServiceServer, DatagramService.nameServiceClient:
            if let low = body.byte(at: 0), let high = body.byte(at: 1) {
                frame.nameServiceCommand = UInt16(low) | UInt16(high) << 8
            }
        default:
            break
        }
    }

    /// Channel layer: its type and, in the first block of an application message, the service layer.
    static func readChannel(_ body: Span<UInt8>, into frame: inout Frame) {
        guard let type = body.byte(at: 0), let flags = body.byte(at: 1) else { return }
        frame.channelType = type
        frame.hasChannelType = true
        guard type == ChannelType.applicationBlock else { return }
        if let low = body.byte(at: 2), let high = body.byte(at: 3) { frame.channelID = UInt16(low) | UInt16(high) << 8 }
        // The low 7 bits flag the first block of a message, which carries the service layer at 20.
        guard flags & 0x7F != 0 else { return }
        let service = 20
        guard service &+ 16 <= body.count else { return }
        frame.protocolID = UInt16(body[service]) | UInt16(body[service &+ 1]) << 8
        guard frame.protocolID == ProtocolID.plain else {
            if frame.protocolID == ProtocolID.secure { frame.encrypted = true }
            return
        }
        let group = UInt16(body[service &+ 4]) | UInt16(body[service &+ 5]) << 8
        frame.serviceGroup = group & 0x7F
        frame.isResponse = group & 0x80 != 0
        frame.serviceID = UInt16(body[service &+ 6]) | UInt16(body[service &+ 7]) << 8
        frame.sessionID = body.loadUInt32LE(at: service &+ 8)
        frame.hasService = true
    }

    /// Sessions and channels the flow has seen.
    static func note(_ frame: Frame, state: inout State) {
        state.messages &+= 1
        if frame.hasService, frame.sessionID != 0, frame.sessionID != state.lastSessionID {
            state.lastSessionID = frame.sessionID
            state.sessions &+= 1
        }
        if frame.hasChannelType, frame.channelType == ChannelType.openChannelResponse { state.channelsOpened &+= 1 }
    }

    /// The next block-driver magic.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var offset = 0
        while offset &+ blockDriverMagic.count <= bytes.count {
            if bytes[offset] == 0x00, bytes[offset &+ 1] == 0x01, bytes[offset &+ 2] == 0x17,
                bytes[offset &+ 3] == 0xE8
            {
                return offset
            }
            offset &+= 1
        }
        return nil
    }
}

/// CODESYS V3 over UDP (block driver UDP, 1740–1743): one datagram-layer PDU per datagram.
public enum CodesysUDP: Dissector {
    public typealias Parsed = Codesys.Frame
    public typealias State = Codesys.State

    public static var name: String { "codesys_udp" }
    public static var portHints: PortHints { PortHints(udp: [1740, 1741, 1742, 1743]) }
    public static func makeState() -> State { State() }

    /// The datagram magic and a header length the addresses fit in.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= Codesys.datagramHeaderMinimum else { return .needMore }
        guard bytes[0] == Codesys.datagramMagic, bytes[1] & 0x07 >= 3 else { return .reject }
        let addressEnd = Int(bytes[1] & 0x07) &* 2 &+ (Int(bytes[5] & 0x0F) &+ Int(bytes[5] >> 4)) &* 2
        return addressEnd <= bytes.count ? .match : .reject
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Parsed, consumed: Int) {
        guard bytes.count <= Codesys.maxPDULength else { throw .malformed("codesys_udp: datagram too large") }
        var frame = Codesys.Frame(transport: .blockDriverUDP, direction: direction, length: bytes.count)
        try Codesys.readDatagram(bytes, base: 0, into: &frame)
        Codesys.note(frame, state: &state)
        return (frame, bytes.count)
    }

    public static func functionKey(_ code: Int) -> String { Codesys.functionKey(code) }

    public static func facts(
        _ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        Codesys.facts(parsed, bytes: bytes, context: context, state: state)
    }

    public static func event(
        _ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var message = Codesys.event(parsed, bytes: bytes, context: context, state: &state)
        message.proto = name
        return message
    }
}
