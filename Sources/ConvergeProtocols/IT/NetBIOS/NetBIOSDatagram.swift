import ConvergeModel
import ConvergeWire

/// The NetBIOS Datagram Service (RFC 1002 §4.4) on UDP 138, read for the Windows browser
/// protocol ([MS-BRWS]) it carries: SMB Transaction requests to `\MAILSLOT\BROWSE` whose data are
/// host, local-master and domain announcements (host name, OS version, server type flags,
/// comment). Other user data is skipped by its length.
///
/// Counted function: the datagram type (`nbdgm.type`, 0x10–0x16); the browser command of an
/// announcement is counted as a sub-function under `browser` (`browser.command`).
public enum NetBIOSDatagram: Dissector {
    public typealias Parsed = Frame

    /// Type, flags, id, source IP and port.
    public static let headerLength = 10
    /// Direct unique, direct group and broadcast datagrams carry names and user data.
    public static let directUnique: UInt8 = 0x10
    public static let broadcast: UInt8 = 0x12
    public static let error: UInt8 = 0x13
    public static let lastType: UInt8 = 0x16
    /// SMB Transaction (SMB_COM_TRANSACTION).
    static let smbTransaction: UInt8 = 0x25
    /// The browser mailslot; announcements come only there.
    static let browseMailslot = Array("\\MAILSLOT\\BROWSE".utf8)

    public static var name: String { "nbdgm" }
    public static var portHints: PortHints { PortHints(udp: [138]) }
    public static var subFunctionsName: String? { "browser" }
    public static func makeState() -> State { State() }

    /// No pairing: datagrams are one-way.
    public struct State: Sendable {
        public init() {}
    }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= headerLength, let type = bytes.byte(at: 0) else { return .reject }
        return type >= directUnique && type <= lastType ? .match : .reject
    }

    /// Takes the datagram. Shorter than the 10-byte header, or a type outside 0x10–0x16, is
    /// `.malformed`; names, SMB and browser frames that do not fit are flagged.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count >= headerLength else {
            throw .malformed("nbdgm: \(bytes.count) bytes is shorter than the 10-byte header")
        }
        let type = bytes[0]
        guard type >= directUnique && type <= lastType else {
            throw .malformed("nbdgm: datagram type \(type) is not 0x10-0x16")
        }
        var frame = Frame(direction: direction, type: type)
        frame.sourceAddress = bytes.loadUInt32BE(at: 4)
        if type <= broadcast {
            parseDirect(bytes, frame: &frame)
        } else if type != error {
            frame.destinationNameOffset = Int32(headerLength)
        }
        return (frame, bytes.count)
    }

    /// Length, offset, the two names, then the SMB Transaction that may hold a browser frame.
    static func parseDirect(_ bytes: Span<UInt8>, frame: inout Frame) {
        guard let length = bytes.uint16BE(at: 10), bytes.count >= 14 else {
            frame.anomalies.insert(.truncated)
            return
        }
        // DGM_LENGTH counts the bytes after the packet-offset field.
        let end = min(bytes.count, 14 &+ Int(length))
        if 14 &+ Int(length) != bytes.count { frame.anomalies.insert(.badLength) }
        var ignored: DNS.Anomalies = []
        frame.sourceNameOffset = 14
        guard let afterSource = DNS.skipName(bytes, at: 14, base: 0, end: end, anomalies: &ignored) else {
            frame.anomalies.insert(.truncated)
            return
        }
        frame.destinationNameOffset = Int32(truncatingIfNeeded: afterSource)
        guard let smb = DNS.skipName(bytes, at: afterSource, base: 0, end: end, anomalies: &ignored) else {
            frame.anomalies.insert(.truncated)
            return
        }
        findBrowserFrame(bytes, smb: smb, end: end, frame: &frame)
    }

    /// An SMB Transaction to `\MAILSLOT\BROWSE`: the browser frame is its data.
    static func findBrowserFrame(_ bytes: Span<UInt8>, smb: Int, end: Int, frame: inout Frame) {
        guard smb &+ 33 <= end, bytes[smb] == 0xff, bytes[smb &+ 1] == 0x53, bytes[smb &+ 2] == 0x4d,
            bytes[smb &+ 3] == 0x42, bytes[smb &+ 4] == smbTransaction
        else { return }
        let wordCount = Int(bytes[smb &+ 32])
        let words = smb &+ 33
        // The fixed words up to the setup count, then the mailslot's 3 setup words.
        guard wordCount >= 14, words &+ wordCount &* 2 &+ 2 <= end,
            let dataCount = le16(bytes, words &+ 22), let dataOffset = le16(bytes, words &+ 24)
        else {
            frame.anomalies.insert(.badSMB)
            return
        }
        let nameStart = words &+ wordCount &* 2 &+ 2
        guard nameStart &+ browseMailslot.count <= end else { return }
        for index in 0..<browseMailslot.count
        where bytes[nameStart &+ index] | 0x20 != browseMailslot[index] | 0x20 {
            return
        }
        let start = smb &+ Int(dataOffset)
        guard Int(dataCount) >= 1, start >= nameStart, start &+ Int(dataCount) <= end else {
            frame.anomalies.insert(.badSMB)
            return
        }
        frame.browserOffset = Int32(truncatingIfNeeded: start)
        frame.browserLength = UInt16(dataCount)
        frame.browserCommand = bytes[start]
    }

    /// Little-endian 16-bit value at `offset` (SMB is little-endian), or nil past the end.
    static func le16(_ bytes: Span<UInt8>, _ offset: Int) -> UInt16? {
        guard offset >= 0, offset &+ 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset &+ 1]) << 8
    }

    /// The browser command, counted under `browser`.
    public static func forEachSubFunction(_ parsed: Frame, bytes: Span<UInt8>, _ body: (Int) -> Void) {
        if let command = parsed.browserCommand { body(Int(command)) }
    }
}
