import ConvergeModel
import ConvergeWire

extension LLDP {
    /// What one LLDPDU says about its sender, as text: built for events and facts, never in parse.
    public struct Identity: Sendable, Equatable {
        public var chassisID: String?
        public var portID: String?
        public var portDescription: String?
        public var systemName: String?
        public var systemDescription: String?
        /// `bridge,router` (supported and enabled capabilities).
        public var capabilities: String?
        public var enabledCapabilities: String?
        public var managementAddresses: [IPAddress] = []
        /// Management addresses that are not IP (an 802 MAC, another family) as text.
        public var otherManagementAddresses: [String] = []
        public var vlanName: String?
        /// The PROFINET NameOfStation: the locally assigned chassis id of a frame with PROFINET TLVs.
        public var nameOfStation: String?
        /// The chassis MAC when the chassis id is one (subtype 4), else the PROFINET chassis MAC.
        public var chassisMAC: UInt64?
    }

    /// System capability bits (802.1AB table 8-4), in the snake_case the facts use.
    public static let capabilityNames: [(UInt32, String)] = [
        (0x0001, "other"), (0x0002, "repeater"), (0x0004, "bridge"), (0x0008, "wlan_access_point"),
        (0x0010, "router"), (0x0020, "telephone"), (0x0040, "docsis_cable_device"), (0x0080, "station_only"),
        (0x0100, "c_vlan"), (0x0200, "s_vlan"), (0x0400, "tpmr"),
    ]

    public static func identity(_ frame: Frame, payload: Span<UInt8>) -> Identity {
        var identity = Identity()
        identity.chassisID = idText(frame.chassisSubtype, macSubtype: 4, networkSubtype: 5, frame.chassisID, payload)
        identity.portID = idText(frame.portSubtype, macSubtype: 3, networkSubtype: 4, frame.portID, payload)
        identity.portDescription = LinkText.string(frame.portDescription, in: payload, limit: maxTextLength)
        identity.systemName = LinkText.string(frame.systemName, in: payload, limit: maxTextLength)
        identity.systemDescription = LinkText.string(frame.systemDescription, in: payload, limit: maxTextLength)
        if frame.hasCapabilities {
            identity.capabilities = LinkText.flags(UInt32(frame.capabilitiesSupported), names: capabilityNames)
            identity.enabledCapabilities = LinkText.flags(UInt32(frame.capabilitiesEnabled), names: capabilityNames)
        }
        identity.vlanName = LinkText.string(frame.vlanName, in: payload, limit: maxTextLength)
        if frame.isPROFINET, frame.chassisSubtype == 7 { identity.nameOfStation = identity.chassisID }
        if frame.chassisSubtype == 4, frame.chassisID.length == 6 {
            identity.chassisMAC = LinkText.mac(payload, at: Int(frame.chassisID.offset))
        } else if frame.profinetChassisMAC != 0 {
            identity.chassisMAC = frame.profinetChassisMAC
        }
        readManagementAddresses(payload, into: &identity)
        return identity
    }

    /// A chassis or port id as text: a MAC address, an IANA-family network address, else the
    /// bytes as text (names, aliases, locally assigned).
    static func idText(
        _ subtype: UInt8, macSubtype: UInt8, networkSubtype: UInt8, _ field: LinkField, _ payload: Span<UInt8>
    ) -> String? {
        if subtype == macSubtype, field.length == 6, let mac = LinkText.mac(payload, at: Int(field.offset)) {
            return MACAddress.text(mac)
        }
        if subtype == networkSubtype, field.length >= 1, let family = payload.byte(at: Int(field.offset)),
            let address = ianaAddress(family, payload, at: Int(field.offset) &+ 1, length: Int(field.length) &- 1)
        {
            return address.description
        }
        return LinkText.string(field, in: payload, limit: maxTextLength)
    }

    /// An IANA address family 1 (IPv4) or 2 (IPv6) address.
    static func ianaAddress(_ family: UInt8, _ payload: Span<UInt8>, at offset: Int, length: Int) -> IPAddress? {
        switch (family, length) {
        case (1, 4), (2, 16): LinkText.ip(payload, at: offset, length: length)
        default: nil
        }
    }

    /// Every management address TLV (up to `maxManagementAddresses`): string length, IANA family,
    /// address, then interface and OID fields not read here.
    static func readManagementAddresses(_ payload: Span<UInt8>, into identity: inout Identity) {
        var cursor = TLVCursor()
        var seen = 0
        while let tlv = cursor.next(in: payload), !tlv.truncated, seen < maxManagementAddresses {
            guard tlv.type == TLVType.managementAddress, tlv.length >= 9,
                let stringLength = payload.byte(at: tlv.valueOffset), stringLength >= 2,
                Int(stringLength) < tlv.length, let family = payload.byte(at: tlv.valueOffset &+ 1)
            else { continue }
            seen &+= 1
            let start = tlv.valueOffset &+ 2
            let length = Int(stringLength) &- 1
            if let address = ianaAddress(family, payload, at: start, length: length) {
                identity.managementAddresses.append(address)
            } else if family == 6, length == 6, let mac = LinkText.mac(payload, at: start) {
                identity.otherManagementAddresses.append(MACAddress.text(mac))
            } else if let hex = LinkText.hex(LinkField(offset: start, length: length), in: payload) {
                identity.otherManagementAddresses.append("family \(family): \(hex)")
            }
        }
    }
}
