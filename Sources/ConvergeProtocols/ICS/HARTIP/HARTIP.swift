import ConvergeModel
import ConvergeWire

/// HART-IP (HCF_SPEC-85) over UDP/TCP 5094: an 8-byte header (version, message type, message id,
/// status, sequence number, byte count, big-endian) and a body; pass-through messages carry a
/// HART token-passing PDU (delimiter, address, command, byte count, [response code, device
/// status], data, checksum) without preambles.
public enum HARTIP: Dissector {
    public struct Frame: ParsedMessage, Sendable {
        public var version: UInt8 = 0
        /// 0 request, 1 response, 2 publish, 3 error, 15 NAK.
        public var messageType: UInt8 = 0
        /// 0 session initiate, 1 session close, 2 keep alive, 3 pass-through.
        public var messageID: UInt8 = 0
        public var status: UInt8 = 0
        public var sequence: UInt16 = 0
        public var byteCount = 0
        /// HART command of a pass-through PDU (-1 when none).
        public var command = -1
        /// Offset of the HART PDU's data (after response code and device status on responses).
        public var pduDataOffset = 0
        public var pduDataLength = 0
        public var responseCode: UInt8 = 0
        public var truncatedPDU = false

        public var functionCode: Int { Int(messageID) }
        public var hasFunction: Bool { true }
        public var isRequest: Bool { messageType == 0 }
    }

    public typealias Parsed = Frame
    public typealias State = Void

    public static let headerLength = 8
    /// The largest byte count accepted (the spec's messages are small; longer is not HART-IP).
    public static let maxMessageLength = 8192

    public static var name: String { "hart_ip" }
    public static var portHints: PortHints { PortHints(tcp: [5094], udp: [5094]) }
    public static func makeState() -> State { () }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let version = bytes.byte(at: 0), let type = bytes.byte(at: 1), let id = bytes.byte(at: 2),
            let count = bytes.uint16BE(at: 6)
        else { return .needMore }
        guard version >= 1, version <= 2, type <= 3 || type == 15, id <= 3 || id == 128,
            Int(count) >= headerLength, Int(count) <= maxMessageLength
        else { return .reject }
        return .match
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let count = bytes.uint16BE(at: 6), let version = bytes.byte(at: 0), let type = bytes.byte(at: 1),
            let id = bytes.byte(at: 2), let status = bytes.byte(at: 3), let sequence = bytes.uint16BE(at: 4)
        else { throw .needMore(headerLength) }
        let total = Int(count)
        guard total >= headerLength, total <= maxMessageLength else {
            throw .malformed("hart_ip: byte count \(total) outside \(headerLength)...\(maxMessageLength)")
        }
        guard bytes.count >= total else { throw .needMore(total) }
        var frame = Frame(
            version: version, messageType: type, messageID: id, status: status, sequence: sequence, byteCount: total)
        if id == 3 { parsePassThrough(bytes.extracting(0..<total), frame: &frame) }
        return (frame, total)
    }

    /// The HART PDU of a pass-through message: its command and where its data lies.
    static func parsePassThrough(_ message: Span<UInt8>, frame: inout Frame) {
        guard let delimiter = message.byte(at: headerLength) else { frame.truncatedPDU = true; return }
        let addressLength = delimiter & 0x80 != 0 ? 5 : 1
        let commandAt = headerLength &+ 1 &+ addressLength
        guard let command = message.byte(at: commandAt), let length = message.byte(at: commandAt &+ 1) else {
            frame.truncatedPDU = true
            return
        }
        frame.command = Int(command)
        var dataAt = commandAt &+ 2
        var dataLength = Int(length)
        if !frame.isRequest {
            frame.responseCode = message.byte(at: dataAt) ?? 0
            dataAt &+= 2
            dataLength &-= 2
        }
        if dataLength < 0 || dataAt &+ dataLength > message.count { frame.truncatedPDU = true }
        frame.pduDataOffset = dataAt
        frame.pduDataLength = max(0, min(dataLength, message.count &- dataAt))
    }

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let functionName: String =
            switch parsed.messageID {
            case 0: "session_initiate"
            case 1: "session_close"
            case 2: "keep_alive"
            case 3: "pass_through"
            case 128: "discovery"
            default: "unknown"
            }
        let operation: Operation = parsed.messageID == 3 ? .read : parsed.messageID == 128 ? .discovery : .session
        var targets: [Message.Target] = []
        if parsed.command >= 0 { targets.append(Message.Target(kind: "hart_command", address: parsed.command)) }
        let status: Message.Status =
            parsed.isRequest ? .pending
            : parsed.status == 0 && parsed.responseCode == 0 ? .ok
            : .exception(code: Int(parsed.status != 0 ? parsed.status : parsed.responseCode), name: "error")
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: functionName, operation: operation, targets: targets, status: status,
            anomalies: parsed.truncatedPDU ? ["hart_ip.invalid_length"] : [])
    }

    /// Command 0 (read unique identifier) response: expanded device type, device id, manufacturer.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.command == 0, !parsed.isRequest, parsed.responseCode == 0, parsed.pduDataLength >= 12 else {
            return []
        }
        let d = parsed.pduDataOffset
        guard let deviceType = bytes.uint16BE(at: d &+ 1), let id0 = bytes.byte(at: d &+ 9),
            let id1 = bytes.byte(at: d &+ 10), let id2 = bytes.byte(at: d &+ 11)
        else { return [] }
        let sender = context.direction == .toClient ? context.server : context.client
        let manufacturer = parsed.pduDataLength >= 19 ? Int(bytes.uint16BE(at: d &+ 17) ?? 0) : Int(deviceType >> 8)
        let deviceID = Int(id0) << 16 | Int(id1) << 8 | Int(id2)
        return [
            AssetFact(time: context.time, address: sender.address, kind: .vendor, value: "hart:\(manufacturer)", source: name),
            AssetFact(time: context.time, address: sender.address, kind: .productCode, value: "\(deviceType)", source: name),
            AssetFact(time: context.time, address: sender.address, kind: .serial, value: "\(deviceID)", source: name),
        ]
    }
}
