import ConvergeCapture
import ConvergeModel
import Foundation

@testable import ConvergeProtocols

/// Runs a datagram dissector over a real capture with the real reader and decoder, the way the
/// engine does: one `parse` per UDP datagram to or from one of `ports`, one state per address/port
/// pair, the first sender being the client. Shared by the SNMP, NTP, Syslog and RADIUS tests.
enum ITUDPCaptureHarness {
    struct Result<D: Dissector> {
        /// Function code → count, as the engine counts them (`protocols.<name>.functions`).
        var functions: [Int: Int] = [:]
        var messages = 0
        var malformed = 0
        var parsed: [D.Parsed] = []
        var events: [Message] = []
        var facts: [AssetFact] = []
    }

    /// The package's `../shared` folder (nil when missing: tests that need it skip).
    static let shared: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    static func fixtures(_ area: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(area)")
    }

    static func run<D: Dissector>(_ dissector: D.Type, url: URL, ports: Set<UInt16>) -> Result<D> {
        var result = Result<D>()
        var states: [String: D.State] = [:]
        var clients: [String: String] = [:]
        let errors = CaptureSet(paths: [url.path]).forEachPacket { header, bytes in
            var packet = DecodedPacket()
            _ = PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet)
            guard packet.transport == .udp, !packet.isFragment || packet.fragmentOffset == 0,
                ports.contains(packet.destinationPort) || ports.contains(packet.sourcePort),
                packet.payloadLength > 0, packet.payloadOffset < bytes.count
            else { return }
            let end = min(packet.payloadOffset &+ packet.payloadLength, bytes.count)
            let payload = bytes.extracting(packet.payloadOffset..<end)
            let source = "\(packet.source):\(packet.sourcePort)"
            let destination = "\(packet.destination):\(packet.destinationPort)"
            let flow = [source, destination].sorted().joined(separator: "|")
            let clientName = clients[flow] ?? source
            clients[flow] = clientName
            let direction: Direction = source == clientName ? .toServer : .toClient
            let time = Timestamp(nanoseconds: header.timestamp.nanoseconds)
            let sourceEnd = Endpoint(address: packet.source, port: packet.sourcePort)
            let destinationEnd = Endpoint(address: packet.destination, port: packet.destinationPort)
            let context = MessageContext(
                time: time, flowID: 1, client: direction == .toServer ? sourceEnd : destinationEnd,
                server: direction == .toServer ? destinationEnd : sourceEnd, direction: direction)
            var state = states[flow] ?? D.makeState()
            do throws(DissectError) {
                let (message, _) = try D.parse(payload, direction: direction, time: time, state: &state)
                result.messages += 1
                if message.hasFunction { result.functions[message.functionCode, default: 0] += 1 }
                result.parsed.append(message)
                result.events.append(D.event(message, bytes: payload, context: context, state: &state))
                result.facts += D.facts(message, bytes: payload, context: context, state: state)
            } catch {
                result.malformed += 1
            }
            states[flow] = state
        }
        precondition(errors.isEmpty, "capture errors: \(errors)")
        return result
    }

    /// A golden file of `messages <n>` and `function <code> <n>` lines (`#` starts a comment).
    static func golden(_ url: URL) throws -> (messages: Int, functions: [Int: Int]) {
        let text = try String(contentsOf: url, encoding: .utf8)
        var messages = 0
        var functions: [Int: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "messages", let n = Int(fields[1]) { messages = n }
            if fields.count == 3, fields[0] == "function", let code = Int(fields[1]), let n = Int(fields[2]) {
                functions[code] = n
            }
        }
        return (messages, functions)
    }
}
