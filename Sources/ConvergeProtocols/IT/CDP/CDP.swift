import ConvergeModel
import ConvergeWire

/// CDP (Cisco Discovery Protocol) v1/v2: a Cisco device announcing itself to its link
/// neighbours, in an 802.3 frame to 01:00:0c:cc:cc:cc with LLC/SNAP (AA AA 03, OUI 00-00-0C, type
/// 0x2000). After the SNAP header: version, TTL, checksum, then TLVs (type 2 bytes, length 2
/// bytes including the header).
///
/// Counted function: the version (`cdp.version`). The checksum is not verified.
public enum CDP: LinkDissector {
    public typealias Parsed = Frame

    /// LLC AA AA 03 and SNAP OUI 00-00-0C, protocol 0x2000.
    public static let snapHeaderLength = 8
    public static let headerLength = 4
    /// TLVs walked per frame; real ones carry about 15. More are flagged `tooManyTLVs`.
    public static let maxTLVs = 256
    /// Text (device id, software version, platform, port) is cut to this many bytes in events
    /// and facts; a software version runs to a few hundred.
    public static let maxTextLength = 512
    /// Entries read from one address list (the count field is 32 bits).
    public static let maxAddresses = 8

    public static var name: String { "cdp" }

    /// An 802.3 frame (EtherType 0) whose LLC/SNAP header names Cisco's CDP.
    public static func claims(etherType: UInt16, payload: Span<UInt8>) -> Bool {
        guard etherType == 0, payload.count >= snapHeaderLength else { return false }
        return payload[0] == 0xAA && payload[1] == 0xAA && payload[2] == 0x03 && payload[3] == 0x00
            && payload[4] == 0x00 && payload[5] == 0x0C && payload[6] == 0x20 && payload[7] == 0x00
    }

    /// Reads one announcement. Without the SNAP and CDP headers the frame is `.malformed`;
    /// anything wrong in the TLVs is an anomaly.
    public static func parse(_ payload: Span<UInt8>) throws(DissectError) -> Frame {
        guard claims(etherType: 0, payload: payload) else {
            throw .malformed("cdp: no LLC/SNAP 00-00-0C 0x2000 header")
        }
        guard payload.count >= snapHeaderLength &+ headerLength else {
            throw .malformed("cdp: \(payload.count) bytes is shorter than the SNAP and CDP headers")
        }
        var frame = Frame()
        frame.version = payload[snapHeaderLength]
        frame.timeToLive = payload[snapHeaderLength &+ 1]
        frame.checksum = payload.uint16BE(at: snapHeaderLength &+ 2) ?? 0
        if frame.version != 1 && frame.version != 2 { frame.anomalies.insert(.unknownVersion) }
        var offset = snapHeaderLength &+ headerLength
        var count = 0
        while offset < payload.count {
            guard count < maxTLVs else {
                frame.anomalies.insert(.tooManyTLVs)
                break
            }
            guard let type = payload.uint16BE(at: offset), let length = payload.uint16BE(at: offset &+ 2) else {
                frame.anomalies.insert(.truncatedTLV)
                break
            }
            count &+= 1
            guard length >= 4 else {
                frame.anomalies.insert(.badTLVLength)
                break
            }
            let end = offset &+ Int(length)
            guard end <= payload.count else {
                frame.anomalies.insert(.truncatedTLV)
                break
            }
            read(type, LinkField(offset: offset &+ 4, length: Int(length) &- 4), in: payload, frame: &frame)
            offset = end
        }
        frame.tlvCount = UInt16(truncatingIfNeeded: count)
        if !frame.deviceID.isPresent { frame.anomalies.insert(.missingDeviceID) }
        return frame
    }

    /// Notes one TLV (the first of each kind wins).
    static func read(_ type: UInt16, _ value: LinkField, in payload: Span<UInt8>, frame: inout Frame) {
        let start = Int(value.offset)
        func note(_ field: inout LinkField) {
            if !field.isPresent, value.length > 0 { field = value }
        }
        switch type {
        case TLVType.deviceID: note(&frame.deviceID)
        case TLVType.addresses: note(&frame.addresses)
        case TLVType.portID: note(&frame.portID)
        case TLVType.softwareVersion: note(&frame.softwareVersion)
        case TLVType.platform: note(&frame.platform)
        case TLVType.vtpDomain: note(&frame.vtpDomain)
        case TLVType.managementAddresses: note(&frame.managementAddresses)
        case TLVType.capabilities:
            guard value.length == 4 else {
                frame.anomalies.insert(.badTLVLength)
                return
            }
            if !frame.hasCapabilities {
                frame.hasCapabilities = true
                frame.capabilities = payload.loadUInt32BE(at: start)
            }
        case TLVType.nativeVLAN:
            guard value.length == 2, let vlan = payload.uint16BE(at: start) else {
                frame.anomalies.insert(.badTLVLength)
                return
            }
            if frame.nativeVLAN == 0 { frame.nativeVLAN = vlan }
        case TLVType.duplex:
            guard value.length == 1, let duplex = payload.byte(at: start) else {
                frame.anomalies.insert(.badTLVLength)
                return
            }
            if !frame.hasDuplex {
                frame.hasDuplex = true
                frame.duplex = duplex
            }
        default:
            break
        }
    }
}
