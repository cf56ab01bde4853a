import ConvergeModel
import ConvergeWire

/// DNS (RFC 1035) over UDP: one message per datagram. The same message parser serves DNS over TCP
/// (`DNSOverTCP`, RFC 1035 §4.2.2 length prefix), mDNS (`MDNS`, RFC 6762) and LLMNR (`LLMNR`,
/// RFC 4795), each under its own name.
///
/// `parse` reads the 12-byte header and walks the sections by their lengths (names skipped in
/// place, record data skipped by RDLENGTH) without following a compression pointer or building a
/// name: that happens in `event` and `facts` only, bounded by `maxNameLength`, `maxLabels` and
/// `maxPointerJumps`.
///
/// Counted function: `dns.flags.response` × 16 + `dns.flags.opcode` (`responseBase`), so a
/// standard query is 0, its response 16, an UPDATE 5 and its response 21.
public enum DNS: Dissector {
    public typealias Parsed = Frame

    /// ID, flags and the four section counts.
    public static let headerLength = 12
    /// A response's function code is this plus its opcode.
    public static let responseBase = 16
    /// A name is at most 255 bytes on the wire (RFC 1035 §2.3.4), counted as length octets + labels.
    public static let maxNameLength = 255
    /// At most this many labels in a decoded name (127 fit in 255 bytes).
    public static let maxLabels = 128
    /// Compression pointers followed while decoding one name; each must point backwards as well.
    public static let maxPointerJumps = 64
    /// Records walked in parse across all sections; more are flagged `tooManyRecords` and skipped.
    public static let maxRecordsWalked = 256
    /// Records turned into event targets per message.
    public static let maxEventTargets = 32
    /// Character strings (TXT, HINFO) are cut to this many bytes in events and facts.
    public static let maxTextLength = 255
    /// TXT strings read per record in events and facts.
    public static let maxTextStrings = 32

    public static var name: String { "dns" }
    public static var portHints: PortHints { PortHints(udp: [53]) }
    public static func makeState() -> State { State() }

    /// A datagram of at least a header whose counts could fit in it.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        probeMessage(bytes)
    }

    /// Takes the datagram. Fewer than 12 bytes is `.malformed` (a datagram never grows); anything
    /// wrong inside a sound header is parsed as far as it goes and flagged.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= headerLength else {
            throw .malformed("dns: \(bytes.count) bytes is shorter than the 12-byte header")
        }
        var frame = parseMessage(bytes, base: 0, end: bytes.count, direction: direction)
        pair(&frame, time: time, state: &state)
        return (frame, bytes.count)
    }

    /// A message header at the start of `bytes` whose questions could fit in the bytes (the
    /// smallest question is 5: the root name, type and class). Opcodes and record counts are not
    /// judged: an unknown opcode or a flood of records is still DNS, flagged by `parse`.
    static func probeMessage(_ bytes: Span<UInt8>) -> ProbeResult {
        guard bytes.count >= headerLength, let questions = bytes.uint16BE(at: 4) else { return .reject }
        return Int(questions) &* 5 <= bytes.count &- headerLength ? .match : .reject
    }
}
