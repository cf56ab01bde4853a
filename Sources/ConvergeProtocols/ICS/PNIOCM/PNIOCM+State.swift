import ConvergeModel

extension PNIOCM {
    /// One DCE/RPC connectionless packet as parsed: its 80-byte header and what its PNIO
    /// arguments name (offsets point into the datagram given to `parse`).
    public struct Frame: ParsedMessage, Sendable {
        public var packetType: UInt8 = 0
        public var flags1: UInt8 = 0
        public var flags2: UInt8 = 0
        /// `drep[0]` high nibble 1: NDR integers are little-endian.
        public var littleEndian = false
        public var objectUUID: UInt128 = 0
        public var interfaceUUID: UInt128 = 0
        public var activityUUID: UInt128 = 0
        public var serverBoot: UInt32 = 0
        public var interfaceVersion: UInt32 = 0
        public var sequence: UInt32 = 0
        public var opnum: UInt16 = 0
        public var fragmentLength: UInt16 = 0
        public var fragmentNumber: UInt16 = 0
        /// Serial number: high byte from header byte 7, low byte from byte 79.
        public var serial: UInt16 = 0
        public var interface: Interface = .other
        /// The body's length as present in the datagram (the header's, clipped).
        public var bodyLength = 0

        /// Responses: the PNIOStatus (ErrorCode, ErrorDecode, ErrorCode1, ErrorCode2); 0 is OK.
        public var pnioStatus: UInt32 = 0
        /// Fault and reject packets: the NCA status code their body carries.
        public var faultStatus: UInt32 = 0
        /// The first PNIO block's type, 0 when none was read.
        public var firstBlockType: UInt16 = 0
        public var blockCount = 0
        /// Record access (IODRead/IODWrite request or response header).
        public var hasRecord = false
        public var recordBlockType: UInt16 = 0
        public var api: UInt32 = 0
        public var slot: UInt16 = 0
        public var subslot: UInt16 = 0
        public var index: UInt16 = 0
        public var recordLength: UInt32 = 0
        /// AR block request (Connect): AR type and where the CMInitiatorStationName lies.
        public var hasARBlock = false
        public var arType: UInt16 = 0
        public var arUUID: UInt128 = 0
        public var stationNameOffset = 0
        public var stationNameLength = 0
        /// IODControlReq/Res: block type and ControlCommand bits.
        public var hasControl = false
        public var controlBlockType: UInt16 = 0
        public var controlCommand: UInt16 = 0
        /// For a response paired with its request.
        public var roundTripNanoseconds: Int64? = nil
        public var anomalies = Anomalies()

        public var functionCode: Int { Int(opnum) }
        /// tshark shows `dcerpc.opnum` on every connectionless packet (the header carries it).
        public var hasFunction: Bool { true }
        public var isRequest: Bool { packetType == PacketType.request }
        public var isAnswer: Bool {
            packetType == PacketType.response || packetType == PacketType.fault || packetType == PacketType.reject
        }
        public var isFirstFragment: Bool { fragmentNumber == 0 }
    }

    /// A request waiting for its answer, named by activity and sequence number.
    public struct Pending: Sendable, PendingRequest {
        public struct Key: Equatable, Sendable {
            public var activity: UInt128
            public var sequence: UInt32
        }
        public var pendingKey: Key
        public var opnum: UInt16
        public var time: Timestamp
    }

    /// Per-flow state: requests waiting for their answers, at most 32 (more evict the oldest, an
    /// anomaly). PNIO CM timeouts are seconds: an older request makes room silently after 30 s.
    public typealias State = PendingRequestState<Pending>
    public static let pendingCapacity = 32
    public static let requestTimeout = Duration64.seconds(30)

    /// What was wrong with a packet, as a bit set (no allocation while parsing).
    public struct Anomalies: OptionSet, Sendable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let truncatedBody = Anomalies(rawValue: 1 << 0)
        public static let badArguments = Anomalies(rawValue: 1 << 1)
        public static let badBlock = Anomalies(rawValue: 1 << 2)
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 3)
        public static let mismatchedResponse = Anomalies(rawValue: 1 << 4)
        public static let pendingOverflow = Anomalies(rawValue: 1 << 5)
        public static let tooManyBlocks = Anomalies(rawValue: 1 << 6)

        /// Names as rules see them (`pn_io_cm.<name>`).
        public var names: [String] {
            var names: [String] = []
            if contains(.truncatedBody) { names.append("pn_io_cm.invalid_length") }
            if contains(.badArguments) { names.append("pn_io_cm.bad_arguments") }
            if contains(.badBlock) { names.append("pn_io_cm.bad_block") }
            if contains(.unsolicitedResponse) { names.append("pn_io_cm.unsolicited_response") }
            if contains(.mismatchedResponse) { names.append("pn_io_cm.mismatched_response") }
            if contains(.pendingOverflow) { names.append("pn_io_cm.request_flood") }
            if contains(.tooManyBlocks) { names.append("pn_io_cm.too_many_blocks") }
            return names
        }
    }
}
