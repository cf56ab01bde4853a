import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Test-only: real captures through an ISO-on-TCP dissector (S7comm or S7comm-plus) the way the
/// engine would run it. Packets come from the real reader and decoder; each TCP direction of a
/// port-102 flow is spliced in order (retransmitted bytes skipped, a gap drops the partial PDU
/// and the next bytes are resynchronised), the probe decides per flow, then `parse` runs.
enum S7CaptureHarness {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedCaptures = packageRoot.appendingPathComponent("../shared/captures").standardized
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/s7comm")
    static let serverPort: UInt16 = 102

    struct Segment {
        var time: Int64
        var client: Endpoint
        var server: Endpoint
        var toServer: Bool
        var sequence: UInt32
        var payload: [UInt8]
    }

    struct Result<Parsed> {
        var parsed: [Parsed] = []
        var messages: [Message] = []
        var facts: [AssetFact] = []
        var malformed = 0
        var rejectedFlows = 0
        var matchedFlows = 0
    }

    /// TCP segments to or from port 102, in capture order, payloads copied.
    static func segments(_ path: String) -> [Segment] {
        var segments: [Segment] = []
        var packet = DecodedPacket()
        _ = CaptureSet(paths: [path]).forEachPacket { header, bytes in
            guard PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet) == nil,
                packet.transport == .tcp, packet.payloadLength > 0,
                packet.destinationPort == serverPort || packet.sourcePort == serverPort
            else { return }
            let toServer = packet.destinationPort == serverPort
            var payload: [UInt8] = []
            payload.reserveCapacity(packet.payloadLength)
            for index in packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength) {
                payload.append(bytes[index])
            }
            let source = Endpoint(address: packet.source, port: packet.sourcePort)
            let destination = Endpoint(address: packet.destination, port: packet.destinationPort)
            segments.append(Segment(
                time: header.timestamp.nanoseconds, client: toServer ? source : destination,
                server: toServer ? destination : source, toServer: toServer, sequence: packet.sequence,
                payload: payload))
        }
        return segments
    }

    /// Runs dissector `D` over the capture; `facts` is called after each message with the bytes
    /// `parse` consumed and the state.
    static func run<D: Dissector>(
        _ dissector: D.Type, path: String,
        facts: (D.Parsed, [UInt8], MessageContext, D.State) -> [AssetFact] = { _, _, _, _ in [] }
    ) -> Result<D.Parsed> {
        var result = Result<D.Parsed>()
        var states: [String: D.State] = [:]
        var verdicts: [String: ProbeResult] = [:]
        var buffers: [String: [UInt8]] = [:]
        var nextSequence: [String: UInt32] = [:]
        var lost: Set<String> = []
        for segment in segments(path) {
            let flow = "\(segment.client.address)-\(segment.client.port)-\(segment.server.address)"
            let direction: Direction = segment.toServer ? .toServer : .toClient
            let stream = "\(flow)/\(direction.name)"
            if verdicts[flow] == .reject { continue }
            var payload = segment.payload[...]
            if let expected = nextSequence[stream] {
                let ahead = Int32(bitPattern: segment.sequence &- expected)
                if ahead > 0 {
                    buffers[stream] = []
                    lost.insert(stream)
                } else if -Int(ahead) >= payload.count {
                    continue
                } else {
                    payload = payload.dropFirst(-Int(ahead))
                }
            }
            nextSequence[stream] = segment.sequence &+ UInt32(segment.payload.count)
            var bytes = buffers[stream, default: []] + payload
            if lost.contains(stream) {
                guard let start = D.resynchronize(bytes.span, direction: direction) else {
                    buffers[stream] = []
                    continue
                }
                bytes.removeFirst(start)
                lost.remove(stream)
            }
            if verdicts[flow] != .match {
                let verdict = D.probe(bytes.span, direction: direction)
                verdicts[flow] = verdict
                if verdict == .reject {
                    result.rejectedFlows += 1
                    continue
                }
                if verdict == .needMore {
                    buffers[stream] = bytes
                    continue
                }
                result.matchedFlows += 1
            }
            var state = states[flow] ?? D.makeState()
            let context = MessageContext(
                time: Timestamp(nanoseconds: segment.time), flowID: UInt64(segment.client.port),
                client: segment.client, server: segment.server, direction: direction)
            parsing: while !bytes.isEmpty {
                do throws(DissectError) {
                    let (parsed, consumed) = try D.parse(
                        bytes.span, direction: direction, time: context.time, state: &state)
                    result.parsed.append(parsed)
                    let used = Array(bytes.prefix(consumed))
                    result.messages.append(D.event(parsed, bytes: used.span, context: context, state: &state))
                    result.facts += facts(parsed, used, context, state)
                    bytes.removeFirst(min(consumed, bytes.count))
                } catch {
                    if case .needMore = error { break parsing }
                    result.malformed += 1
                    let after = Array(bytes.dropFirst())
                    guard let skip = D.resynchronize(after.span, direction: direction) else {
                        bytes = []
                        break parsing
                    }
                    bytes = Array(after.dropFirst(skip))
                }
            }
            buffers[stream] = bytes
            states[flow] = state
        }
        return result
    }

    /// Golden files: "<code> <count>" lines (decimal function codes).
    static func golden(_ text: String) -> [Int: Int] {
        var functions: [Int: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let code = Int(fields[0]), let count = Int(fields[1]) else { continue }
            functions[code] = count
        }
        return functions
    }
}
