import ConvergeModel
import ConvergeWire

extension LLDP {
    /// One TLV's header as found: type, where its value starts, and its length (cut to the bytes
    /// there when `truncated`).
    public struct TLV: Sendable, Equatable {
        public var type: UInt8
        public var valueOffset: Int
        public var length: Int
        /// The length field ran past the end of the frame; `length` is what was there.
        public var truncated: Bool
        public var field: LinkField { LinkField(offset: valueOffset, length: length) }
    }

    /// Walks an LLDPDU's TLVs from the start: each `next` gives the following TLV, nil after End
    /// of LLDPDU, a truncated TLV, the end of the bytes or `maxTLVs` TLVs. No allocation.
    public struct TLVCursor: Sendable {
        public var offset = 0
        public var count = 0
        public var finished = false
        /// Why the walk stopped (set once `next` returned nil).
        public var sawEnd = false
        public var hitLimit = false
        public init() {}

        public mutating func next(in bytes: Span<UInt8>) -> TLV? {
            guard !finished else { return nil }
            guard count < LLDP.maxTLVs else {
                finished = true
                hitLimit = true
                return nil
            }
            guard let header = bytes.uint16BE(at: offset) else {
                finished = true
                return nil
            }
            let type = UInt8(truncatingIfNeeded: header >> 9)
            let length = Int(header & 0x01FF)
            let start = offset &+ 2
            let available = bytes.count &- start
            count &+= 1
            if length > available {
                finished = true
                return TLV(type: type, valueOffset: start, length: available, truncated: true)
            }
            offset = start &+ length
            if type == TLVType.end {
                finished = true
                sawEnd = true
            }
            return TLV(type: type, valueOffset: start, length: length, truncated: false)
        }
    }

    /// An org-specific TLV's OUI and subtype, nil when its value is shorter than those 4 bytes.
    static func organization(_ tlv: TLV, in bytes: Span<UInt8>) -> (oui: UInt32, subtype: UInt8)? {
        guard tlv.length >= 4, let high = bytes.uint16BE(at: tlv.valueOffset),
            let low = bytes.byte(at: tlv.valueOffset &+ 2), let subtype = bytes.byte(at: tlv.valueOffset &+ 3)
        else { return nil }
        return (UInt32(high) << 8 | UInt32(low), subtype)
    }

    /// Notes what an org-specific TLV says, for the OUIs read here.
    static func readOrganizationSpecific(_ tlv: TLV, in bytes: Span<UInt8>, frame: inout Frame) {
        guard let (oui, subtype) = organization(tlv, in: bytes) else {
            frame.anomalies.insert(.badTLVLength)
            return
        }
        let value = tlv.valueOffset &+ 4
        let length = tlv.length &- 4
        switch (oui, subtype) {
        case (OUI.ieee8021, 1):  // port VLAN id
            guard length >= 2, let vlan = bytes.uint16BE(at: value) else { return noteBadLength(&frame) }
            if frame.portVLAN == 0 { frame.portVLAN = vlan }
        case (OUI.ieee8021, 3):  // VLAN name: id, name length, name
            guard length >= 3, let id = bytes.uint16BE(at: value), let nameLength = bytes.byte(at: value &+ 2),
                Int(nameLength) <= length &- 3
            else { return noteBadLength(&frame) }
            if !frame.vlanName.isPresent {
                frame.vlanNameID = id
                frame.vlanName = LinkField(offset: value &+ 3, length: Int(nameLength))
            }
        case (OUI.ieee8023, 1):  // MAC/PHY: autoneg support/status, advertised (2), MAU type (2)
            guard length >= 5, let status = bytes.byte(at: value), let mau = bytes.uint16BE(at: value &+ 3) else {
                return noteBadLength(&frame)
            }
            if !frame.hasMACPHY {
                frame.hasMACPHY = true
                frame.autoNegotiation = status
                frame.operationalMAUType = mau
            }
        case (OUI.profinet, let sub):
            frame.isPROFINET = true
            if sub == 5, frame.profinetChassisMAC == 0 {
                guard length >= 6, let mac = LinkText.mac(bytes, at: value) else { return noteBadLength(&frame) }
                frame.profinetChassisMAC = mac
            }
        default:
            break
        }
    }

    private static func noteBadLength(_ frame: inout Frame) {
        frame.anomalies.insert(.badTLVLength)
    }
}
