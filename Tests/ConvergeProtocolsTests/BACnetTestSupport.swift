import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Shared helpers for the BACnet tests: run the dissector over byte arrays and over captures.
enum BACnetHarness {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 47808)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 47808)
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bacnet")

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 9, client: client, server: server, direction: direction)
    }

    /// One `parse` call over `bytes`.
    static func parse(
        _ bytes: [UInt8], _ direction: Direction = .toServer, state: inout BACnetIP.State, time: Int64 = 0
    ) -> Result<(message: BACnetIP.Frame, consumed: Int), DissectError> {
        do throws(DissectError) {
            let stamp = Timestamp(nanoseconds: time)
            return .success(try BACnetIP.parse(bytes.span, direction: direction, time: stamp, state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses a datagram on a fresh or given state; nil if it did not parse.
    static func frame(
        _ bytes: [UInt8], _ direction: Direction = .toServer, state: inout BACnetIP.State, time: Int64 = 0
    )
        -> BACnetIP.Frame?
    {
        guard case .success(let parsed) = parse(bytes, direction, state: &state, time: time) else { return nil }
        return parsed.message
    }

    static func frame(_ bytes: [UInt8], _ direction: Direction = .toServer) -> BACnetIP.Frame? {
        var state = BACnetIP.makeState()
        return frame(bytes, direction, state: &state)
    }

    /// Parses and builds the event, facts and process values of one datagram.
    static func message(
        _ bytes: [UInt8], _ direction: Direction = .toServer, state: inout BACnetIP.State, time: Int64 = 0
    ) -> (frame: BACnetIP.Frame, message: Message, facts: [AssetFact], values: [ProcessValue])? {
        guard let frame = frame(bytes, direction, state: &state, time: time) else { return nil }
        let context = context(direction, time: time)
        let message = BACnetIP.event(frame, bytes: bytes.span, context: context, state: &state)
        return (
            frame, message, BACnetIP.facts(frame, bytes: bytes.span, context: context),
            BACnetIP.processValues(frame, bytes: bytes.span, context: context)
        )
    }

    static func message(_ bytes: [UInt8], _ direction: Direction = .toServer)
        -> (frame: BACnetIP.Frame, message: Message, facts: [AssetFact], values: [ProcessValue])?
    {
        var state = BACnetIP.makeState()
        return message(bytes, direction, state: &state)
    }

    /// What a capture gave: counts by golden key ("confirmed 12", "unconfirmed 8", "type 3"), and
    /// every event, fact and value.
    struct CaptureResult {
        var counts: [String: Int] = [:]
        var malformed = 0
        var messages: [Message] = []
        var facts: [AssetFact] = []
        var values: [ProcessValue] = []
    }

    /// Every UDP datagram to or from port 47808, read with the real reader and decoder, through
    /// `parse` in capture order; one state per flow (address/port pair), the first sender being
    /// the client, as the engine does.
    static func run(url: URL) -> CaptureResult {
        var result = CaptureResult()
        var states: [String: BACnetIP.State] = [:]
        var clients: [String: String] = [:]
        let set = CaptureSet(paths: [url.path])
        let errors = set.forEachPacket { header, bytes in
            var packet = DecodedPacket()
            _ = PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet)
            guard packet.transport == .udp, packet.destinationPort == 47808 || packet.sourcePort == 47808,
                packet.payloadLength > 0, packet.payloadOffset &+ packet.payloadLength <= bytes.count
            else { return }
            let payload = bytes.extracting(packet.payloadOffset..<(packet.payloadOffset &+ packet.payloadLength))
            let source = "\(packet.source):\(packet.sourcePort)"
            let destination = "\(packet.destination):\(packet.destinationPort)"
            let flow = [source, destination].sorted().joined(separator: "|")
            let clientName = clients[flow] ?? source
            clients[flow] = clientName
            let direction: Direction = source == clientName ? .toServer : .toClient
            let time = Timestamp(nanoseconds: header.timestamp.nanoseconds)
            let clientEnd = Endpoint(
                address: direction == .toServer ? packet.source : packet.destination,
                port: direction == .toServer ? packet.sourcePort : packet.destinationPort)
            let serverEnd = Endpoint(
                address: direction == .toServer ? packet.destination : packet.source,
                port: direction == .toServer ? packet.destinationPort : packet.sourcePort)
            let context = MessageContext(
                time: time, flowID: 1, client: clientEnd, server: serverEnd, direction: direction)
            var state = states[flow] ?? BACnetIP.makeState()
            do throws(DissectError) {
                let (frame, _) = try BACnetIP.parse(payload, direction: direction, time: time, state: &state)
                if frame.isConfirmedService, let service = frame.serviceChoice {
                    result.counts["confirmed \(service)", default: 0] += 1
                } else if frame.isUnconfirmedService, let service = frame.serviceChoice {
                    result.counts["unconfirmed \(service)", default: 0] += 1
                }
                if frame.hasAPDU, frame.pdu != nil { result.counts["type \(frame.pduType)", default: 0] += 1 }
                result.messages.append(BACnetIP.event(frame, bytes: payload, context: context, state: &state))
                result.facts += BACnetIP.facts(frame, bytes: payload, context: context)
                result.values += BACnetIP.processValues(frame, bytes: payload, context: context)
            } catch {
                result.malformed += 1
            }
            states[flow] = state
        }
        precondition(errors.isEmpty, "capture errors: \(errors)")
        return result
    }

    /// A golden file: "<kind> <code> <count>" lines.
    static func golden(_ name: String) throws -> [String: Int] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let count = Int(fields[2]) else { continue }
            counts["\(fields[0]) \(fields[1])"] = count
        }
        return counts
    }
}
