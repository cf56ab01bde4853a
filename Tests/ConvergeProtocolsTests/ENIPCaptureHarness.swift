import ConvergeCapture
import ConvergeModel
import ConvergeProtocols
import Foundation

/// Runs real captures through the EtherNet/IP dissector with the real reader and decoder: TCP
/// port 44818 payloads spliced in order per flow and direction (retransmitted bytes skipped, a
/// gap drops the partial message, as tshark's reassembly does), UDP 44818 one datagram at a time.
enum ENIPCaptureHarness {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/enip")
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedCaptures = packageRoot.appendingPathComponent("../shared/captures").standardized
    static let sharedAvailable = FileManager.default.fileExists(atPath: sharedCaptures.path)

    struct Result {
        /// enip.command → messages, cip.sc → services.
        var commands: [Int: Int] = [:]
        var services: [Int: Int] = [:]
        /// Implicit I/O datagrams per connection id, and the per-flow state's own tally.
        var io: [Int: Int] = [:]
        var ioTracked: [Int: Int] = [:]
        var malformed = 0
        var messages: [Message] = []
        var facts: [AssetFact] = []
    }

    struct Stream {
        var buffer: [UInt8] = []
        var nextSequence: UInt32?
    }

    static func run(fixture name: String) -> Result { run(path: fixtures.appendingPathComponent(name).path) }

    static func run(path: String) -> Result {
        var result = Result()
        var states: [String: EtherNetIP.State] = [:]
        var streams: [String: Stream] = [:]
        var ioStates: [String: EtherNetIPIO.State] = [:]
        _ = CaptureSet(paths: [path]).forEachPacket { header, bytes in
            var packet = DecodedPacket()
            guard PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet) == nil,
                packet.transport == .tcp || packet.transport == .udp, !packet.isFragment
            else { return }
            if packet.transport == .udp, packet.destinationPort == 2222 || packet.sourcePort == 2222 {
                let end = min(bytes.count, packet.payloadOffset + packet.payloadLength)
                guard packet.payloadOffset <= end else { return }
                let flow = "\(packet.source):\(packet.sourcePort)-\(packet.destination):\(packet.destinationPort)"
                var state = ioStates[flow] ?? EtherNetIPIO.makeState()
                do throws(DissectError) {
                    let datagram = bytes.extracting(packet.payloadOffset..<end)
                    let (parsed, _) = try EtherNetIPIO.parse(
                        datagram, direction: .toServer, time: header.timestamp, state: &state)
                    result.io[Int(parsed.connectionID), default: 0] += 1
                } catch {
                    result.malformed += 1
                }
                ioStates[flow] = state
                return
            }
            let toServer = packet.destinationPort == 44818
            guard toServer || packet.sourcePort == 44818 else { return }
            let direction: Direction = toServer ? .toServer : .toClient
            let client = Endpoint(
                address: toServer ? packet.source : packet.destination,
                port: toServer ? packet.sourcePort : packet.destinationPort)
            let server = Endpoint(
                address: toServer ? packet.destination : packet.source,
                port: toServer ? packet.destinationPort : packet.sourcePort)
            let end = min(bytes.count, packet.payloadOffset + packet.payloadLength)
            guard packet.payloadOffset <= end else { return }
            let payload = Array(bytes.extracting(packet.payloadOffset..<end).bytesArray)
            let flow = "\(packet.transport)/\(client.address):\(client.port)-\(server.address):\(server.port)"
            let context = MessageContext(
                time: header.timestamp, flowID: UInt64(client.port), client: client, server: server,
                direction: direction)
            var state = states[flow] ?? EtherNetIP.makeState()
            defer { states[flow] = state }
            if packet.transport == .udp {
                var datagram = payload
                consume(&datagram, context: context, state: &state, result: &result)
                return
            }
            let key = "\(flow)/\(direction)"
            var stream = streams[key] ?? Stream()
            defer { streams[key] = stream }
            guard !payload.isEmpty else { return }
            var data = payload[...]
            if let expected = stream.nextSequence {
                let ahead = Int32(bitPattern: packet.sequence &- expected)
                if ahead > 0 {
                    stream.buffer = []
                } else if -Int(ahead) >= data.count {
                    return
                } else {
                    data = data.dropFirst(-Int(ahead))
                }
            }
            stream.nextSequence = packet.sequence &+ UInt32(payload.count)
            stream.buffer += data
            consume(&stream.buffer, context: context, state: &state, result: &result)
        }
        for state in ioStates.values {
            for connection in state.connections {
                result.ioTracked[Int(connection.id), default: 0] += Int(connection.packets)
            }
        }
        return result
    }

    /// Parses every whole message at the front of `bytes`, leaving a partial one.
    static func consume(
        _ bytes: inout [UInt8], context: MessageContext, state: inout EtherNetIP.State, result: inout Result
    ) {
        while !bytes.isEmpty {
            do throws(DissectError) {
                let (frame, consumed) = try EtherNetIP.parse(
                    bytes.span, direction: context.direction, time: context.time, state: &state)
                result.commands[frame.functionCode, default: 0] += 1
                EtherNetIP.forEachCIPService(frame, bytes: bytes.span) { result.services[$0, default: 0] += 1 }
                result.messages.append(EtherNetIP.event(frame, bytes: bytes.span, context: context, state: &state))
                result.facts += EtherNetIP.facts(frame, bytes: bytes.span, context: context)
                bytes.removeFirst(consumed)
            } catch {
                switch error {
                case .needMore: return
                case .malformed:
                    result.malformed += 1
                    bytes = []
                }
            }
        }
    }

    /// A golden file: "enip <code> <count>" and "cip <code> <count>" lines.
    static func golden(text: String) -> (commands: [Int: Int], services: [Int: Int], io: [Int: Int]) {
        var commands: [Int: Int] = [:]
        var services: [Int: Int] = [:]
        var io: [Int: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let code = Int(fields[1]), let count = Int(fields[2]) else { continue }
            switch fields[0] {
            case "enip": commands[code] = count
            case "cip": services[code] = count
            case "io": io[code] = count
            default: break
            }
        }
        return (commands, services, io)
    }
}

extension Span where Element == UInt8 {
    /// A copy of the bytes (test-only).
    var bytesArray: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for index in 0..<count { out.append(self[index]) }
        return out
    }
}
