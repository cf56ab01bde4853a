import ConvergeCapture
import ConvergeModel

/// What `converge analyze` reports: the README documents this schema (`--json`).
public struct AnalysisSummary: Sendable, Codable {
    public struct FlowCounts: Sendable, Codable {
        public var tcp: UInt64 = 0
        public var udp: UInt64 = 0
        public var other: UInt64 = 0
    }

    public struct ProtocolSummary: Sendable, Codable {
        public var messages: UInt64
        /// Decimal function code → messages with that code.
        public var functions: [String: UInt64]

        public init(messages: UInt64, functions: [String: UInt64]) {
            self.messages = messages
            self.functions = functions
        }
    }

    public struct Talker: Sendable, Codable {
        public var address: String
        public var packets: UInt64
        public var bytes: UInt64
    }

    /// Cyclic real-time traffic between two Ethernet addresses (PROFINET RT: an IO controller and
    /// an IO device exchange one frame each way every cycle).
    public struct LinkConversation: Sendable, Codable {
        public var proto: String
        public var source: String
        public var destination: String
        /// The FrameID the sender uses for this exchange (one per IO CR).
        public var frameID: Int
        public var frames: UInt64
    }

    public struct Problem: Sendable, Codable {
        public enum Kind: String, Sendable, Codable {
            /// The file could not be read (further): reading it stopped here.
            case file
            /// One packet could not be decoded; reading went on.
            case packet
        }
        public var kind: Kind
        public var file: String
        public var record: Int
        public var offset: Int
        public var reason: String
        public var isFileLevel: Bool { kind == .file }

        public init(kind: Kind, file: String, record: Int, offset: Int, reason: String) {
            self.kind = kind
            self.file = file
            self.record = record
            self.offset = offset
            self.reason = reason
        }
    }

    public struct Health: Sendable, Codable {
        public var flowsEvicted: UInt64 = 0
        public var flowsTimedOut: UInt64 = 0
        public var fragmentsReassembled: UInt64 = 0
        public var fragmentsTimedOut: UInt64 = 0
        public var fragmentOverlaps: UInt64 = 0
        public var fragmentsDropped: UInt64 = 0
        public var streamGaps: UInt64 = 0
        public var streamBytesDropped: UInt64 = 0
        public var malformedMessages: UInt64 = 0
    }

    public var files: [String] = []
    public var packets: UInt64 = 0
    /// Frame bytes as they were on the wire (pcap `len`), summed.
    public var bytes: UInt64 = 0
    /// Bytes present in the capture (pcap `caplen`), summed.
    public var capturedBytes: UInt64 = 0
    /// Seconds since the epoch (fractional), nil when no packet was read.
    public var firstTs: Double?
    public var lastTs: Double?
    public var flows = FlowCounts()
    public var protocols: [String: ProtocolSummary] = [:]
    public var topTalkers: [Talker] = []
    /// PROFINET cyclic frames per sender → receiver pair and FrameID, busiest first (at most
    /// `LinkLayer.maxListedPairs`); `linkConversationsNotListed` counts the rest.
    public var linkConversations: [LinkConversation] = []
    public var linkConversationsNotListed: UInt64 = 0
    /// Packets that could not be decoded, by reason.
    public var decodeErrors: [String: UInt64] = [:]
    public var health = Health()
    /// File-level errors, then the first packet-level ones, each with file, record and offset.
    public var errors: [Problem] = []
    /// Packet-level problems beyond those listed in `errors`.
    public var errorsNotListed: UInt64 = 0

    public init() {}
}
