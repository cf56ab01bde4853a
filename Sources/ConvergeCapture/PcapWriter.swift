import ConvergeModel
import ConvergeWire

/// Writes packets as a classic pcap file (little-endian, nanosecond timestamps: magic
/// 0xa1b23c4d), the format every tool opens: `converge carve` cuts an alert's evidence into one.
public struct PcapWriter {
    /// The largest packet a record may hold; longer packets are cut to it (their wire length stays).
    public static let snapLength = 262_144

    public let linkType: LinkType
    public private(set) var bytes: [UInt8] = []
    public private(set) var packets = 0

    public init(linkType: LinkType) {
        self.linkType = linkType
        append32(0xa1b2_3c4d)
        append16(2)
        append16(4)
        append32(0)  // thiszone: timestamps are UTC
        append32(0)  // sigfigs
        append32(UInt32(Self.snapLength))
        append32(linkType.rawValue)
    }

    /// Adds one packet; a timestamp before 1970 or after 2106 is clamped to what pcap can say.
    public mutating func append(time: Timestamp, originalLength: Int, data: some Collection<UInt8>) {
        let (seconds, fraction) = time.nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let negative = fraction < 0
        let whole = negative ? seconds &- 1 : seconds
        let nanos = negative ? fraction &+ 1_000_000_000 : fraction
        let kept = min(data.count, Self.snapLength)
        append32(UInt32(clamping: whole))
        append32(whole < 0 ? 0 : UInt32(clamping: nanos))
        append32(UInt32(clamping: kept))
        append32(UInt32(clamping: max(originalLength, kept)))
        bytes.append(contentsOf: data.prefix(kept))
        packets &+= 1
    }

    private mutating func append16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    private mutating func append32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }
}
