import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Shared helpers for the IEC 104 tests: run the dissector over byte arrays and over captures.
enum IEC104Harness {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 2404)
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/iec104")

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 9, client: client, server: server, direction: direction)
    }

    /// One `parse` call over `bytes`.
    static func parse(
        _ bytes: [UInt8], _ direction: Direction, state: inout IEC104.State, time: Int64 = 0
    ) -> Result<(message: IEC104.Frame, consumed: Int), DissectError> {
        do throws(DissectError) {
            let stamp = Timestamp(nanoseconds: time)
            return .success(try IEC104.parse(bytes.span, direction: direction, time: stamp, state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses one complete APDU and builds its event; nil if it did not parse.
    static func message(
        _ bytes: [UInt8], _ direction: Direction, state: inout IEC104.State, time: Int64 = 0
    ) -> (frame: IEC104.Frame, message: Message)? {
        guard case .success(let parsed) = parse(bytes, direction, state: &state, time: time) else { return nil }
        let event = IEC104.event(
            parsed.message, bytes: bytes.span, context: context(direction, time: time), state: &state)
        return (parsed.message, event)
    }

    /// One APDU on a fresh flow.
    static func single(
        _ bytes: [UInt8], _ direction: Direction = .toClient
    ) -> (frame: IEC104.Frame, message: Message)? {
        var state = IEC104.makeState()
        return message(bytes, direction, state: &state)
    }

    /// An I frame: APCI with N(S)/N(R) and the ASDU bytes.
    static func iFrame(send: UInt16 = 0, receive: UInt16 = 0, _ asdu: [UInt8]) -> [UInt8] {
        let s = send << 1, r = receive << 1
        return [0x68, UInt8(truncatingIfNeeded: 4 + asdu.count), UInt8(s & 0xff), UInt8(s >> 8),
            UInt8(r & 0xff), UInt8(r >> 8)] + asdu
    }

    // MARK: - Captures

    struct CaptureResult {
        var functions: [Int: Int] = [:]
        var formats: [IEC104.Format: Int] = [:]
        var malformed = 0
        var messages: [Message] = []
        var facts: [AssetFact] = []
    }

    /// One TCP direction of a flow as the engine sees it: in-order bytes not yet used, whether
    /// framing is lost, whether the flow's probe matched.
    struct Lane {
        var buffer: [UInt8] = []
        var nextSequence: UInt32?
        var lost = false
    }

    /// Every port-2404 payload of a capture, read with the real reader and decoder, through the
    /// dissector the way ApplicationLayer runs it: retransmitted bytes skipped, a sequence gap
    /// marks the direction lost (resynchronise first), malformed framing resynchronises past the
    /// bad byte, and a flow is confirmed by `probe` (bytes it rejects are dropped).
    static func run(_ path: String) -> CaptureResult {
        var lanes: [String: Lane] = [:]
        var states: [String: IEC104.State] = [:]
        var confirmed: Set<String> = []
        var result = CaptureResult()
        CaptureSet(paths: [path]).forEachPacket { header, frame in
            var packet = DecodedPacket()
            guard PacketDecoder.decode(frame, linkType: header.linkType, into: &packet) == nil,
                packet.transport == .tcp, packet.payloadLength > 0
            else { return }
            let toServer = packet.destinationPort == 2404
            guard toServer || packet.sourcePort == 2404 else { return }
            let direction: Direction = toServer ? .toServer : .toClient
            let clientPort = toServer ? packet.sourcePort : packet.destinationPort
            let clientAddress = toServer ? packet.source : packet.destination
            let serverAddress = toServer ? packet.destination : packet.source
            let flow = "\(clientAddress):\(clientPort)-\(serverAddress)"
            let key = "\(flow)/\(direction.name)"
            var payload = (0..<packet.payloadLength).map { frame[packet.payloadOffset + $0] }[...]
            var lane = lanes[key] ?? Lane()
            if let expected = lane.nextSequence {
                let ahead = Int32(bitPattern: packet.sequence &- expected)
                if ahead > 0 {
                    lane.buffer = []
                    lane.lost = true
                } else if -Int(ahead) >= payload.count {
                    return
                } else {
                    payload = payload.dropFirst(-Int(ahead))
                }
            }
            lane.nextSequence = packet.sequence &+ UInt32(packet.payloadLength)
            lane.buffer += payload
            var state = states[flow] ?? IEC104.makeState()
            let context = MessageContext(
                time: header.timestamp, flowID: UInt64(clientPort),
                client: Endpoint(address: clientAddress, port: clientPort),
                server: Endpoint(address: serverAddress, port: 2404), direction: direction)
            let used = dissect(
                lane.buffer, lane: &lane, confirmed: confirmed.contains(flow), state: &state, context: context,
                result: &result)
            if used.confirmed { confirmed.insert(flow) }
            lane.buffer.removeFirst(min(used.count, lane.buffer.count))
            lanes[key] = lane
            states[flow] = state
        }
        return result
    }

    /// The engine's `run` loop over one delivery; returns how many bytes it used.
    static func dissect(
        _ bytes: [UInt8], lane: inout Lane, confirmed: Bool, state: inout IEC104.State, context: MessageContext,
        result: inout CaptureResult
    ) -> (count: Int, confirmed: Bool) {
        let span = bytes.span
        var used = 0
        var isConfirmed = confirmed
        if lane.lost {
            guard let start = IEC104.resynchronize(span, direction: context.direction) else {
                return (bytes.count, isConfirmed)
            }
            lane.lost = false
            used = start
        }
        if !isConfirmed {
            switch IEC104.probe(span.extracting(used..<span.count), direction: context.direction) {
            case .needMore: return (used, false)
            case .match: isConfirmed = true
            case .reject:
                lane.lost = true
                return (bytes.count, false)
            }
        }
        while used < bytes.count {
            let rest = span.extracting(used..<span.count)
            do throws(DissectError) {
                let (frame, consumed) = try IEC104.parse(
                    rest, direction: context.direction, time: context.time, state: &state)
                if frame.hasFunction { result.functions[frame.functionCode, default: 0] += 1 }
                result.formats[frame.format, default: 0] += 1
                let apdu = rest.extracting(0..<consumed)
                result.messages.append(IEC104.event(frame, bytes: apdu, context: context, state: &state))
                result.facts += IEC104.facts(frame, bytes: apdu, context: context)
                used += consumed
            } catch {
                guard case .malformed = error else { return (used, isConfirmed) }
                result.malformed += 1
                let after = span.extracting((used + 1)..<span.count)
                guard let skip = IEC104.resynchronize(after, direction: context.direction) else {
                    lane.lost = true
                    return (bytes.count, isConfirmed)
                }
                used += 1 + skip
            }
        }
        return (used, isConfirmed)
    }

    /// The golden file: "<type id> <count>" lines and "i_frames/s_frames/u_frames <count>".
    static func golden(_ name: String) throws -> (functions: [Int: Int], formats: [IEC104.Format: Int]) {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        var functions: [Int: Int] = [:]
        var formats: [IEC104.Format: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let count = Int(fields[1]) else { continue }
            switch fields[0] {
            case "i_frames": formats[.information] = count
            case "s_frames": formats[.supervisory] = count
            case "u_frames": formats[.unnumbered] = count
            default: if let code = Int(fields[0]) { functions[code] = count }
            }
        }
        return (functions, formats)
    }
}
