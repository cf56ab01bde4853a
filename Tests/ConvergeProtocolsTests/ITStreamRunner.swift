import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Test-only: a real capture through the real reader and decoder, each TCP direction to one of
/// `ports` spliced in order and fed to a dissector, probe first, as the engine does. Shared by the
/// TLS, SSH and HTTP capture tests.
enum ITStreamRunner {
    struct Result {
        var functions: [Int: Int] = [:]
        var parsed = 0
        var malformed = 0
        var rejectedFlows = 0
        var messages: [Message] = []
        var facts: [AssetFact] = []
        var errors: [String] = []
    }

    struct Segment {
        var time: Timestamp
        var source: Endpoint
        var destination: Endpoint
        var sequence: UInt32
        var payload: [UInt8]
    }

    /// The engine's `ApplicationLayer.maxProbeRejects`.
    static let maxProbeRejects = 4

    static func segments(_ path: String, ports: Set<UInt16>) -> (segments: [Segment], errors: [String]) {
        var segments: [Segment] = []
        var packet = DecodedPacket()
        let errors = CaptureSet(paths: [path]).forEachPacket { header, bytes in
            _ = PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet)
            guard packet.transport == .tcp, packet.payloadLength > 0,
                ports.contains(packet.sourcePort) || ports.contains(packet.destinationPort),
                packet.payloadOffset >= 0, packet.payloadOffset + packet.payloadLength <= bytes.count
            else { return }
            var payload: [UInt8] = []
            payload.reserveCapacity(packet.payloadLength)
            for index in packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength) {
                payload.append(bytes[index])
            }
            segments.append(
                Segment(
                    time: header.timestamp, source: Endpoint(address: packet.source, port: packet.sourcePort),
                    destination: Endpoint(address: packet.destination, port: packet.destinationPort),
                    sequence: packet.sequence, payload: payload))
        }
        return (segments, errors.map { "\($0)" })
    }

    /// `maxProbeRejects`: deliveries the probe may turn down before the flow is given up (the
    /// engine's by default; 1 gives a flow up at the first).
    static func run<D: Dissector>(
        _ dissector: D.Type, path: String, ports: Set<UInt16>, events: Bool = true,
        maxProbeRejects: Int = maxProbeRejects
    ) -> Result {
        let (segments, errors) = segments(path, ports: ports)
        var result = Result(errors: errors)
        var states: [String: D.State] = [:]
        var confirmed: Set<String> = []
        var rejected: Set<String> = []
        var buffers: [String: [UInt8]] = [:]
        var nextSequence: [String: UInt32] = [:]
        var lost: Set<String> = []
        var probeRejects: [String: Int] = [:]
        for segment in segments {
            let toServer = ports.contains(segment.destination.port)
            let direction: Direction = toServer ? .toServer : .toClient
            let client = toServer ? segment.source : segment.destination
            let server = toServer ? segment.destination : segment.source
            let flow = "\(client.address):\(client.port)-\(server.address):\(server.port)"
            guard !rejected.contains(flow) else { continue }
            let stream = "\(flow)/\(direction.name)"
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
            if !confirmed.contains(flow) {
                switch D.probe(bytes.span, direction: direction) {
                case .needMore:
                    buffers[stream] = bytes
                    continue
                case .reject:
                    // As the engine does: drop this delivery and look for a message boundary in the
                    // next one, giving the flow up after `maxProbeRejects` (a flow joined mid-message).
                    probeRejects[flow, default: 0] += 1
                    buffers[stream] = []
                    if probeRejects[flow, default: 0] >= maxProbeRejects {
                        rejected.insert(flow)
                        result.rejectedFlows += 1
                    } else {
                        lost.insert(stream)
                    }
                    continue
                case .match:
                    confirmed.insert(flow)
                }
            }
            var state = states[flow] ?? D.makeState()
            let context = MessageContext(
                time: segment.time, flowID: 1, client: client, server: server, direction: direction)
            parsing: while !bytes.isEmpty {
                do throws(DissectError) {
                    let (message, consumed) = try D.parse(
                        bytes.span, direction: direction, time: segment.time, state: &state)
                    guard consumed > 0 else { break parsing }
                    guard message.isMessage else {
                        // Stepped-over bytes (encrypted records, bodies): neither counted nor
                        // turned into events, as in the engine.
                        bytes.removeFirst(min(consumed, bytes.count))
                        continue parsing
                    }
                    result.parsed += 1
                    if message.hasFunction { result.functions[message.functionCode, default: 0] += 1 }
                    if events {
                        let used = Array(bytes[0..<min(consumed, bytes.count)])
                        result.messages.append(D.event(message, bytes: used.span, context: context, state: &state))
                        result.facts += D.facts(message, bytes: used.span, context: context, state: state)
                    }
                    bytes.removeFirst(min(consumed, bytes.count))
                } catch {
                    guard case .malformed = error else { break parsing }
                    result.malformed += 1
                    let after = Array(bytes.dropFirst())
                    guard let skip = D.resynchronize(after.span, direction: direction) else {
                        bytes = []
                        lost.insert(stream)
                        break parsing
                    }
                    bytes.removeFirst(1 + skip)
                }
            }
            buffers[stream] = bytes
            states[flow] = state
        }
        return result
    }

    /// A golden file: `<code> <count>` lines; `#` lines are comments.
    static func golden(_ text: String) -> [Int: Int] {
        var functions: [Int: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let code = Int(fields[0]), let count = Int(fields[1]) else { continue }
            functions[code] = count
        }
        return functions
    }

    /// `Tests/Fixtures/<area>/<name>`.
    static func fixture(_ area: String, _ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(area).appendingPathComponent(name).path
    }

    /// `../shared/captures/<relative>` from the package root, nil when the shared folder is missing.
    static func shared(_ relative: String) -> String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/captures").appendingPathComponent(
            relative
        ).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}
