/// What a TCP SYN or SYN+ACK tells about the stack that sent it, read passively (the fields p0f v3
/// prints as `ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass`): plain scalars, so reading one
/// allocates nothing. `PassiveOS.guess` turns it into an operating-system hint.
public struct PassiveOSSignature: Sendable, Hashable {
    /// 4 or 6.
    public var ipVersion: UInt8 = 4
    /// The TTL (IPv4) or hop limit (IPv6) as seen on the wire.
    public var ttl: UInt8 = 0
    /// The sender's likely initial TTL: the next of 32, 64, 128 and 255 at or above `ttl`.
    public var initialTTL: UInt8 = 0
    /// Routers between the sender and the sensor, if `initialTTL` is right.
    public var distance: UInt8 = 0
    public var isSynAck: Bool = false
    /// IPv4 "don't fragment"; always false for IPv6.
    public var dontFragment: Bool = false
    /// IPv4 identification field is zero; false for IPv6.
    public var ipIDZero: Bool = false
    /// Bytes of IPv4 options (0 for IPv6, as p0f reports it).
    public var ipOptionsLength: UInt8 = 0
    public var window: UInt16 = 0
    /// Maximum segment size option, nil when absent.
    public var mss: UInt16? = nil
    /// Window scale shift, nil when absent.
    public var windowScale: UInt8? = nil
    /// TCP option kinds in the order they appear.
    public var options: OptionLayout = OptionLayout()
    public var timestampPresent: Bool = false
    /// The sender's own timestamp (TSval) is zero.
    public var timestampZero: Bool = false
    public var sackPermitted: Bool = false
    /// Bytes after an end-of-options-list option up to the end of the TCP header (p0f's `eol+n`).
    public var eolPadding: UInt8 = 0
    public var quirks: Quirks = []
    /// IP header (with options or extension headers) plus TCP header, in bytes: p0f's "actual size"
    /// MTU candidate for the window.
    public var headerBytes: UInt16 = 0
    /// TCP payload bytes carried by the SYN (normally 0; TCP Fast Open and odd stacks send data).
    public var payloadLength: Int = 0

    public init() {}

    /// Initial TTLs real stacks use: p0f's guess (32 for old Windows and some embedded stacks, 64 for
    /// Unix-likes, 128 for Windows, 255 for network gear and Solaris).
    public static func initialTTL(for ttl: UInt8) -> UInt8 {
        switch ttl {
        case 0...32: 32
        case 33...64: 64
        case 65...128: 128
        default: 255
        }
    }
}

extension PassiveOSSignature {
    /// IP and TCP header oddities, named as p0f v3 documents them (its README, "TCP signatures").
    public struct Quirks: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `df`: IPv4 don't-fragment set.
        public static let dontFragment = Quirks(rawValue: 1 << 0)
        /// `id+`: DF set but the IP ID is not zero.
        public static let idNonZeroWithDF = Quirks(rawValue: 1 << 1)
        /// `id-`: DF clear but the IP ID is zero.
        public static let idZeroWithoutDF = Quirks(rawValue: 1 << 2)
        /// `ecn`: ECN bits in the IP header, or ECE/CWR on the SYN.
        public static let ecn = Quirks(rawValue: 1 << 3)
        /// `0+`: the IPv4 reserved ("must be zero") flag is set.
        public static let mustBeZeroSet = Quirks(rawValue: 1 << 4)
        /// `flow`: non-zero IPv6 flow label.
        public static let flowLabel = Quirks(rawValue: 1 << 5)
        /// `seq-`: sequence number zero.
        public static let sequenceZero = Quirks(rawValue: 1 << 6)
        /// `ack+`: acknowledgment number non-zero without the ACK flag.
        public static let ackNumberWithoutFlag = Quirks(rawValue: 1 << 7)
        /// `ack-`: ACK flag with a zero acknowledgment number.
        public static let ackFlagWithZeroNumber = Quirks(rawValue: 1 << 8)
        /// `uptr+`: urgent pointer non-zero without the URG flag.
        public static let urgentPointerWithoutFlag = Quirks(rawValue: 1 << 9)
        /// `urgf+`: URG flag set.
        public static let urgentFlag = Quirks(rawValue: 1 << 10)
        /// `pushf+`: PSH flag set.
        public static let pushFlag = Quirks(rawValue: 1 << 11)
        /// `ts1-`: own timestamp zero.
        public static let ownTimestampZero = Quirks(rawValue: 1 << 12)
        /// `ts2+`: peer timestamp non-zero on an initial SYN.
        public static let peerTimestampOnSyn = Quirks(rawValue: 1 << 13)
        /// `opt+`: non-zero bytes after the end-of-options option.
        public static let dataAfterEOL = Quirks(rawValue: 1 << 14)
        /// `exws`: window scale above 14 (RFC 7323's maximum).
        public static let excessiveWindowScale = Quirks(rawValue: 1 << 15)
        /// `bad`: malformed TCP options (a length of 0 or 1, a wrong fixed length, running past the header).
        public static let badOptions = Quirks(rawValue: 1 << 16)

        /// p0f's names, in the order it prints them.
        static let names: [(Quirks, String)] = [
            (.dontFragment, "df"), (.idNonZeroWithDF, "id+"), (.idZeroWithoutDF, "id-"), (.ecn, "ecn"),
            (.mustBeZeroSet, "0+"), (.flowLabel, "flow"), (.sequenceZero, "seq-"),
            (.ackNumberWithoutFlag, "ack+"), (.ackFlagWithZeroNumber, "ack-"),
            (.urgentPointerWithoutFlag, "uptr+"), (.urgentFlag, "urgf+"), (.pushFlag, "pushf+"),
            (.ownTimestampZero, "ts1-"), (.peerTimestampOnSyn, "ts2+"), (.dataAfterEOL, "opt+"),
            (.excessiveWindowScale, "exws"), (.badOptions, "bad"),
        ]
    }

    /// TCP option kinds in wire order, one byte each, packed into a `UInt128` (first option in the
    /// low byte) so the layout is a hashable scalar. A TCP header has at most 40 option bytes; the
    /// first `capacity` options are kept and `count` says how many were kept.
    public struct OptionLayout: Sendable, Hashable {
        public static let capacity = 16
        public private(set) var packed: UInt128 = 0
        public private(set) var count: UInt8 = 0

        public init() {}

        /// A layout from kinds (for tables and tests); kinds past `capacity` are dropped.
        public init(_ kinds: [UInt8]) {
            for kind in kinds { append(kind) }
        }

        public mutating func append(_ kind: UInt8) {
            guard Int(count) < Self.capacity else { return }
            packed |= UInt128(kind) << (UInt128(count) &* 8)
            count &+= 1
        }

        public subscript(index: Int) -> UInt8 {
            guard index >= 0, index < Int(count) else { return 0 }
            return UInt8(truncatingIfNeeded: packed >> UInt128(index &* 8))
        }

        public static let eol: UInt8 = 0
        public static let nop: UInt8 = 1
        public static let mss: UInt8 = 2
        public static let windowScale: UInt8 = 3
        public static let sackPermitted: UInt8 = 4
        public static let sack: UInt8 = 5
        public static let timestamp: UInt8 = 8
    }
}
