import ConvergeModel
import ConvergeWire

/// Beckhoff ADS over UDP 48899: the discovery and add-route service TwinCAT engineering tools use
/// to find controllers and register a route (with a user name and a cleartext password).
///
/// A datagram is a 4-byte magic (03 66 14 71), invoke id (4), service id (4, bit 31 set on
/// responses: 1 discovery, 6 add route), the sender's AMS NetId (6) and port (2), a tag count (4)
/// and that many tags (id 2, length 2, data), all little-endian. tshark 4.0.17 has no dissector
/// for it (it shows `data`), so counts are checked against the service id bytes it prints.
public enum ADSUDP: Dissector {
    public struct Frame: ParsedMessage, Sendable {
        public var invokeID: UInt32 = 0
        public var serviceID: UInt32 = 0
        public var netID: UInt64 = 0
        public var port: UInt16 = 0
        public var tagCount: UInt32 = 0
        /// Tags actually walked (at most `maxTags`).
        public var tagsSeen = 0
        /// The status tag of a response (0 = ok).
        public var status: UInt32 = 0
        /// A request carries a password tag (sent in clear).
        public var hasPassword = false
        public var truncated = false

        public var functionCode: Int { Int(serviceID & 0x7fff_ffff) }
        public var hasFunction: Bool { true }
        public var isResponse: Bool { serviceID & 0x8000_0000 != 0 }
    }

    public typealias Parsed = Frame
    public typealias State = Void

    public static let magic: UInt32 = 0x7114_6603
    public static let headerLength = 24
    /// Tags walked per datagram at most (a real one has fewer than ten).
    public static let maxTags = 64

    public enum Tag {
        public static let status: UInt16 = 1
        public static let password: UInt16 = 2
        public static let twinCATVersion: UInt16 = 3
        public static let hostName: UInt16 = 5
        public static let netID: UInt16 = 7
        public static let routeName: UInt16 = 12
        public static let userName: UInt16 = 13
    }

    public static var name: String { "ads_udp" }
    public static var portHints: PortHints { PortHints(udp: [48899]) }
    public static func makeState() -> State { () }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let value = ADS.u32(bytes, 0) else { return .needMore }
        return value == magic ? .match : .reject
    }

    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        guard let value = ADS.u32(bytes, 0) else { throw .needMore(headerLength) }
        guard value == magic else { throw .malformed("ads_udp: magic \(value) is not 0x71146603") }
        guard bytes.count >= headerLength, let invoke = ADS.u32(bytes, 4), let service = ADS.u32(bytes, 8),
            let count = ADS.u32(bytes, 20)
        else { throw .needMore(headerLength) }
        var frame = Frame(invokeID: invoke, serviceID: service, netID: ADS.netID(bytes, 12) ?? 0,
            port: ADS.u16(bytes, 18) ?? 0, tagCount: count)
        forEachTag(bytes, frame: &frame) { id, offset, length, frame in
            if id == Tag.status, let status = ADS.u32(bytes, offset), length >= 4 { frame.status = status }
            if id == Tag.password { frame.hasPassword = true }
        }
        return (frame, bytes.count)
    }

    /// Walks at most `maxTags` tags that fit in `bytes`; a tag running past the end stops the walk.
    static func forEachTag(
        _ bytes: Span<UInt8>, frame: inout Frame, _ body: (UInt16, Int, Int, inout Frame) -> Void
    ) {
        var offset = headerLength
        var index = 0
        while index < min(Int(frame.tagCount), maxTags) {
            guard let id = ADS.u16(bytes, offset), let length = ADS.u16(bytes, offset &+ 2),
                offset &+ 4 &+ Int(length) <= bytes.count
            else { frame.truncated = true; return }
            body(id, offset &+ 4, Int(length), &frame)
            offset = offset &+ 4 &+ Int(length)
            index &+= 1
            frame.tagsSeen = index
        }
    }

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var anomalies: [String] = []
        if parsed.truncated { anomalies.append("ads_udp.invalid_length") }
        if parsed.hasPassword { anomalies.append("ads_udp.cleartext_password") }
        let status: Message.Status =
            !parsed.isResponse ? .pending
            : parsed.status == 0 ? .ok : .exception(code: Int(parsed.status), name: ADS.errorName(parsed.status))
        var targets = [Message.Target(kind: "ams_source", address: Int(parsed.port), name: ADS.netIDText(parsed.netID))]
        var copy = parsed
        forEachTag(bytes, frame: &copy) { id, offset, length, _ in
            if id == Tag.routeName || id == Tag.userName {
                let kind = id == Tag.routeName ? "route_name" : "user_name"
                let text = ADS.text(bytes, from: offset, length: length)
                targets.append(Message.Target(kind: kind, address: 0, name: text))
            }
        }
        let functionName: String =
            switch parsed.functionCode {
            case 1: "discovery"
            case 6: "add_route"
            default: "unknown"
            }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: functionName, operation: parsed.functionCode == 6 ? .auth : .discovery,
            targets: targets, status: status, anomalies: anomalies)
    }

    /// A discovery response names the host and its TwinCAT version.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.isResponse, parsed.functionCode == 1 else { return [] }
        let sender = context.direction == .toClient ? context.server : context.client
        var facts: [AssetFact] = []
        var copy = parsed
        forEachTag(bytes, frame: &copy) { id, offset, length, _ in
            if id == Tag.hostName {
                let host = ADS.text(bytes, from: offset, length: length)
                if !host.isEmpty {
                    facts.append(
                        AssetFact(
                            time: context.time, address: sender.address, kind: .hostname, value: host, source: name))
                }
            }
            if id == Tag.twinCATVersion, length >= 4, let major = bytes.byte(at: offset),
                let minor = bytes.byte(at: offset &+ 1), let build = ADS.u16(bytes, offset &+ 2)
            {
                facts.append(
                    AssetFact(
                        time: context.time, address: sender.address, kind: .software, value: "TwinCAT", source: name))
                facts.append(
                    AssetFact(
                        time: context.time, address: sender.address, kind: .firmware,
                        value: "\(major).\(minor).\(build)", source: name))
            }
        }
        return facts
    }
}
