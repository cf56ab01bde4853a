import ConvergeModel

extension SNMP {
    /// MIB-2 system group scalars (RFC 3418): sysDescr.0 … sysLocation.0 are 1.3.6.1.2.1.1.N.0.
    public enum SystemScalar: UInt64, Sendable {
        case sysDescr = 1, sysObjectID = 2, sysContact = 4, sysName = 5, sysLocation = 6

        /// The scalar these arcs name, if they are one of the above.
        public init?(arcs: [UInt64]) {
            guard arcs.count == 9, arcs[0] == 1, arcs[1] == 3, arcs[2] == 6, arcs[3] == 1, arcs[4] == 2,
                arcs[5] == 1, arcs[6] == 1, arcs[8] == 0
            else { return nil }
            self.init(rawValue: arcs[7])
        }
    }

    /// Identity an agent reveals: from responses and notifications, sysDescr (os), sysName
    /// (hostname), sysObjectID (vendor by enterprise number, and the OID as product code); a v1
    /// trap's enterprise; a v3 authoritative engine id's enterprise number (vendor hint).
    /// sysContact and sysLocation have no fact kind and stay in the event's targets.
    public static func facts(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        let senderIsClient = parsed.direction == .toServer
        let sender = senderIsClient ? context.client.address : context.server.address
        let receiver = senderIsClient ? context.server.address : context.client.address
        var facts: [AssetFact] = []
        func add(_ address: IPAddress, _ kind: AssetFact.Kind, _ value: String, _ source: String) {
            guard !value.isEmpty else { return }
            facts.append(
                AssetFact(time: context.time, address: address, kind: kind, value: value, source: "snmp/" + source))
        }
        if parsed.engineIDEnd > parsed.engineIDStart, let number = engineEnterprise(bytes, parsed) {
            // The authoritative engine sends answers and notifications and receives requests.
            let authoritative = parsed.isRequest ? receiver : sender
            add(authoritative, .vendor, enterpriseName(number), "engine_id")
        }
        switch parsed.pduType {
        case 2, 4, 6, 7:
            break
        default:
            return facts
        }
        if parsed.pduType == 4, parsed.enterpriseEnd > parsed.enterpriseStart {
            let enterprise = Element(
                identifier: BER.objectIdentifier, number: 6, valueStart: parsed.enterpriseStart,
                valueEnd: parsed.enterpriseEnd)
            if let arcs = oidArcs(bytes, enterprise), let number = enterpriseNumber(arcs) {
                add(sender, .vendor, enterpriseName(number), "trap.enterprise")
            }
        }
        for varbind in varbinds(parsed, bytes: bytes, limit: maxVarbinds) {
            guard let scalar = SystemScalar(arcs: varbind.arcs), let value = varbind.text else { continue }
            switch scalar {
            case .sysDescr: add(sender, .os, value, "sysDescr")
            case .sysName: add(sender, .hostname, value, "sysName")
            case .sysObjectID:
                add(sender, .productCode, value, "sysObjectID")
                let arcs = value.split(separator: ".").compactMap { UInt64($0) }
                if let number = enterpriseNumber(arcs) { add(sender, .vendor, enterpriseName(number), "sysObjectID") }
            case .sysContact, .sysLocation: break
            }
        }
        return facts
    }

    /// The enterprise number in a v3 engine id (RFC 3411 SnmpEngineID: the first four octets, with
    /// the top bit set in the RFC 3411 format and clear in the older RFC 1910 one).
    public static func engineEnterprise(_ bytes: Span<UInt8>, _ packet: Packet) -> UInt64? {
        let start = packet.engineIDStart
        guard start >= 0, packet.engineIDEnd &- start >= 5, packet.engineIDEnd <= bytes.count else { return nil }
        var number: UInt64 = 0
        for index in start..<(start &+ 4) { number = number << 8 | UInt64(bytes[index]) }
        return number & 0x7fff_ffff
    }
}
