import ConvergeModel
import ConvergeWire

/// FINS/TCP (Omron W421, "FINS/TCP method"): every message starts with a 16-byte header, the
/// magic `FINS`, a length (the bytes after the length field), a command and an error code, all
/// 32-bit big-endian. Command 2 (frame send) carries one FINS frame, parsed as over UDP; the node
/// address exchange (commands 0 and 1) that opens a connection carries node numbers only.
public enum FINSTCP: Dissector {
    public typealias Parsed = FINS.Frame
    public typealias State = FINS.State

    /// `FINS` in ASCII.
    public static let magic: UInt32 = 0x4649_4E53
    /// Magic, length, command, error code.
    public static let headerLength = 16
    /// The length field counts command and error code at least.
    public static let minLengthField = 8
    /// The largest length field taken: command, error code and the largest FINS frame taken.
    public static let maxLengthField = 8 &+ FINS.maxFrameLength

    /// Header commands.
    public enum Command {
        public static let nodeAddressClient: UInt32 = 0
        public static let nodeAddressServer: UInt32 = 1
        public static let frameSend: UInt32 = 2
        public static let frameSendError: UInt32 = 3
        public static let connectionConfirmation: UInt32 = 6

        public static func name(_ command: UInt32) -> String? {
            switch command {
            case nodeAddressClient: "node_address_data_send_client"
            case nodeAddressServer: "node_address_data_send_server"
            case frameSend: "frame_send"
            case frameSendError: "frame_send_error_notification"
            case connectionConfirmation: "connection_confirmation"
            default: nil
            }
        }
    }

    public static var name: String { "fins_tcp" }
    public static var portHints: PortHints { PortHints(tcp: [9600]) }
    public static func makeState() -> State { FINS.makeState() }

    /// The flow is FINS/TCP when it opens with the magic.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        if !magicMatches(bytes, at: 0) { return .reject }
        return bytes.count < headerLength ? .needMore : .match
    }

    /// Whether the bytes at `offset` agree with the magic as far as they go.
    static func magicMatches(_ bytes: Span<UInt8>, at offset: Int) -> Bool {
        for index in 0..<4 {
            guard let byte = bytes.byte(at: offset &+ index) else { return true }
            if byte != UInt8(truncatingIfNeeded: magic >> UInt32(24 &- index &* 8)) { return false }
        }
        return true
    }

    /// Takes one FINS/TCP message. A wrong magic or a length field outside 8…`maxLengthField` is
    /// malformed; a frame send too short for a FINS command is a message flagged `invalid_length`.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: FINS.Frame, consumed: Int) {
        guard magicMatches(bytes, at: 0) else { throw .malformed("fins_tcp: no FINS magic") }
        guard bytes.count >= headerLength else { throw .needMore(headerLength) }
        let length = bytes.loadUInt32BE(at: 4)
        guard length >= minLengthField, length <= maxLengthField else {
            throw .malformed("fins_tcp: length field \(length) outside \(minLengthField)...\(maxLengthField)")
        }
        let total = 8 &+ Int(length)
        guard bytes.count >= total else { throw .needMore(total) }
        let command = bytes.loadUInt32BE(at: 8)
        let errorCode = bytes.loadUInt32BE(at: 12)
        let frameLength = total &- headerLength
        var frame: FINS.Frame
        if command == Command.frameSend, frameLength >= FINS.minFrameLength {
            frame = FINS.parseFrame(
                bytes, at: headerLength, length: frameLength, direction: direction, time: time, state: &state)
        } else {
            frame = FINS.Frame(direction: direction)
            frame.frameOffset = headerLength
            frame.frameLength = frameLength
            if command == Command.frameSend { frame.anomalies.insert(.invalidLength) }
        }
        frame.isTCP = true
        frame.tcpCommand = command
        frame.tcpErrorCode = errorCode
        if Command.name(command) == nil { frame.anomalies.insert(.unknownTCPCommand) }
        return (frame, total)
    }

    /// The next `FINS` magic after a gap.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var offset = 0
        while offset < bytes.count {
            if bytes[offset] == 0x46, magicMatches(bytes, at: offset) { return offset }
            offset &+= 1
        }
        return nil
    }

    public static func event(
        _ parsed: FINS.Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        if parsed.hasCommand { return FINS.frameEvent(parsed, bytes: bytes, context: context, proto: name) }
        let status: Message.Status =
            parsed.tcpErrorCode == 0
            ? .ok : .exception(code: Int(parsed.tcpErrorCode), name: errorName(parsed.tcpErrorCode))
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: Int(parsed.tcpCommand),
            functionName: Command.name(parsed.tcpCommand) ?? "unknown_tcp_command", operation: .session,
            targets: [], status: status, anomalies: parsed.anomalies.names)
    }

    public static func facts(
        _ parsed: FINS.Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        FINS.frameFacts(parsed, bytes: bytes, context: context)
    }

    /// FINS/TCP header error codes (W421).
    static func errorName(_ code: UInt32) -> String {
        switch code {
        case 0x01: "header_not_fins"
        case 0x02: "data_length_too_long"
        case 0x03: "command_not_supported"
        case 0x20: "all_connections_in_use"
        case 0x21: "node_already_connected"
        case 0x22: "protected_node_access"
        case 0x23: "client_node_address_out_of_range"
        case 0x24: "node_address_in_use"
        case 0x25: "no_node_address_available"
        default: "unknown"
        }
    }
}
