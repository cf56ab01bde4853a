import ConvergeModel
import ConvergeWire

extension PROFINET {
    /// What a DCP identify/get response or hello says about its sender, each fact on the sender's
    /// MAC and on its IPv4 when the frame carries one: hostname (NameOfStation), vendor
    /// (`profinet_vendor:0x002A` and the vendor's name when known), model (DeviceVendorValue and
    /// `profinet_device:0x002A/0x0A01`), role, ip_address. Requests (a set names another
    /// device's new identity) and cyclic frames say nothing about the sender here.
    public static func facts(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> [AssetFact] {
        guard parsed.describesSender else { return [] }
        let address = parsed.hasIP && parsed.ipAddress != 0 ? IPAddress(v4: parsed.ipAddress) : .none
        let mac = MACAddress.text(context.sourceMAC)
        let source = "profinet/\(functionName(parsed))"
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            var fact = AssetFact(time: context.time, address: address, kind: kind, value: value, source: source)
            fact.mac = mac
            facts.append(fact)
        }
        add(.hostname, LinkText.string(parsed.nameOfStation, in: payload, limit: maxTextLength))
        if parsed.hasDeviceID {
            add(.vendor, "profinet_vendor:\(hex16(parsed.vendorID))")
            add(.vendor, vendorName(parsed.vendorID))
        }
        add(.model, LinkText.string(parsed.deviceVendorValue, in: payload, limit: maxTextLength))
        if parsed.hasDeviceID {
            add(.model, "profinet_device:\(hex16(parsed.vendorID))/\(hex16(parsed.deviceID))")
        }
        if parsed.hasDeviceRole { add(.role, roleText(parsed.deviceRole)) }
        if parsed.hasIP, parsed.ipAddress != 0 { add(.ipAddress, ipText(parsed.ipAddress)) }
        return facts
    }
}
