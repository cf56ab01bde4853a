import ConvergeModel
import ConvergeWire

/// PROFINET on EtherType 0x8892 (IEC 61158-6-10): one Ethernet frame, a 2-byte FrameID, then
/// whatever the FrameID's range says. The packet decoder hands over the payload from the FrameID
/// (an 802.1Q tag is already stripped).
///
/// Counted function: the DCP service id (`pn_dcp.service_id`: 3 get, 4 set, 5 identify, 6 hello)
/// for DCP frames (FrameID 0xFEFC…0xFEFF); outside DCP Wireshark has no function field, so each
/// FrameID class gets one code above the byte range of service ids: 256 cyclic RT data
/// (0x0100…0xFBFF, the FrameID a target), 257 alarm (0xFC01 high, 0xFE01 low), 258 PTCP time
/// sync (0x0000…0x00FF, 0xFF20…0xFF43), 259 anything else (fragments, reserved ids).
public enum PROFINET: LinkDissector {
    public typealias Parsed = Frame

    public static let etherType: UInt16 = 0x8892
    /// DCP blocks walked per frame; a full frame of the smallest blocks holds about 360, a real
    /// identify response about 10. More are flagged `tooManyBlocks` and not read.
    public static let maxBlocks = 128
    /// Station names, vendor values and alias names are cut to this many bytes in events and
    /// facts (a NameOfStation is at most 240 bytes by the spec).
    public static let maxTextLength = 240

    public static var name: String { "profinet" }

    public static func claims(etherType: UInt16, payload: Span<UInt8>) -> Bool {
        etherType == Self.etherType
    }

    /// Reads one frame. Fewer than the 2 FrameID bytes, or a DCP frame shorter than its 10-byte
    /// header, is `.malformed`; anything wrong after that is an anomaly.
    public static func parse(_ payload: Span<UInt8>) throws(DissectError) -> Frame {
        guard let frameID = payload.uint16BE(at: 0) else { throw .malformed("profinet: no FrameID") }
        var frame = Frame()
        frame.frameID = frameID
        frame.kind = FrameKind(frameID: frameID)
        switch frame.kind {
        case .dcp: try readDCP(payload, frame: &frame)
        case .cyclic: readCyclic(payload, frame: &frame)
        case .alarm: readAlarm(payload, frame: &frame)
        case .ptcp, .other: break
        }
        return frame
    }
}
