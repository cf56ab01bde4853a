import ConvergeModel

/// Puts IPv4 and IPv6 fragments back together, bounded in memory and time.
///
/// Fragments are keyed by (source, destination, protocol, identification); for IPv6 the protocol is
/// the fragment header's next header. Overlap policy: **first data wins**, as in Wireshark's
/// display: bytes already received are kept, a later fragment only fills holes. Overlaps are
/// counted, and counted again as inconsistent when the overlapping bytes differ (a classic IDS
/// evasion); an exact repeat of received bytes counts as a duplicate. Fragments that contradict the
/// datagram's end (data past a received last fragment, two different last fragments, more than
/// `maxDatagramSize`, a non-last fragment whose length is not a multiple of 8) are dropped and
/// counted as malformed. Over the limits, the oldest datagram in progress is evicted.
public struct IPReassembler: Sendable {
    public struct Limits: Sendable {
        /// Datagrams being reassembled at once.
        public var maxDatagrams: Int
        /// Bytes held in all datagram buffers together.
        public var maxTotalBytes: Int
        /// Largest reassembled transport-layer datagram.
        public var maxDatagramSize: Int
        /// Fragments accepted for one datagram (65535 bytes in 1280-byte IPv6 fragments is 52).
        public var maxFragmentsPerDatagram: Int
        /// How long a datagram may wait for its missing pieces, from its first fragment.
        public var timeout: Duration64

        public init(
            maxDatagrams: Int = 1024, maxTotalBytes: Int = 16 << 20, maxDatagramSize: Int = 65535,
            maxFragmentsPerDatagram: Int = 256, timeout: Duration64 = .seconds(30)
        ) {
            self.maxDatagrams = maxDatagrams
            self.maxTotalBytes = maxTotalBytes
            self.maxDatagramSize = maxDatagramSize
            self.maxFragmentsPerDatagram = maxFragmentsPerDatagram
            self.timeout = timeout
        }
    }

    public struct Stats: Sendable, Equatable {
        public var completed = 0
        public var timedOut = 0
        /// Fragments that overlapped bytes already received (duplicates not included).
        public var overlaps = 0
        /// Overlaps whose bytes differed from those already received (first data was kept).
        public var inconsistentOverlaps = 0
        /// Fragments whose bytes had all been received before, identically.
        public var duplicates = 0
        /// Datagrams given up because a limit was reached.
        public var dropped = 0
        /// Fragments that contradict the datagram's size rules.
        public var malformed = 0
        /// Fragments cut by the capture's snaplen (their data is incomplete, so they are not used).
        public var truncated = 0
        public init() {}
    }

    struct Key: Hashable {
        var source: UInt128
        var destination: UInt128
        var id: UInt32
        var ipProtocol: UInt8
    }

    struct Pending {
        var data: [UInt8] = []
        /// Received byte ranges, sorted, disjoint and not touching (merged).
        var received: [Range<Int>] = []
        /// Known once the last fragment (no "more fragments") arrived.
        var finalLength: Int?
        var firstSeen: Timestamp
        var fragments = 0
    }

    public let limits: Limits
    public internal(set) var stats = Stats()
    var pending: [Key: Pending] = [:]
    /// Sum of `data.count` over `pending`, held against `limits.maxTotalBytes`.
    public internal(set) var bufferedBytes = 0

    public init(limits: Limits = .init()) {
        self.limits = limits
    }

    /// Datagrams waiting for more fragments.
    public var inProgress: Int { pending.count }
}
