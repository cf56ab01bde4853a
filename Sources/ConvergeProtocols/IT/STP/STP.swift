import ConvergeModel
import ConvergeWire

/// Spanning tree BPDUs (IEEE 802.1D STP, 802.1w RSTP, 802.1s/802.1Q MSTP) in 802.3 frames with
/// LLC 42 42 03, and Cisco PVST+ BPDUs with LLC/SNAP OUI 00-00-0C, PID 0x010B (one BPDU per VLAN,
/// an originating-VLAN TLV after it).
///
/// `parse` reads every fixed field (all of them are small numbers); MSTI records are counted, not
/// read. Counted function: the BPDU type (`stp.type`: 0x00 configuration, 0x80 topology change
/// notification, 0x02 RST or MST). Operation `other`. A topology change (a TCN, or the TC flag)
/// carries the `stp_topology_change` anomaly.
public enum STP: LinkDissector {
    public typealias Parsed = Frame

    /// 802.2 LLC with the spanning tree SAP (42 42 03).
    public static let llcLength = 3
    /// LLC/SNAP AA AA 03, OUI 00-00-0C, PID 0x010B.
    public static let pvstHeaderLength = 8
    /// Protocol id, version, type: a TCN BPDU is this long.
    public static let headerLength = 4
    public static let configurationLength = 35
    public static let rapidLength = 36
    /// An MST BPDU up to the first MSTI record (802.1Q-2018 14.4).
    public static let mstFixedLength = 102
    public static let mstiRecordLength = 16
    /// 802.1Q allows 64 MSTIs; more in a length field is flagged, not read.
    public static let maxMSTIs = 64

    public static var name: String { "stp" }

    /// An 802.3 frame (EtherType 0) with the spanning tree LLC, or Cisco's PVST+ SNAP header.
    public static func claims(etherType: UInt16, payload: Span<UInt8>) -> Bool {
        guard etherType == 0 else { return false }
        return bpduOffset(payload) != nil
    }

    /// Where the BPDU starts after the LLC (3) or LLC/SNAP (8) header; nil when neither.
    static func bpduOffset(_ payload: Span<UInt8>) -> Int? {
        guard payload.count >= llcLength, payload[2] == 0x03 else { return nil }
        if payload[0] == 0x42, payload[1] == 0x42 { return llcLength }
        guard payload.count >= pvstHeaderLength, payload[0] == 0xAA, payload[1] == 0xAA, payload[3] == 0x00,
            payload[4] == 0x00, payload[5] == 0x0C, payload[6] == 0x01, payload[7] == 0x0B
        else { return nil }
        return pvstHeaderLength
    }

    /// Reads one BPDU. Without the LLC header or the 4-byte BPDU header the frame is
    /// `.malformed`; a BPDU cut short of its type's fields is flagged `truncated` (the missing
    /// fields read 0), as is anything else odd.
    public static func parse(_ payload: Span<UInt8>) throws(DissectError) -> Frame {
        guard let start = bpduOffset(payload) else { throw .malformed("stp: no spanning tree LLC or PVST+ header") }
        let bpdu = payload.extracting(start..<payload.count)
        var reader = WireReader(bpdu)
        guard let protocolID = reader.u16be(), let version = reader.u8(), let type = reader.u8() else {
            throw .malformed("stp: \(bpdu.count) bytes is shorter than the BPDU header")
        }
        var frame = Frame()
        frame.isPVST = start == pvstHeaderLength
        frame.version = version
        frame.bpduType = type
        if protocolID != 0 { frame.anomalies.insert(.badProtocolID) }
        var end = headerLength
        switch type {
        case BPDUType.topologyChangeNotification:
            break
        case BPDUType.configuration, BPDUType.rapid:
            end = readConfiguration(&reader, into: &frame)
            if type == BPDUType.rapid { end = readRapid(bpdu, into: &frame) }
        default:
            frame.anomalies.insert(.unknownType)
        }
        if frame.isPVST { readPVSTVLAN(bpdu, from: end, into: &frame) }
        if frame.signalsTopologyChange { frame.anomalies.insert(.topologyChange) }
        return frame
    }

    /// Flags through forward delay (config, RST and MST share them); returns where they end.
    static func readConfiguration(_ reader: inout WireReader, into frame: inout Frame) -> Int {
        guard let flags = reader.u8(), let root = reader.u64be(), let cost = reader.u32be(),
            let bridge = reader.u64be(), let port = reader.u16be(), let age = reader.u16be(),
            let maxAge = reader.u16be(), let hello = reader.u16be(), let delay = reader.u16be()
        else {
            frame.anomalies.insert(.truncated)
            return reader.bytes.count
        }
        frame.flags = flags
        frame.rootID = BridgeID(raw: root)
        frame.rootPathCost = cost
        frame.bridgeID = BridgeID(raw: bridge)
        frame.portID = port
        frame.messageAge = age
        frame.maxAge = maxAge
        frame.helloTime = hello
        frame.forwardDelay = delay
        return configurationLength
    }

    /// The version 1 length byte of an RST BPDU, and for version 3 the MST part: version 3
    /// length, configuration id (51 bytes), CIST internal root path cost, CIST bridge id,
    /// remaining hops, then the MSTI records. Returns where the BPDU ends.
    static func readRapid(_ bpdu: Span<UInt8>, into frame: inout Frame) -> Int {
        guard bpdu.count >= rapidLength else {
            frame.anomalies.insert(.truncated)
            return bpdu.count
        }
        guard frame.version >= 3 else { return rapidLength }
        guard let declared = bpdu.uint16BE(at: rapidLength), bpdu.count >= mstFixedLength else {
            // An MST bridge may send an RST-sized BPDU to an RSTP neighbour only with version 2.
            frame.anomalies.insert(.truncated)
            return bpdu.count
        }
        var cist: UInt64 = 0
        for index in 93..<101 { cist = cist << 8 | UInt64(bpdu[index]) }
        frame.cistBridgeID = BridgeID(raw: cist)
        // Version 3 length counts from the configuration id (offset 38) to the end.
        let mstiBytes = Int(declared) &- (mstFixedLength &- 38)
        let available = bpdu.count &- mstFixedLength
        guard mstiBytes >= 0, mstiBytes % mstiRecordLength == 0, mstiBytes <= available else {
            frame.anomalies.insert(.badMSTLength)
            frame.mstiCount = UInt8(truncatingIfNeeded: min(available / mstiRecordLength, maxMSTIs))
            return bpdu.count
        }
        let count = mstiBytes / mstiRecordLength
        if count > maxMSTIs { frame.anomalies.insert(.badMSTLength) }
        frame.mstiCount = UInt8(truncatingIfNeeded: min(count, maxMSTIs))
        return mstFixedLength &+ mstiBytes
    }

    /// PVST+ TLVs after the BPDU: type 0 (originating VLAN), length 2, the VLAN id.
    static func readPVSTVLAN(_ bpdu: Span<UInt8>, from offset: Int, into frame: inout Frame) {
        guard let type = bpdu.uint16BE(at: offset), let length = bpdu.uint16BE(at: offset &+ 2),
            type == 0, length == 2, let vlan = bpdu.uint16BE(at: offset &+ 4)
        else { return }
        frame.pvstVLAN = vlan
    }
}
