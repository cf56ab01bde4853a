import ConvergeModel
import ConvergeWire

extension CDP {
    /// What one announcement says about its sender, as text: built for events and facts only.
    public struct Identity: Sendable, Equatable {
        public var deviceID: String?
        public var portID: String?
        public var softwareVersion: String?
        public var platform: String?
        public var vtpDomain: String?
        /// `switch,igmp` (capability names).
        public var capabilities: String?
        /// The interface's addresses (Addresses TLV) and the management addresses (0x0016).
        public var addresses: [IPAddress] = []
        public var managementAddresses: [IPAddress] = []

        /// Where the device says it is managed: the management addresses, else its addresses.
        public var primaryAddress: IPAddress? { managementAddresses.first ?? addresses.first }
    }

    /// Capability bits as Wireshark names them, in snake_case.
    public static let capabilityNames: [(UInt32, String)] = [
        (0x0001, "router"), (0x0002, "transparent_bridge"), (0x0004, "source_route_bridge"), (0x0008, "switch"),
        (0x0010, "host"), (0x0020, "igmp"), (0x0040, "repeater"), (0x0080, "voip_phone"),
        (0x0100, "remotely_managed"), (0x0200, "cvta_stp_dispute"), (0x0400, "two_port_mac_relay"),
    ]

    public static func identity(_ frame: Frame, payload: Span<UInt8>) -> Identity {
        var identity = Identity()
        identity.deviceID = LinkText.string(frame.deviceID, in: payload, limit: maxTextLength)
        identity.portID = LinkText.string(frame.portID, in: payload, limit: maxTextLength)
        identity.softwareVersion = LinkText.string(frame.softwareVersion, in: payload, limit: maxTextLength)
        identity.platform = LinkText.string(frame.platform, in: payload, limit: maxTextLength)
        identity.vtpDomain = LinkText.string(frame.vtpDomain, in: payload, limit: maxTextLength)
        if frame.hasCapabilities { identity.capabilities = LinkText.flags(frame.capabilities, names: capabilityNames) }
        identity.addresses = addressList(frame.addresses, in: payload).addresses
        identity.managementAddresses = addressList(frame.managementAddresses, in: payload).addresses
        return identity
    }

    /// An address list: a 32-bit count, then entries of protocol type (1 NLPID, 2 802.2),
    /// protocol length, protocol, address length (2 bytes) and address. IPv4 is NLPID 0xCC; IPv6
    /// is 802.2 AA AA 03 00 00 00 86 DD. Other protocols are stepped over. `complete` is false
    /// when an entry ran past the TLV.
    public static func addressList(
        _ field: LinkField, in payload: Span<UInt8>
    ) -> (addresses: [IPAddress], complete: Bool) {
        guard let range = field.range(in: payload) else { return ([], true) }
        var reader = WireReader(payload.extracting(range))
        guard let declared = reader.u32be() else { return ([], false) }
        var out: [IPAddress] = []
        var index: UInt32 = 0
        while index < declared, out.count < maxAddresses {
            index &+= 1
            guard let protocolType = reader.u8(), let protocolLength = reader.u8(),
                let protocolBytes = reader.take(Int(protocolLength)), let addressLength = reader.u16be()
            else { return (out, false) }
            let start = range.lowerBound &+ reader.offset
            guard reader.skip(Int(addressLength)) else { return (out, false) }
            let isIPv4 = protocolType == 1 && protocolLength == 1 && protocolBytes[0] == 0xCC
            let isIPv6 =
                protocolType == 2 && protocolLength == 8 && protocolBytes[6] == 0x86 && protocolBytes[7] == 0xDD
            guard isIPv4 || isIPv6, let address = LinkText.ip(payload, at: start, length: Int(addressLength)) else {
                continue
            }
            out.append(address)
        }
        return (out, true)
    }
}
