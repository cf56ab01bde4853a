import ConvergeModel
import ConvergeWire

/// HART-IP (HCF_SPEC-85) over UDP/TCP 5094: an 8-byte header (version, message type, message id,
/// status, sequence number, byte count, big-endian) and a body; pass-through messages carry a
/// HART token-passing PDU (delimiter, address, [expansion bytes], command, byte count,
/// [response code, device status], data, checksum) without preambles.
public enum HARTIP: Dissector {
    public typealias Parsed = Frame

    public static let headerLength = 8
    /// The largest byte count accepted (the spec's messages are small; longer is not HART-IP).
    public static let maxMessageLength = 8192
    /// Message ids: session initiate, close, keep alive, token-passing PDU, direct PDU (HART-IP 2).
    public static let passThroughID: UInt8 = 3
    public static let directPDUID: UInt8 = 4
    /// The discovery message id of HART-IP 2.
    public static let discoveryID: UInt8 = 128

    public static var name: String { "hart_ip" }
    /// 5094 is HART-IP's port. A UDP server answers a session initiate from a port of its own and
    /// the session then continues there (Wireshark follows it with a wildcard conversation); the
    /// gateway in the public corpus uses 5095, so it is a hint too (the probe still decides).
    public static var portHints: PortHints { PortHints(tcp: [5094], udp: [5094, 5095]) }
    public static func makeState() -> State { State(capacity: pendingCapacity, lostAfter: requestTimeout) }

    static func knownType(_ type: UInt8) -> Bool { type <= 3 || type == 15 }
    static func knownID(_ id: UInt8) -> Bool { id <= directPDUID || id == discoveryID }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let version = bytes.byte(at: 0), let type = bytes.byte(at: 1), let id = bytes.byte(at: 2),
            let count = bytes.uint16BE(at: 6)
        else { return .needMore }
        guard version >= 1, version <= 2, knownType(type), knownID(id),
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
        guard version >= 1, version <= 2 else { throw .malformed("hart_ip: version \(version)") }
        guard bytes.count >= total else { throw .needMore(total) }
        var frame = Frame(
            version: version, messageType: type, messageID: id, status: status, sequence: sequence, byteCount: total)
        if !knownType(type) { frame.anomalies.insert(.unknownMessageType) }
        if !knownID(id) { frame.anomalies.insert(.unknownMessageID) }
        let message = bytes.extracting(0..<total)
        if id == passThroughID || id == directPDUID { parsePassThrough(message, frame: &frame) }
        if id == 0, frame.isRequest, let hostType = message.byte(at: 8), let timer = u32(message, 9) {
            frame.hostType = hostType
            frame.inactivityTimer = timer
        }
        pair(&frame, time: time, state: &state)
        return (frame, total)
    }

    /// The HART PDU of a pass-through message: its command and where its data lies.
    static func parsePassThrough(_ message: Span<UInt8>, frame: inout Frame) {
        guard let delimiter = message.byte(at: headerLength) else {
            frame.anomalies.insert(.truncatedPDU)
            return
        }
        frame.delimiter = delimiter
        let addressLength = delimiter & 0x80 != 0 ? 5 : 1
        let expansionBytes = Int((delimiter >> 5) & 0x03)
        let addressAt = headerLength &+ 1
        if addressLength == 5, let high = message.uint16BE(at: addressAt),
            let low = message.uint16BE(at: addressAt &+ 2),
            let last = message.byte(at: addressAt &+ 4)
        {
            // Long address: manufacturer/device-type bits (primary-master and burst bits masked) and device id.
            frame.longAddress = UInt64(high & 0x3FFF) << 24 | UInt64(low) << 8 | UInt64(last)
        }
        let commandAt = addressAt &+ addressLength &+ expansionBytes
        guard let command = message.byte(at: commandAt), let length = message.byte(at: commandAt &+ 1) else {
            frame.anomalies.insert(.truncatedPDU)
            return
        }
        frame.command = Int(command)
        var dataAt = commandAt &+ 2
        var dataLength = Int(length)
        if !frame.isRequest {
            guard dataLength >= 2, let code = message.byte(at: dataAt), let device = message.byte(at: dataAt &+ 1)
            else {
                frame.anomalies.insert(.truncatedPDU)
                return
            }
            frame.responseCode = code
            frame.deviceStatus = device
            dataAt &+= 2
            dataLength &-= 2
        }
        if dataAt &+ dataLength > message.count { frame.anomalies.insert(.truncatedPDU) }
        frame.pduDataOffset = dataAt
        frame.pduDataLength = max(0, min(dataLength, message.count &- dataAt))
        // Command 31 (expanded): the 16-bit command number leads the data.
        if command == 31, frame.pduDataLength >= 2, let expanded = message.uint16BE(at: dataAt) {
            frame.command = Int(expanded)
        }
    }

    /// Requests wait for the response with the same sequence number; a response takes its request.
    static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
        if frame.isRequest {
            let lostOne = state.pending.insert(
                Pending(sequence: frame.sequence, messageID: frame.messageID, command: frame.command, time: time))
            if lostOne { state.pendingOverflows &+= 1; frame.anomalies.insert(.pendingOverflow) }
        } else if frame.messageType == 1 || frame.messageType == 3 || frame.messageType == 15 {
            if let request = state.pending.take(frame.sequence) {
                frame.roundTripNanoseconds = time.nanoseconds &- request.time.nanoseconds
                if request.messageID != frame.messageID { frame.anomalies.insert(.mismatchedResponse) }
            } else if frame.messageID != 0 {
                // A UDP server answers a session initiate from a new port, i.e. in a new flow:
                // that response has no request here and is not unsolicited.
                frame.anomalies.insert(.unsolicitedResponse)
            }
        }
    }
}

extension HARTIP {
    /// Big-endian 32-bit value at `offset`, or nil past the end.
    static func u32(_ bytes: Span<UInt8>, _ offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
        return bytes.loadUInt32BE(at: offset)
    }
}
