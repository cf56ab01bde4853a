import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Test-only runner shared by the DNS, mDNS, LLMNR, DHCP, NetBIOS and SSDP tests: parse helpers
/// over byte arrays, and real captures through the real reader and decoder into one dissector,
/// probe first, with one state per flow as the engine keeps it. UDP datagrams go in one per call;
/// TCP directions are spliced in order (a hole drops what was buffered).
enum NameServiceHarness {
    static let fixturesRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ folder: String, _ name: String) -> URL {
        fixturesRoot.appendingPathComponent(folder).appendingPathComponent(name)
    }

    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 40000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 53)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 7, client: client, server: server, direction: direction)
    }

    /// The dissector's probe over an array.
    static func probe<D: Dissector>(_ dissector: D.Type, _ bytes: [UInt8], _ direction: Direction = .toServer)
        -> ProbeResult
    {
        D.probe(bytes.span, direction: direction)
    }

    /// A DNS name decoded from an array.
    static func dnsName(_ bytes: [UInt8], at offset: Int) -> String? {
        DNS.name(bytes.span, at: offset, base: 0, end: bytes.count)
    }

    /// One `parse` call.
    static func parse<D: Dissector>(
        _ dissector: D.Type, _ bytes: [UInt8], _ direction: Direction = .toServer, state: inout D.State,
        time: Int64 = 0
    ) -> Result<(message: D.Parsed, consumed: Int), DissectError> {
        do throws(DissectError) {
            return .success(
                try D.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: time), state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parse, event and facts of one message on a fresh state (or the given one).
    static func run<D: Dissector>(
        _ dissector: D.Type, _ bytes: [UInt8], _ direction: Direction = .toServer, time: Int64 = 0,
        context: MessageContext? = nil
    ) -> (parsed: D.Parsed, message: Message, facts: [AssetFact])? {
        var state = D.makeState()
        guard case .success(let parsed) = parse(D.self, bytes, direction, state: &state, time: time) else {
            return nil
        }
        let context = context ?? self.context(direction, time: time)
        let message = D.event(parsed.message, bytes: bytes.span, context: context, state: &state)
        return (parsed.message, message, D.facts(parsed.message, bytes: bytes.span, context: context, state: state))
    }

    struct CaptureResult {
        var functions: [Int: Int] = [:]
        /// Sub-functions (`Dissector.forEachSubFunction`) under the dissector's `subFunctionsName`.
        var subFunctions: [Int: Int] = [:]
        var subFunctionsName: String?
        var malformed = 0
        var rejected = 0
        var messages: [Message] = []
        var facts: [AssetFact] = []
        var errors: [String] = []
        /// The golden file's form: "function <code> <count>".
        var golden: [String: Int] {
            var out: [String: Int] = [:]
            for (code, count) in functions { out["function \(code)"] = count }
            if let name = subFunctionsName {
                for (code, count) in subFunctions { out["\(name) \(code)"] = count }
            }
            return out
        }
    }

    private struct Datagram {
        var time: Timestamp
        var source: Endpoint
        var destination: Endpoint
        var isTCP: Bool
        var sequence: UInt32
        var payload: [UInt8]
    }

    /// Every UDP datagram (and TCP segment) with a port in `ports` on either end, through `D`.
    static func run<D: Dissector>(
        _ dissector: D.Type, capture url: URL, udpPorts: Set<UInt16> = [], tcpPorts: Set<UInt16> = []
    ) -> CaptureResult {
        var result = CaptureResult()
        result.subFunctionsName = D.subFunctionsName
        var datagrams: [Datagram] = []
        var packet = DecodedPacket()
        let errors = CaptureSet(paths: [url.path]).forEachPacket { header, bytes in
            _ = PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet)
            let ports: Set<UInt16>
            switch packet.transport {
            case .udp: ports = udpPorts
            case .tcp: ports = tcpPorts
            default: return
            }
            guard packet.payloadLength > 0, ports.contains(packet.sourcePort) || ports.contains(packet.destinationPort),
                packet.payloadOffset >= 0, packet.payloadOffset + packet.payloadLength <= bytes.count
            else { return }
            var payload: [UInt8] = []
            for index in packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength) {
                payload.append(bytes[index])
            }
            datagrams.append(
                Datagram(
                    time: header.timestamp, source: Endpoint(address: packet.source, port: packet.sourcePort),
                    destination: Endpoint(address: packet.destination, port: packet.destinationPort),
                    isTCP: packet.transport == .tcp, sequence: packet.sequence, payload: payload))
        }
        result.errors = errors.map { "\($0)" }
        var states: [String: D.State] = [:]
        var clients: [String: Endpoint] = [:]
        var confirmed: Set<String> = []
        var buffers: [String: [UInt8]] = [:]
        var nextSequence: [String: UInt32] = [:]
        for datagram in datagrams {
            let ports = datagram.isTCP ? tcpPorts : udpPorts
            let flow = [datagram.source.description, datagram.destination.description].sorted().joined(separator: "|")
            let toService = ports.contains(datagram.destination.port)
            let fromService = ports.contains(datagram.source.port)
            let clientEnd: Endpoint
            if toService != fromService {
                clientEnd = toService ? datagram.source : datagram.destination
            } else {
                clientEnd = clients[flow] ?? datagram.source
            }
            clients[flow] = clientEnd
            let direction: Direction = datagram.source == clientEnd ? .toServer : .toClient
            let serverEnd = direction == .toServer ? datagram.destination : datagram.source
            var bytes = datagram.payload
            let lane = flow + "/" + direction.name
            if datagram.isTCP {
                if let expected = nextSequence[lane] {
                    let ahead = Int32(bitPattern: datagram.sequence &- expected)
                    if ahead > 0 {
                        buffers[lane] = []
                    } else if -Int(ahead) >= bytes.count {
                        continue
                    } else {
                        bytes.removeFirst(-Int(ahead))
                    }
                }
                nextSequence[lane] = datagram.sequence &+ UInt32(datagram.payload.count)
                bytes = buffers[lane, default: []] + bytes
            }
            if !confirmed.contains(flow) {
                switch D.probe(bytes.span, direction: direction) {
                case .needMore:
                    if datagram.isTCP { buffers[lane] = bytes } else { result.rejected += 1 }
                    continue
                case .reject:
                    result.rejected += 1
                    continue
                case .match:
                    confirmed.insert(flow)
                }
            }
            var state = states[flow] ?? D.makeState()
            let context = MessageContext(
                time: datagram.time, flowID: 1, client: clientEnd, server: serverEnd, direction: direction)
            var offset = 0
            parsing: while offset < bytes.count {
                let rest = Array(bytes[offset...])
                do throws(DissectError) {
                    let (parsed, consumed) = try D.parse(
                        rest.span, direction: direction, time: datagram.time, state: &state)
                    guard consumed > 0 else { break parsing }
                    if parsed.hasFunction { result.functions[parsed.functionCode, default: 0] += 1 }
                    let used = Array(rest[0..<min(consumed, rest.count)])
                    D.forEachSubFunction(parsed, bytes: used.span) { result.subFunctions[$0, default: 0] += 1 }
                    result.messages.append(D.event(parsed, bytes: used.span, context: context, state: &state))
                    result.facts += D.facts(parsed, bytes: used.span, context: context, state: state)
                    offset += consumed
                } catch {
                    if case .malformed = error {
                        result.malformed += 1
                        offset = bytes.count
                    }
                    break parsing
                }
            }
            if datagram.isTCP { buffers[lane] = Array(bytes[min(offset, bytes.count)...]) }
            states[flow] = state
        }
        return result
    }

    /// A golden file: "function <code> <count>" lines; '#' starts a comment line.
    static func golden(_ url: URL) throws -> [String: Int] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let count = Int(fields[2]) else { continue }
            counts["\(fields[0]) \(fields[1])"] = count
        }
        return counts
    }
}
