import ConvergeWire

/// The 8-byte header GOOSE, GSE management and Sampled Values share (IEC 61850-8-1 Annex C,
/// 61850-9-2 §5.3.3): APPID, length (counted from the APPID, so at least 8), reserved 1 and
/// reserved 2. In edition 2 bit 15 of reserved 1 is the simulation flag.
public struct IEC61850Header: Sendable, Equatable {
    public static let length = 8
    /// Reserved 1 bit 15: the frame is simulated (test) traffic (IEC 61850-8-1 Ed.2 §C.2.3.2).
    public static let simulationBit: UInt16 = 0x8000

    public var appID: UInt16 = 0
    /// As declared.
    public var length: UInt16 = 0
    public var reserved1: UInt16 = 0
    public var reserved2: UInt16 = 0

    public init() {}

    public var isSimulated: Bool { reserved1 & Self.simulationBit != 0 }

    /// Reads the header, nil when the payload is shorter than it.
    static func read(_ payload: Span<UInt8>) -> IEC61850Header? {
        var reader = WireReader(payload)
        guard let appID = reader.u16be(), let length = reader.u16be(), let reserved1 = reader.u16be(),
            let reserved2 = reader.u16be()
        else { return nil }
        var header = IEC61850Header()
        header.appID = appID
        header.length = length
        header.reserved1 = reserved1
        header.reserved2 = reserved2
        return header
    }

    /// Where the PDU ends: the declared length (bytes after it are Ethernet padding), which may
    /// lie past the bytes at hand (`cut`: a short capture; BER reads then say `truncated`), or
    /// the bytes at hand when the length is shorter than the header itself (`bad`).
    func pduEnd(in payload: Span<UInt8>) -> (end: Int, cut: Bool, bad: Bool) {
        let declared = Int(length)
        if declared < Self.length { return (payload.count, false, true) }
        return (declared, declared > payload.count, false)
    }
}
