import ConvergeModel
import ConvergeWire

extension NetBIOSDatagram {
    /// The normalised event: function the datagram type (`direct_group` …) followed by the browser
    /// command when there is one (`direct_group.host_announcement`); targets the source and
    /// destination names and, for an announcement, the announced host with its server type bits
    /// and OS version as values and its comment as value text.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var functionName = typeName(parsed.type)
        if let command = parsed.browserCommand { functionName += "." + browserCommandName(command) }
        var targets: [Message.Target] = []
        if let source = name(parsed.sourceNameOffset, bytes) {
            targets.append(Message.Target(kind: "source_name", address: 0, name: source.description))
        }
        if let destination = name(parsed.destinationNameOffset, bytes) {
            targets.append(Message.Target(kind: "destination_name", address: 0, name: destination.description))
        }
        var anomalies = parsed.anomalies
        if let command = parsed.browserCommand, isAnnouncement(command) {
            if let found = announcement(parsed, bytes: bytes) {
                targets.append(
                    Message.Target(
                        kind: browserCommandName(command), address: Int(found.serverType),
                        values: [Int(found.osMajor), Int(found.osMinor)], name: found.name, value: found.comment))
            } else {
                anomalies.insert(.shortAnnouncement)
            }
        }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server, proto: name,
            direction: parsed.direction, functionCode: parsed.functionCode, functionName: functionName,
            operation: parsed.browserCommand == nil ? .other : .discovery, targets: targets, status: .ok,
            anomalies: anomalies.names)
    }

    static func name(_ offset: Int32, _ bytes: Span<UInt8>) -> NetBIOSNS.Name? {
        guard offset >= 0 else { return nil }
        return NetBIOSNS.netBIOSName(bytes, at: Int(offset), base: 0, end: bytes.count)
    }

    /// What an announcement says about its sender (the datagram's source address): a host or
    /// local-master announcement gives its `hostname`, `os` and `role`s and, from the browse
    /// group it is sent to, its `domain`; a domain announcement gives the `domain`.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard let found = announcement(parsed, bytes: bytes) else { return [] }
        let flowSender = parsed.direction == .toServer ? context.client.address : context.server.address
        let sender = parsed.sourceAddress != 0 ? IPAddress(v4: parsed.sourceAddress) : flowSender
        let source = "browser/" + browserCommandName(found.command)
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String) {
            guard !value.isEmpty else { return }
            let fact = AssetFact(time: context.time, address: sender, kind: kind, value: value, source: source)
            if !facts.contains(fact) { facts.append(fact) }
        }
        if found.command == 0x0c {
            add(.domain, found.name)
            return facts
        }
        add(.hostname, found.name)
        add(.os, osText(found))
        for entry in serverRoles where found.serverType & entry.bit != 0 { add(.role, entry.role) }
        if let group = name(parsed.destinationNameOffset, bytes), (0x1b...0x1e).contains(group.suffix) {
            add(.domain, group.name)
        }
        return facts
    }
}
