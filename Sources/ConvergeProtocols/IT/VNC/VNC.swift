import ConvergeModel
import ConvergeWire

/// VNC's Remote Framebuffer protocol (RFC 6143), versions 3.3, 3.7 and 3.8.
///
/// The handshake is read in full: both protocol versions, the security types the server offers
/// and the one chosen, the VNC authentication challenge and response (stepped over, never kept),
/// the security result and its reason, ClientInit's shared flag and ServerInit's desktop name.
/// After it, each client and server message is taken by its length; framebuffer updates are
/// walked rectangle by rectangle and their pixel data stepped over by length (`skip` in the
/// state), never buffered. A message or rectangle encoding whose length cannot be known without
/// decoding it (Hextile, Tight, TRLE, an unknown type) ends dissection of that direction: its
/// bytes are stepped over (`isMessage` false) rather than guessed at.
///
/// Function codes: client messages under Wireshark's `vnc.client_message_type`, server messages
/// as `serverCodeBase` + `vnc.server_message_type` (summary keys `server.N`, `functionKey`).
/// Handshake steps are messages with no counted function (tshark counts none); their event
/// function code is `handshakeCodeBase` + the `Step` number:
/// 1 server_version, 2 client_version, 3 security_types, 4 security_type_selected,
/// 5 vnc_auth_challenge, 6 vnc_auth_response, 7 security_result, 8 client_init, 9 server_init.
public enum VNC: Dissector {
    /// "RFB 003.008\n".
    public static let versionLength = 12
    /// Server message codes sit here, above the client's 0…255.
    public static let serverCodeBase = 256
    /// Handshake steps' event function codes sit here.
    public static let handshakeCodeBase = 1000
    /// The longest reason string or desktop name read; a longer one is stepped over, unread.
    public static let maxTextLength = 1024
    /// The most encodings a SetEncodings may list and still be read whole.
    public static let maxEncodings = 256
    /// The largest zlib/ZRLE rectangle payload stepped over by its length; above it the
    /// direction is given up (a length that large is not a sane screen update).
    public static let maxCompressedLength: UInt32 = 64 << 20
    /// A fence message's payload is at most 64 bytes (RFB community extensions).
    public static let maxFenceLength = 64
    /// The VNC authentication challenge and response.
    public static let challengeLength = 16

    public static var name: String { "vnc" }
    public static var portHints: PortHints { PortHints(tcp: Array(5900...5910)) }
    public static func makeState() -> State { State() }

    /// The 12-byte `RFB xxx.yyy\n` banner, from either side.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        let prefix: StaticString = "RFB "
        let shown = min(bytes.count, versionLength)
        for index in 0..<shown {
            let byte = bytes[index]
            let fits: Bool
            switch index {
            case 0..<4: fits = byte == prefix.utf8Start[index]
            case 7: fits = byte == UInt8(ascii: ".")
            case 11: fits = byte == 0x0A
            default: fits = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            }
            if !fits { return .reject }
        }
        return bytes.count >= versionLength ? .match : .needMore
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Message, consumed: Int) {
        guard !bytes.isEmpty else { throw .needMore(1) }
        var lane = state.lane(direction)
        defer { state.setLane(direction, lane) }
        if lane.skip > 0 || lane.phase == .opaque {
            let step = lane.phase == .opaque ? bytes.count : Int(clamping: min(UInt64(bytes.count), lane.skip))
            lane.skip &-= UInt64(step)
            return (Message(direction: direction, kind: .steppedOver, length: step), step)
        }
        switch lane.phase {
        case .messages where direction == .toServer:
            return try parseClientMessage(bytes, state: &state, lane: &lane)
        case .messages:
            if lane.rectangles > 0 { return try parseRectangle(bytes, state: state, lane: &lane) }
            return try parseServerMessage(bytes, lane: &lane)
        default:
            return try parseHandshake(bytes, direction: direction, state: &state, lane: &lane)
        }
    }
}
