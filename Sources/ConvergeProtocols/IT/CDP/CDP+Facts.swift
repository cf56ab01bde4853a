import ConvergeModel
import ConvergeWire

extension CDP {
    /// What an announcement says about the sending device, each fact on the sender's MAC and its
    /// management address (else its first address): hostname (device id), software (software
    /// version), model (platform), capabilities, interface (port id), vlan (native VLAN) and the
    /// management addresses.
    public static func facts(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> [AssetFact] {
        let identity = identity(parsed, payload: payload)
        let address = identity.primaryAddress ?? .none
        let mac = MACAddress.text(context.sourceMAC)
        let source = "cdp/\(parsed.version)"
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            var fact = AssetFact(time: context.time, address: address, kind: kind, value: value, source: source)
            fact.mac = mac
            facts.append(fact)
        }
        add(.hostname, identity.deviceID)
        add(.software, identity.softwareVersion)
        add(.model, identity.platform)
        add(.capabilities, identity.capabilities)
        add(.interface, identity.portID)
        if parsed.nativeVLAN != 0 { add(.vlan, String(parsed.nativeVLAN)) }
        let managed = identity.managementAddresses.isEmpty ? identity.addresses : identity.managementAddresses
        for management in managed { add(.managementAddress, management.description) }
        return facts
    }
}
