import ConvergeModel
import ConvergeWire

extension LLDP {
    /// What an LLDPDU says about the sending device, each fact on the sender's MAC and on its
    /// first management IP when it names one: hostname (system name, else a PROFINET station
    /// name), software (system description), capabilities, interface (port id and description),
    /// vlan, management addresses and the chassis MAC. A shutdown LLDPDU still names its sender.
    public static func facts(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> [AssetFact] {
        let identity = identity(parsed, payload: payload)
        let address = identity.managementAddresses.first ?? .none
        let mac = MACAddress.text(context.sourceMAC)
        let source = "lldp/\(parsed.isShutdown ? "lldp_shutdown" : "lldpdu")"
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String?, source: String = source) {
            guard let value, !value.isEmpty else { return }
            var fact = AssetFact(time: context.time, address: address, kind: kind, value: value, source: source)
            fact.mac = mac
            facts.append(fact)
        }
        if let systemName = identity.systemName {
            add(.hostname, systemName)
        } else {
            add(.hostname, identity.nameOfStation, source: "lldp/profinet")
        }
        add(.software, identity.systemDescription)
        add(.capabilities, identity.capabilities)
        add(.interface, interfaceText(identity))
        if parsed.portVLAN != 0 {
            add(.vlan, identity.vlanName.map { "\(parsed.portVLAN) (\($0))" } ?? String(parsed.portVLAN))
        }
        for management in identity.managementAddresses { add(.managementAddress, management.description) }
        if let chassis = identity.chassisMAC, chassis != context.sourceMAC {
            add(.macAddress, MACAddress.text(chassis))
        }
        return facts
    }

    /// `port id (description)`, or either alone.
    static func interfaceText(_ identity: Identity) -> String? {
        switch (identity.portID, identity.portDescription) {
        case (let port?, let description?) where port != description: "\(port) (\(description))"
        case (let port?, _): port
        case (nil, let description): description
        }
    }
}
