import ConvergeModel
import ConvergeWire

/// LLDP (IEEE 802.1AB) on EtherType 0x88CC: a switch or host announcing itself to its link
/// neighbour. The payload is a list of TLVs (7-bit type, 9-bit length): chassis id, port id and
/// TTL first, optional TLVs, then End of LLDPDU.
///
/// `parse` walks the TLVs once, noting where the identifying ones sit and reading the few small
/// numbers (TTL, capabilities, VLAN id, MAU type); text is built only in `event`/`facts`.
///
/// Counted function (LLDP has no function field): 1 for an LLDPDU, 0 for a shutdown LLDPDU (TTL 0,
/// a port going down). Wireshark has no such field; its `lldp.time_to_live` tells them apart.
public enum LLDP: LinkDissector {
    public typealias Parsed = Frame

    public static let etherType: UInt16 = 0x88CC
    /// TLVs walked per frame (End included); a full-size frame of the smallest TLVs holds about
    /// 750, real ones about 20. More are flagged `tooManyTLVs` and not read.
    public static let maxTLVs = 256
    /// Text (names, descriptions, port ids) is cut to this many bytes in events and facts; a TLV
    /// value is at most 511 bytes on the wire.
    public static let maxTextLength = 255
    /// Management address TLVs turned into targets and facts per frame.
    public static let maxManagementAddresses = 8

    public static var name: String { "lldp" }

    public static func claims(etherType: UInt16, payload: Span<UInt8>) -> Bool {
        etherType == Self.etherType
    }

    /// Reads one LLDPDU. Without the three mandatory TLVs in order (chassis id, port id, TTL) the
    /// frame is `.malformed` (802.1AB discards it); anything wrong after them is an anomaly.
    public static func parse(_ payload: Span<UInt8>) throws(DissectError) -> Frame {
        var frame = Frame()
        var cursor = TLVCursor()
        for expected in TLVType.chassisID...TLVType.timeToLive {
            guard let tlv = cursor.next(in: payload), !tlv.truncated, tlv.type == expected else {
                throw .malformed("lldp: mandatory TLV \(expected) missing, truncated or out of order")
            }
            switch expected {
            case TLVType.chassisID, TLVType.portID:
                guard tlv.length >= 2 else { throw .malformed("lldp: id TLV \(expected) of \(tlv.length) bytes") }
                let id = LinkField(offset: tlv.valueOffset &+ 1, length: tlv.length &- 1)
                if expected == TLVType.chassisID {
                    frame.chassisSubtype = payload[tlv.valueOffset]
                    frame.chassisID = id
                } else {
                    frame.portSubtype = payload[tlv.valueOffset]
                    frame.portID = id
                }
            default:
                guard tlv.length >= 2, let ttl = payload.uint16BE(at: tlv.valueOffset) else {
                    throw .malformed("lldp: TTL TLV of \(tlv.length) bytes")
                }
                if tlv.length != 2 { frame.anomalies.insert(.badTLVLength) }
                frame.timeToLive = ttl
                frame.hasTimeToLive = true
            }
        }
        while let tlv = cursor.next(in: payload) {
            if tlv.truncated {
                frame.anomalies.insert(.truncatedTLV)
                break
            }
            readOptional(tlv, in: payload, frame: &frame)
        }
        frame.tlvCount = UInt16(truncatingIfNeeded: cursor.count)
        if cursor.hitLimit { frame.anomalies.insert(.tooManyTLVs) }
        if !cursor.sawEnd { frame.anomalies.insert(.missingEnd) }
        if frame.hasCapabilities, frame.capabilitiesEnabled & ~frame.capabilitiesSupported != 0 {
            frame.anomalies.insert(.enabledNotSupported)
        }
        return frame
    }

    /// Notes one optional TLV (the first of each kind wins).
    static func readOptional(_ tlv: TLV, in payload: Span<UInt8>, frame: inout Frame) {
        switch tlv.type {
        case TLVType.end:
            if tlv.length != 0 { frame.anomalies.insert(.badTLVLength) }
        case TLVType.chassisID, TLVType.portID, TLVType.timeToLive:
            frame.anomalies.insert(.duplicateMandatory)
        case TLVType.portDescription:
            if !frame.portDescription.isPresent { frame.portDescription = tlv.field }
        case TLVType.systemName:
            if !frame.systemName.isPresent { frame.systemName = tlv.field }
        case TLVType.systemDescription:
            if !frame.systemDescription.isPresent { frame.systemDescription = tlv.field }
        case TLVType.systemCapabilities:
            guard tlv.length == 4, let supported = payload.uint16BE(at: tlv.valueOffset),
                let enabled = payload.uint16BE(at: tlv.valueOffset &+ 2)
            else {
                frame.anomalies.insert(.badTLVLength)
                return
            }
            if !frame.hasCapabilities {
                frame.hasCapabilities = true
                frame.capabilitiesSupported = supported
                frame.capabilitiesEnabled = enabled
            }
        case TLVType.managementAddress:
            // Address string length (subtype + address, 2…32), interface subtype and number (5),
            // OID string length (1): at least 9 bytes.
            guard tlv.length >= 9 else {
                frame.anomalies.insert(.badTLVLength)
                return
            }
            if !frame.managementAddress.isPresent { frame.managementAddress = tlv.field }
            if frame.managementAddressCount < UInt8.max { frame.managementAddressCount &+= 1 }
        case TLVType.organizationSpecific:
            readOrganizationSpecific(tlv, in: payload, frame: &frame)
        default:
            frame.anomalies.insert(.reservedTLV)
        }
    }
}
