extension DecodedPacket {
    /// Oddities the decoder noticed but decoded through, as Wireshark's expert notes do: a packet
    /// with anomalies still has every field it could read.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The IP length field claims more bytes than were captured (snaplen cut or a lie); the
        /// captured bytes were used.
        public static let ipLengthExceedsCapture = Anomalies(rawValue: 1 << 0)
        /// The IP length field is 0 (TCP segmentation offload on the capturing host, or an IPv6
        /// jumbogram); the captured bytes were used.
        public static let ipLengthZero = Anomalies(rawValue: 1 << 1)
        /// The UDP length field is shorter than the IP payload; the UDP length was used.
        public static let udpLengthShort = Anomalies(rawValue: 1 << 2)
        /// An IPv6 hop-by-hop options header somewhere other than first in the chain (RFC 8200 §4.1).
        public static let misplacedHopByHop = Anomalies(rawValue: 1 << 3)
        /// An 802.3 length field that disagrees with the frame size.
        public static let badEthernetLength = Anomalies(rawValue: 1 << 4)
        /// The IPv4 header has options (they were skipped).
        public static let ipOptions = Anomalies(rawValue: 1 << 5)
        /// The IPv4 option list does not tile the header (an option length of 0, 1 or past the end).
        public static let badIPOptions = Anomalies(rawValue: 1 << 8)
        /// A loopback (null/loop) header with an address family the decoder does not know.
        public static let unknownLoopbackFamily = Anomalies(rawValue: 1 << 6)
        /// An IPv6 fragment header with offset 0 and no more fragments (RFC 6946 atomic fragment).
        public static let atomicFragment = Anomalies(rawValue: 1 << 7)
    }
}
