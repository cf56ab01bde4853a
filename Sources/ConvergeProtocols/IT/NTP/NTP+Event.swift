import ConvergeModel

extension NTP {
    public static func modeName(_ mode: UInt8) -> String {
        switch mode {
        case 1: "symmetric_active"
        case 2: "symmetric_passive"
        case 3: "client"
        case 4: "server"
        case 5: "broadcast"
        case 6: "control"
        case 7: "private"
        default: "reserved"
        }
    }

    /// Time requests and answers are reads; control writes (opcodes 8 write variables, 9 write
    /// clock) are writes; other control and private traffic is diagnostic.
    public static func operation(_ packet: Packet) -> Operation {
        switch packet.mode {
        case 1, 2: .session
        case 3, 4, 5: .read
        case 6: packet.opcode == 8 || packet.opcode == 9 ? .write : .diagnostic
        case 7: .diagnostic
        default: .other
        }
    }

    /// The reference id as text: at stratum 0 (kiss code) and 1 a four-character source ("GPS",
    /// "PPS"), above it the upstream server's IPv4 address (for IPv6 upstreams, a hash shown the same way).
    public static func referenceText(_ packet: Packet) -> String {
        let id = packet.referenceID
        let octets = [UInt8(truncatingIfNeeded: id >> 24), UInt8(truncatingIfNeeded: id >> 16),
                      UInt8(truncatingIfNeeded: id >> 8), UInt8(truncatingIfNeeded: id)]
        if packet.stratum <= 1 {
            let printable = octets.prefix { $0 != 0 }.map { (0x20...0x7e).contains($0) ? $0 : UInt8(ascii: "?") }
            return String(decoding: printable, as: UTF8.self)
        }
        return octets.map(String.init).joined(separator: ".")
    }

    /// Target kinds: the reference (address = stratum, name = the reference id text).
    public enum TargetKind {
        public static let reference = "reference"
        public static let control = "control_opcode"
    }

    public static func event(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var targets: [Message.Target] = []
        if parsed.hasHeader, parsed.mode >= 1, parsed.mode <= 5 {
            targets.append(
                Message.Target(kind: TargetKind.reference, address: Int(parsed.stratum), name: referenceText(parsed)))
        } else if parsed.hasHeader {
            targets.append(Message.Target(kind: TargetKind.control, address: Int(parsed.opcode)))
        }
        let status: Message.Status = parsed.mode == 3 || ((parsed.mode == 6 || parsed.mode == 7) && !parsed.isReply)
            ? .pending : .ok
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: modeName(parsed.mode), operation: operation(parsed), targets: targets, status: status,
            anomalies: parsed.anomalies.names)
    }

    /// Roles: the sender of a server or broadcast packet with a valid stratum (1–15) is a time
    /// server (its stratum in the value); the sender of a client packet is a time client.
    public static func facts(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.hasHeader else { return [] }
        let sender = parsed.direction == .toServer ? context.client.address : context.server.address
        func fact(_ value: String) -> [AssetFact] {
            let source = "ntp/" + modeName(parsed.mode)
            return [AssetFact(time: context.time, address: sender, kind: .role, value: value, source: source)]
        }
        let validStratum = parsed.stratum >= 1 && parsed.stratum <= 15
        switch parsed.mode {
        case 4 where validStratum, 5 where validStratum:
            return fact("ntp_server stratum \(parsed.stratum) ref \(referenceText(parsed))")
        case 3:
            return fact("ntp_client")
        default:
            return []
        }
    }
}
