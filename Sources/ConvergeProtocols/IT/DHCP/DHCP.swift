import ConvergeModel
import ConvergeWire

/// DHCPv4 (RFC 2131, 2132) and plain BOOTP (RFC 951) on UDP 67/68: one message per datagram, a
/// fixed 236-byte BOOTP header, the magic cookie, then options.
///
/// `parse` reads the header's addresses and the client's hardware address, and walks the options
/// (and the `file`/`sname` fields when option 52 overloads them) noting where each option that
/// identifies a host sits; no option value is copied or turned into text there.
///
/// Counted function: the DHCP message type, option 53 (Wireshark's `dhcp.option.dhcp`); a BOOTP
/// message without one is counted with no function.
public enum DHCP: Dissector {
    public typealias Parsed = Frame

    /// op, htype, hlen, hops, xid, secs, flags, four addresses, chaddr (16), sname (64), file (128).
    public static let bootpHeaderLength = 236
    /// The magic cookie 99.130.83.99 that starts the options (RFC 2131 §3).
    public static let magicCookie: UInt32 = 0x6382_5363
    public static let optionsOffset = 240
    /// `sname` and `file`, which option 52 may fill with more options.
    public static let serverNameRange = 44..<108
    public static let fileRange = 108..<236
    /// Options walked per message (pads not counted); more are flagged `tooManyOptions`.
    public static let maxOptions = 255
    /// Option text (host name, vendor class) is cut to this many bytes in events and facts.
    public static let maxTextLength = 255

    public static var name: String { "dhcp" }
    public static var portHints: PortHints { PortHints(udp: [67, 68]) }
    public static func makeState() -> State { State() }

    /// A BOOTP request or reply with a hardware address length that fits chaddr, and the magic
    /// cookie when the options area is there.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= bootpHeaderLength, let op = bytes.byte(at: 0), let hlen = bytes.byte(at: 2) else {
            return .reject
        }
        guard op == 1 || op == 2, hlen <= 16 else { return .reject }
        if bytes.count >= optionsOffset, bytes.loadUInt32BE(at: bootpHeaderLength) != magicCookie { return .reject }
        return .match
    }

    /// Takes the datagram. Shorter than the BOOTP header is `.malformed`; a bad cookie or broken
    /// options inside a sound header are flagged on the message.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= bootpHeaderLength else {
            throw .malformed("dhcp: \(bytes.count) bytes is shorter than the 236-byte BOOTP header")
        }
        var frame = Frame(direction: direction)
        frame.op = bytes[0]
        frame.hardwareType = bytes[1]
        frame.hardwareLength = bytes[2]
        frame.transactionID = bytes.loadUInt32BE(at: 4)
        frame.clientAddress = bytes.loadUInt32BE(at: 12)
        frame.yourAddress = bytes.loadUInt32BE(at: 16)
        frame.serverAddress = bytes.loadUInt32BE(at: 20)
        frame.relayAddress = bytes.loadUInt32BE(at: 24)
        if frame.hardwareType == 1, frame.hardwareLength == 6 {
            var mac: UInt64 = 0
            for index in 28..<34 { mac = mac << 8 | UInt64(bytes[index]) }
            frame.clientMAC = mac
        }
        if frame.op != 1 && frame.op != 2 { frame.anomalies.insert(.badOp) }
        if frame.hardwareLength > 16 { frame.anomalies.insert(.badHardwareLength) }
        if bytes.count >= optionsOffset {
            if bytes.loadUInt32BE(at: bootpHeaderLength) == magicCookie {
                walkOptions(bytes, from: optionsOffset, end: bytes.count, isMain: true, frame: &frame)
                if frame.overload & 1 != 0 {
                    walkOptions(
                        bytes, from: fileRange.lowerBound, end: fileRange.upperBound, isMain: false, frame: &frame)
                }
                if frame.overload & 2 != 0 {
                    walkOptions(
                        bytes, from: serverNameRange.lowerBound, end: serverNameRange.upperBound, isMain: false,
                        frame: &frame)
                }
            } else {
                frame.anomalies.insert(.badCookie)
            }
        }
        pair(&frame, time: time, state: &state)
        return (frame, bytes.count)
    }
}
