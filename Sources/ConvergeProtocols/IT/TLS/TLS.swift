import ConvergeModel
import ConvergeWire

/// TLS 1.0–1.3 over TCP (RFC 5246, RFC 8446): the record layer and the plaintext handshake.
///
/// A record is a 5-byte header (content type, version, length) and that many bytes of body. `parse`
/// takes one *handshake message* at a time, so the function code it reports is Wireshark's
/// `tls.handshake.type` (1 ClientHello, 2 ServerHello, 11 Certificate, …), one per message even
/// when a record carries several. Records that are not plaintext handshake (application data,
/// encrypted handshake after ChangeCipherSpec, heartbeats) are skipped by length without reading
/// their bodies, in pieces as the stream delivers them; the flow's `State` remembers where in a
/// record each direction stands. A handshake message split across records is collected in a
/// bounded per-direction buffer (`maxReassembly`). Hashes (JA3, JA3S, JA4) and certificate fields
/// are computed only when an event is built.
public enum TLS: Dissector {
    public typealias Parsed = Frame

    /// Content type (1), version (2), length (2).
    public static let recordHeaderLength = 5
    /// Handshake type (1), length (3).
    public static let handshakeHeaderLength = 4
    /// RFC 5246 6.2.3: a TLSCiphertext body is at most 2^14 + 2048 bytes; longer cannot be TLS.
    public static let maxRecordLength = 16_384 + 2_048
    /// Bytes of one handshake message kept when it is split across records. A ClientHello is a few
    /// hundred bytes to a few KiB; a Certificate chain can be larger, but only its first
    /// certificate is read, so the rest is counted down without being kept (`truncated`).
    public static let maxReassembly = 32_768
    /// ChangeCipherSpec and alert records hold 1 and 2 bytes; a larger one is skipped, not read.
    public static let maxControlRecordLength = 64

    /// Ports TLS usually runs on directly (HTTPS, SMTPS, LDAPS, IMAPS, POP3S, DNS over TLS,
    /// FTPS, SIPS, OPC UA over HTTPS, MQTT over TLS, alternative HTTPS).
    public static let tlsPorts: [UInt16] = [443, 8443, 465, 636, 853, 990, 993, 995, 4843, 5061, 8883, 9443]

    public static var name: String { "tls" }
    public static var portHints: PortHints { PortHints(tcp: tlsPorts) }
    public static func makeState() -> State { State() }

    /// A record header must be there: a known content type, major version 3, a minor version of
    /// at most 4 (TLS 1.3) and a length within `maxRecordLength`. Application data matches too, so
    /// a flow picked up mid-session is still recognised.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard bytes.count >= recordHeaderLength else {
            // Reject early on the first bytes that already rule TLS out.
            if let type = bytes.byte(at: 0), ContentType(rawValue: type) == nil { return .reject }
            if let major = bytes.byte(at: 1), major != 3 { return .reject }
            return .needMore
        }
        guard RecordHeader.read(bytes) != nil else { return .reject }
        return .match
    }

    /// Takes one handshake message, one non-handshake record (or the part of it the stream holds),
    /// or a run of application-data records, from the front of `bytes`.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        if direction == .toServer {
            return try Lanes.parse(bytes, direction: direction, lane: &state.client, shared: &state.shared)
        }
        return try Lanes.parse(bytes, direction: direction, lane: &state.server, shared: &state.shared)
    }

    /// The next offset in `bytes` that holds a plausible record header followed, when the bytes
    /// reach that far, by another plausible header.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var offset = 0
        while offset &+ recordHeaderLength <= bytes.count {
            if let header = RecordHeader.read(bytes.extracting(offset..<bytes.count)) {
                let next = offset &+ recordHeaderLength &+ header.length
                if next &+ recordHeaderLength > bytes.count { return offset }
                if RecordHeader.read(bytes.extracting(next..<bytes.count)) != nil { return offset }
            }
            offset &+= 1
        }
        return nil
    }
}
