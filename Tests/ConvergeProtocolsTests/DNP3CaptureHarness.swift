import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Runs a capture through the DNP3 dissector with the real reader and decoder: each TCP direction
/// is followed in sequence order (a simple splice: retransmitted bytes are skipped, a gap drops
/// the buffered bytes and makes the next delivery resynchronise, as the engine does), each UDP
/// datagram is one delivery.
enum DNP3CaptureHarness {
    struct Result {
        var functions: [Int: Int] = [:]
        var frames = 0
        var malformed = 0
        var messages: [Message] = []
        var facts: [AssetFact] = []
        /// Process values through the `Dissector` requirement (as the engine calls it) and
        /// through the flow's state (the whole reassembled fragment).
        var values: [ProcessValue] = []
        var stateValues: [ProcessValue] = []
        var anomalies: [String: Int] = [:]
    }

    struct FlowKey: Hashable {
        var client: Endpoint
        var server: Endpoint
    }

    struct Lane {
        var buffer: [UInt8] = []
        var next: UInt32?
        var lost = false
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/dnp3")
    static let sharedCaptures = packageRoot.appendingPathComponent("../shared/captures").standardized
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: sharedCaptures.path) }

    static func run(path: String, serverPorts: Set<UInt16> = [20000], events: Bool = true) -> Result {
        var result = Result()
        var states: [FlowKey: DNP3.State] = [:]
        var lanes: [FlowKey: (Lane, Lane)] = [:]
        let set = CaptureSet(paths: [path])
        set.forEachPacket { header, bytes in
            var packet = DecodedPacket()
            guard PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet) == nil
                || packet.payloadLength > 0
            else { return }
            guard packet.transport == .tcp || packet.transport == .udp else { return }
            let toServer = serverPorts.contains(packet.destinationPort)
            guard toServer || serverPorts.contains(packet.sourcePort) else { return }
            let source = Endpoint(address: packet.source, port: packet.sourcePort)
            let destination = Endpoint(address: packet.destination, port: packet.destinationPort)
            let key = toServer
                ? FlowKey(client: source, server: destination) : FlowKey(client: destination, server: source)
            let direction: Direction = toServer ? .toServer : .toClient
            let end = min(bytes.count, packet.payloadOffset + packet.payloadLength)
            guard packet.payloadOffset <= end else { return }
            var payload: [UInt8] = []
            payload.reserveCapacity(end - packet.payloadOffset)
            for index in packet.payloadOffset..<end { payload.append(bytes[index]) }
            var state = states[key] ?? DNP3.makeState()
            let context = MessageContext(
                time: header.timestamp, flowID: UInt64(key.client.port), client: key.client, server: key.server,
                direction: direction)
            if packet.transport == .udp {
                var datagram = payload
                deliver(&datagram, lost: false, context: context, state: &state, result: &result, events: events)
            } else {
                var pair = lanes[key] ?? (Lane(), Lane())
                var lane = toServer ? pair.0 : pair.1
                var data = payload[...]
                var sequence = packet.sequence
                if packet.tcpFlags & DecodedPacket.syn != 0 { sequence &+= 1 }
                if let expected = lane.next {
                    let ahead = Int32(bitPattern: sequence &- expected)
                    if ahead > 0 {
                        lane.buffer = []
                        lane.lost = true
                    } else if -Int(ahead) >= data.count {
                        data = []
                    } else {
                        data = data.dropFirst(-Int(ahead))
                    }
                }
                if !data.isEmpty || lane.next == nil {
                    lane.next = sequence &+ UInt32(truncatingIfNeeded: payload.count)
                }
                if !data.isEmpty {
                    lane.buffer += data
                    lane.lost = deliver(
                        &lane.buffer, lost: lane.lost, context: context, state: &state, result: &result,
                        events: events)
                }
                if toServer { pair.0 = lane } else { pair.1 = lane }
                lanes[key] = pair
            }
            states[key] = state
        }
        return result
    }

    /// Parses every whole frame in `buffer` and keeps the partial rest; returns whether the lane
    /// is still looking for a frame boundary.
    @discardableResult
    static func deliver(
        _ buffer: inout [UInt8], lost: Bool, context: MessageContext, state: inout DNP3.State,
        result: inout Result, events: Bool
    ) -> Bool {
        let bytes = buffer
        var lostAgain = false
        var used = 0
        if lost {
            guard let start = DNP3.resynchronize(bytes.span, direction: context.direction) else {
                buffer = []
                return true
            }
            used = start
        }
        while used < bytes.count {
            let rest = bytes.span.extracting(used..<bytes.count)
            do throws(DissectError) {
                let (frame, consumed) = try DNP3.parse(
                    rest, direction: context.direction, time: context.time, state: &state)
                result.frames += 1
                if frame.hasFunction { result.functions[frame.functionCode, default: 0] += 1 }
                for name in frame.anomalies.names { result.anomalies[name, default: 0] += 1 }
                if events {
                    let adu = rest.extracting(0..<consumed)
                    let event = DNP3.event(frame, bytes: adu, context: context, state: &state)
                    result.messages.append(event)
                    result.facts += DNP3.facts(frame, context: context, state: state)
                    result.values += DNP3.processValues(frame, event: event, bytes: adu, context: context)
                    result.stateValues += DNP3.processValues(frame, context: context, state: state)
                }
                used += consumed
            } catch {
                guard case .malformed = error else { break }
                result.malformed += 1
                let skipped = DNP3.resynchronize(
                    bytes.span.extracting((used + 1)..<bytes.count), direction: context.direction)
                guard let skip = skipped else {
                    lostAgain = true
                    used = bytes.count
                    break
                }
                used += 1 + skip
            }
        }
        buffer.removeFirst(min(used, buffer.count))
        return lostAgain
    }

    /// "code:count" pairs, sorted by code, as the golden file writes them.
    static func describe(_ functions: [Int: Int]) -> String {
        functions.keys.sorted().map { "\($0):\(functions[$0] ?? 0)" }.joined(separator: " ")
    }
}
