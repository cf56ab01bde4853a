import ConvergeModel
import ConvergeWire

/// HTTP/1.0 and 1.1 (RFC 9112) in the clear: request and status lines and the few headers that
/// identify hosts and software; bodies are skipped by Content-Length or chunked framing without
/// being read. Pipelined requests are paired with responses in order. The function code counted
/// is the request method, numbered by `Method` (GET 1, POST 2, HEAD 3, PUT 4, DELETE 5, OPTIONS 6,
/// CONNECT 7, TRACE 8, PATCH 9, other 15: Wireshark's `http.request.method`), or the response's
/// status code (Wireshark's `http.response.code`).
public enum HTTP: Dissector {
    public typealias Parsed = Frame

    /// A message head (start line and headers) longer than this cannot be framed: malformed.
    public static let maxHeadLength = 32_768
    /// Header lines read per message; more are flagged `tooManyHeaders` and not read.
    public static let maxHeaderLines = 128
    /// A chunk-size line (with extensions) longer than this is malformed.
    public static let maxChunkLineLength = 1024
    /// Requests awaiting a response per flow (pipelining); more drop the oldest.
    public static let maxPendingRequests = 16
    /// Content-Length digits read; more are `invalidContentLength` (no real body is 10^18 bytes).
    static let maxLengthDigits = 18

    public static var name: String { "http" }
    public static var portHints: PortHints { PortHints(tcp: [80, 8080, 8000, 8008, 8081, 8888, 591, 3128]) }
    public static func makeState() -> State { State() }

    static let methodTokens: [(Method, [UInt8])] = Method.allCases.filter { $0 != .other }.map {
        ($0, Array($0.token.utf8))
    }
    static let versionPrefix: [UInt8] = Array("HTTP/1.".utf8)

    /// Requests start with a method token and a space, responses with `HTTP/1.`.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        if direction == .toClient { return prefixMatch(bytes, at: 0, versionPrefix) }
        var sawPartial = false
        for (_, token) in methodTokens {
            switch prefixMatch(bytes, at: 0, token) {
            case .match:
                guard let space = bytes.byte(at: token.count) else { return .needMore }
                if space == 0x20 { return .match }
            case .needMore: sawPartial = true
            case .reject: continue
            }
        }
        return sawPartial ? .needMore : .reject
    }

    static func prefixMatch(_ bytes: Span<UInt8>, at offset: Int, _ expected: [UInt8]) -> ProbeResult {
        for (index, byte) in expected.enumerated() {
            guard let actual = bytes.byte(at: offset &+ index) else { return .needMore }
            if actual != byte { return .reject }
        }
        return .match
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard bytes.count > 0 else { throw .needMore(1) }
        if direction == .toServer {
            if state.client.body != .none {
                return try Body.skip(bytes, direction: direction, lane: &state.client, from: 0, frame: nil)
            }
            return try Head.parse(bytes, direction: direction, state: &state)
        }
        if state.server.body != .none {
            return try Body.skip(bytes, direction: direction, lane: &state.server, from: 0, frame: nil)
        }
        return try Head.parse(bytes, direction: direction, state: &state)
    }

    /// The next line start that begins a request (toServer) or a status line (toClient).
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        var offset = 0
        while offset < bytes.count {
            if offset == 0 || bytes[offset &- 1] == 0x0a {
                let rest = bytes.extracting(offset..<bytes.count)
                if probe(rest, direction: direction) != .reject { return offset }
            }
            offset &+= 1
        }
        return nil
    }
}
