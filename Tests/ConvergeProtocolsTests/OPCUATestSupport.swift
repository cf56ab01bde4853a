import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Shared helpers for the OPC UA tests: run the dissector over byte arrays and over captures.
enum OPCUAHarness {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 4840)

    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/opcua")

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 9, client: client, server: server, direction: direction)
    }

    /// One `parse` call over `bytes`.
    static func parse(
        _ bytes: [UInt8], _ direction: Direction, state: inout OPCUA.State, time: Int64 = 0
    ) -> Result<(message: OPCUA.Chunk, consumed: Int), DissectError> {
        do throws(DissectError) {
            let stamp = Timestamp(nanoseconds: time)
            return .success(try OPCUA.parse(bytes.span, direction: direction, time: stamp, state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses one complete message and builds its event and facts; nil if it did not parse.
    static func message(
        _ bytes: [UInt8], _ direction: Direction, state: inout OPCUA.State, time: Int64 = 0
    ) -> (chunk: OPCUA.Chunk, message: Message, facts: [AssetFact])? {
        guard case .success(let parsed) = parse(bytes, direction, state: &state, time: time) else { return nil }
        let context = context(direction, time: time)
        let event = OPCUA.event(parsed.message, bytes: bytes.span, context: context, state: &state)
        let facts = OPCUA.facts(parsed.message, bytes: bytes.span, context: context, state: state)
        return (parsed.message, event, facts)
    }

    struct CaptureResult {
        var functions: [Int: Int] = [:]
        var messages: [Message] = []
        var chunks: [OPCUA.Chunk] = []
        var facts: [AssetFact] = []
        var malformed = 0
        var leftover = 0
    }

    /// Every TCP payload to or from `port` of a capture, read with the real capture reader and
    /// packet decoder, spliced in order per flow and direction (retransmitted bytes skipped, a gap
    /// drops the buffer), through `parse`, `event` and `facts`.
    static func run(url: URL, port: UInt16 = 4840) -> CaptureResult {
        struct Segment {
            var key: String
            var flow: String
            var direction: Direction
            var sequence: UInt32
            var time: Timestamp
            var client: Endpoint
            var server: Endpoint
            var payload: [UInt8]
        }
        var segments: [Segment] = []
        var packet = DecodedPacket()
        CaptureSet(paths: [url.path]).forEachPacket { header, bytes in
            guard PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet) == nil,
                packet.transport == .tcp, packet.payloadLength > 0
            else { return }
            let toServer = packet.destinationPort == port
            guard toServer || packet.sourcePort == port else { return }
            let clientEnd = toServer
                ? Endpoint(address: packet.source, port: packet.sourcePort)
                : Endpoint(address: packet.destination, port: packet.destinationPort)
            let serverEnd = toServer
                ? Endpoint(address: packet.destination, port: packet.destinationPort)
                : Endpoint(address: packet.source, port: packet.sourcePort)
            let direction: Direction = toServer ? .toServer : .toClient
            let flow = "\(clientEnd.address):\(clientEnd.port)"
            var payload: [UInt8] = []
            payload.reserveCapacity(packet.payloadLength)
            for index in packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength) {
                payload.append(bytes[index])
            }
            segments.append(Segment(
                key: "\(flow)/\(direction.name)", flow: flow, direction: direction, sequence: packet.sequence,
                time: header.timestamp, client: clientEnd, server: serverEnd, payload: payload))
        }
        var result = CaptureResult()
        var states: [String: OPCUA.State] = [:]
        var buffers: [String: [UInt8]] = [:]
        var nextSequence: [String: UInt32] = [:]
        for segment in segments {
            var payload = segment.payload[...]
            if let expected = nextSequence[segment.key] {
                let ahead = Int32(bitPattern: segment.sequence &- expected)
                if ahead > 0 {
                    buffers[segment.key] = []
                } else if -Int(ahead) >= payload.count {
                    continue
                } else {
                    payload = payload.dropFirst(-Int(ahead))
                }
            }
            nextSequence[segment.key] = segment.sequence &+ UInt32(segment.payload.count)
            var bytes = buffers[segment.key, default: []] + payload
            var state = states[segment.flow] ?? OPCUA.makeState()
            let context = MessageContext(
                time: segment.time, flowID: 1, client: segment.client, server: segment.server,
                direction: segment.direction)
            parsing: while !bytes.isEmpty {
                do throws(DissectError) {
                    let (chunk, consumed) = try OPCUA.parse(
                        bytes.span, direction: segment.direction, time: segment.time, state: &state)
                    if chunk.hasFunction { result.functions[chunk.functionCode, default: 0] += 1 }
                    result.chunks.append(chunk)
                    result.messages.append(OPCUA.event(chunk, bytes: bytes.span, context: context, state: &state))
                    result.facts += OPCUA.facts(chunk, bytes: bytes.span, context: context, state: state)
                    bytes.removeFirst(consumed)
                } catch {
                    switch error {
                    case .needMore: break parsing
                    case .malformed:
                        result.malformed += 1
                        bytes = []
                    }
                }
            }
            buffers[segment.key] = bytes
            states[segment.flow] = state
        }
        result.leftover = buffers.values.reduce(0) { $0 + $1.count }
        return result
    }

    /// A golden file: "<service id> <count>" lines.
    static func golden(_ name: String) throws -> [Int: Int] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        var counts: [Int: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let code = Int(fields[0]), let count = Int(fields[1]) else { continue }
            counts[code] = count
        }
        return counts
    }

    /// DIFFERENCES.txt: golden file → (code, delta).
    static func differences() throws -> [String: [(Int, Int)]] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("DIFFERENCES.txt"), encoding: .utf8)
        var table: [String: [(Int, Int)]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count == 4, let code = Int(fields[1]), let delta = Int(fields[2]) else { continue }
            table[String(fields[0]), default: []].append((code, delta))
        }
        return table
    }
}
