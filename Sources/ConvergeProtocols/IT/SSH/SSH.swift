import ConvergeModel
import ConvergeWire

/// SSH 2.0 (RFC 4253): the identification banners, then the binary packets of the key exchange in
/// the clear (KEXINIT → HASSH / HASSHServer), then, after each side's NEWKEYS, encrypted packets
/// that are skipped whole, unread. The function code counted is Wireshark's `ssh.message_code`
/// (20 KEXINIT, 21 NEWKEYS, 30/31 key exchange, …), one per cleartext binary packet; banners and
/// encrypted bytes are messages without a function code, as in Wireshark.
public enum SSH: Dissector {
    public typealias Parsed = Frame

    /// RFC 4253 4.2: the identification line is at most 255 characters including CR LF. A server
    /// may send other lines first, each with the same bound.
    public static let maxLineLength = 255
    /// Lines a server may send before its banner that are read; more make the stream malformed.
    public static let maxPreambleLines = 16
    /// RFC 4253 6.1 requires 35,000-byte packets to be handled; longer ones (in the clear, during
    /// the key exchange) are not SSH framing.
    public static let maxPacketLength = 35_000
    /// packet_length (4) and padding_length (1).
    static let packetHeaderLength = 5
    /// RFC 4253 6: at least 4 bytes of random padding.
    static let minPadding = 4

    public static var name: String { "ssh" }
    public static var portHints: PortHints { PortHints(tcp: [22, 2222]) }
    public static func makeState() -> State { State() }

    static let prefix: [UInt8] = Array("SSH-".utf8)

    /// Either side starts with `SSH-` (a server's preamble lines are not recognised by the probe).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        for index in 0..<prefix.count {
            guard let byte = bytes.byte(at: index) else { return .needMore }
            if byte != prefix[index] { return .reject }
        }
        return .match
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        if direction == .toServer { return try parse(bytes, direction: direction, lane: &state.client) }
        return try parse(bytes, direction: direction, lane: &state.server)
    }

    static func parse(
        _ bytes: Span<UInt8>, direction: Direction, lane: inout Lane
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count > 0 else { throw .needMore(1) }
        switch lane.phase {
        case .banner: return try line(bytes, direction: direction, lane: &lane)
        case .binary: return try packet(bytes, direction: direction, lane: &lane)
        case .encrypted:
            var frame = Frame(kind: .encrypted, direction: direction)
            frame.length = Int32(clamping: bytes.count)
            return (frame, bytes.count)
        }
    }

    /// One text line: the banner (`SSH-protoversion-softwareversion SP comments CR LF`) or a line
    /// a server sends before it.
    static func line(
        _ bytes: Span<UInt8>, direction: Direction, lane: inout Lane
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        let limit = min(bytes.count, maxLineLength)
        var end = -1
        for index in 0..<limit where bytes[index] == 0x0a {
            end = index
            break
        }
        guard end >= 0 else {
            if bytes.count >= maxLineLength { throw .malformed("ssh: no line end in \(maxLineLength) bytes") }
            throw .needMore(bytes.count &+ 1)
        }
        var frame = Frame(kind: .banner, direction: direction)
        frame.length = Int32(end &+ 1)
        let isBanner = bytes.count >= 4 && bytes[0] == 0x53 && bytes[1] == 0x53 && bytes[2] == 0x48 && bytes[3] == 0x2d
        if isBanner {
            lane.phase = .binary
            // "SSH-1.x" other than 1.99 (which also speaks 2.0) is the broken SSH-1 protocol.
            if bytes.byte(at: 4) == 0x31, !(bytes.byte(at: 6) == 0x39 && bytes.byte(at: 7) == 0x39) {
                frame.anomalies.insert(.protocolVersion1)
            }
        } else {
            guard direction == .toClient, lane.preambleLines < maxPreambleLines else {
                throw .malformed("ssh: a line before the banner that is not allowed here")
            }
            lane.preambleLines &+= 1
            frame.kind = .preamble
        }
        return (frame, end &+ 1)
    }

    /// One cleartext binary packet: packet_length, padding_length, payload, padding (no MAC yet).
    static func packet(
        _ bytes: Span<UInt8>, direction: Direction, lane: inout Lane
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let length = bytes.loadUInt32BEIfPresent(at: 0), let padding = bytes.byte(at: 4) else {
            throw .needMore(packetHeaderLength)
        }
        guard length <= UInt32(maxPacketLength), UInt32(padding) &+ 2 <= length else {
            throw .malformed("ssh: packet length \(length), padding \(padding)")
        }
        let total = 4 &+ Int(length)
        guard bytes.count >= total, let code = bytes.byte(at: packetHeaderLength) else { throw .needMore(total) }
        var frame = Frame(kind: .packet, direction: direction)
        frame.messageCode = code
        frame.length = Int32(total)
        frame.payloadLength = Int32(Int(length) &- Int(padding) &- 1)
        if padding < minPadding || total % 8 != 0 { frame.anomalies.insert(.invalidPadding) }
        if code == MessageCode.newKeys { lane.phase = .encrypted }
        return (frame, total)
    }
}

extension Span where Element == UInt8 {
    /// Big-endian 32-bit value at `offset`, or nil past the end.
    @inlinable func loadUInt32BEIfPresent(at offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= count else { return nil }
        return loadUInt32BE(at: offset)
    }
}
