import ConvergeModel
import ConvergeWire

/// OPC UA binary over TCP (OPC 10000-6 §7: UA Connection Protocol and UA Secure Conversation).
///
/// Every message starts with an 8-byte header: type (HEL, ACK, ERR, RHE, OPN, MSG, CLO), chunk
/// type (F final, C intermediate, A abort) and the size of the whole chunk. `parse` takes one
/// chunk from the front of an in-order stream. OPN, MSG and CLO chunks carry a secure channel id,
/// a security header, a sequence header and a service body that starts with the service's type id;
/// bodies of encrypted channels are counted but stay opaque. Chunks of one message are
/// reassembled in the flow's `State` (bounded), so the final chunk carries the whole message.
public enum OPCUA: Dissector {
    public typealias Parsed = Chunk

    public static var name: String { "opcua" }
    public static var portHints: PortHints { PortHints(tcp: [4840]) }
    public static func makeState() -> State { State() }

    /// The spec's smallest receive/send buffer (OPC 10000-6 §7.1.2.3).
    public static let minBufferSize: UInt32 = 8192
    /// Offsets in an OPN/MSG/CLO chunk.
    static let secureChannelIDOffset = 8
    static let tokenIDOffset = 12
    static let symmetricSequenceOffset = 16

    /// A valid header (type, chunk type, size within bounds) is enough: a mid-stream pickup starts
    /// at any message type.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        let (header, needMore, _) = header(bytes)
        if header != nil { return .match }
        return needMore ? .needMore : .reject
    }

    /// Takes one chunk. Broken framing (unknown type or chunk type, a size below the type's
    /// minimum or above `maxChunkSize`) is `.malformed`; a bad body inside a sound frame is parsed
    /// as far as it goes and carries an anomaly.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Chunk, consumed: Int) {
        let (found, needMore, reason) = header(bytes)
        guard let header = found else {
            if needMore { throw .needMore(headerLength) }
            throw .malformed("opcua: \(reason ?? "bad header")")
        }
        guard bytes.count >= header.size else { throw .needMore(header.size) }
        let chunk = bytes.extracting(0..<header.size)
        var parsed = Chunk(type: header.type, chunkType: header.chunk, size: header.size, direction: direction)
        let receiveBuffer = direction == .toServer ? state.serverReceiveBuffer : state.clientReceiveBuffer
        if receiveBuffer >= minBufferSize, UInt32(header.size) > receiveBuffer {
            parsed.anomalies.insert(.chunkTooLarge)
        }
        switch header.type {
        case .hello: parseHello(chunk, into: &parsed, state: &state)
        case .acknowledge: parseAcknowledge(chunk, into: &parsed, state: &state)
        case .error: parseError(chunk, into: &parsed)
        case .reverseHello: parseReverseHello(chunk, into: &parsed)
        case .open, .message, .close: parseSecureConversation(chunk, into: &parsed, time: time, state: &state)
        }
        return (parsed, header.size)
    }

    /// HEL: protocol version, receive/send buffer sizes, max message size, max chunk count,
    /// endpoint URL.
    static func parseHello(_ chunk: Span<UInt8>, into parsed: inout Chunk, state: inout State) {
        if parsed.direction != .toServer { parsed.anomalies.insert(.wrongDirection) }
        readLimits(chunk, into: &parsed)
        var r = WireReader(chunk)
        r.skip(headerLength &+ 20)
        if let url = Binary.readBytes(&r), url.length <= maxEndpointURLLength {
            parsed.text = url
        } else {
            parsed.anomalies.insert(.invalidLength)
        }
        if parsed.direction == .toServer {
            state.clientReceiveBuffer = parsed.receiveBufferSize
            state.responseLimits = MessageLimits(
                maxMessageSize: parsed.maxMessageSize, maxChunkCount: parsed.maxChunkCount)
        }
    }

    /// ACK: protocol version, receive/send buffer sizes, max message size, max chunk count.
    static func parseAcknowledge(_ chunk: Span<UInt8>, into parsed: inout Chunk, state: inout State) {
        if parsed.direction != .toClient { parsed.anomalies.insert(.wrongDirection) }
        readLimits(chunk, into: &parsed)
        if parsed.direction == .toClient {
            state.serverReceiveBuffer = parsed.receiveBufferSize
            state.requestLimits = MessageLimits(
                maxMessageSize: parsed.maxMessageSize, maxChunkCount: parsed.maxChunkCount)
        }
    }

    /// The longest endpoint URL accepted (the spec's limit, OPC 10000-6 §7.1.2.3).
    public static let maxEndpointURLLength = 4096
    /// The longest ERR reason accepted (the spec's limit, §7.1.2.5).
    public static let maxReasonLength = 4096

    static func readLimits(_ chunk: Span<UInt8>, into parsed: inout Chunk) {
        var r = WireReader(chunk)
        r.skip(headerLength)
        parsed.protocolVersion = r.u32le() ?? 0
        parsed.receiveBufferSize = r.u32le() ?? 0
        parsed.sendBufferSize = r.u32le() ?? 0
        parsed.maxMessageSize = r.u32le() ?? 0
        parsed.maxChunkCount = r.u32le() ?? 0
        if parsed.receiveBufferSize < minBufferSize || parsed.sendBufferSize < minBufferSize {
            parsed.anomalies.insert(.invalidValue)
        }
    }

    /// ERR: error (a StatusCode) and reason.
    static func parseError(_ chunk: Span<UInt8>, into parsed: inout Chunk) {
        if parsed.direction != .toClient { parsed.anomalies.insert(.wrongDirection) }
        var r = WireReader(chunk)
        r.skip(headerLength)
        parsed.errorCode = r.u32le() ?? 0
        if let reason = Binary.readBytes(&r), reason.length <= maxReasonLength {
            parsed.text = reason
        } else {
            parsed.anomalies.insert(.invalidLength)
        }
    }

    /// RHE (reverse connect, server to client): server URI and endpoint URL.
    static func parseReverseHello(_ chunk: Span<UInt8>, into parsed: inout Chunk) {
        var r = WireReader(chunk)
        r.skip(headerLength)
        if let uri = Binary.readBytes(&r), let url = Binary.readBytes(&r),
            uri.length <= maxEndpointURLLength, url.length <= maxEndpointURLLength
        {
            parsed.serverURI = uri
            parsed.text = url
        } else {
            parsed.anomalies.insert(.invalidLength)
        }
    }
}
