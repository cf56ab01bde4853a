import ConvergeModel

extension EtherNetIP {
    /// One encapsulation message as parsed: plain scalars and offsets into the bytes given to
    /// `parse` (the header starts at 0), so parsing allocates nothing.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public var command: Command
        /// The header's length field: bytes of command data after the 24-byte header.
        public var length: UInt16
        public var session: UInt32
        public var status: UInt32
        public var senderContext: UInt64
        public var options: UInt32
        public var direction: Direction
        public var anomalies = Anomalies(rawValue: 0)

        /// Common packet format: item count and what the items said.
        public var itemCount: UInt16 = 0
        /// Type of the address item (0 null, 0xa1 connected, 0x8002 sequenced), nil when absent.
        public var addressItem: UInt16?
        /// Type of the data item (0xb1 connected, 0xb2 unconnected), nil when absent.
        public var dataItem: UInt16?
        /// Connection id of a connected or sequenced address item.
        public var connectionID: UInt32?
        /// Sequence count of connected data (16-bit) or of a sequenced address item (32-bit).
        public var sequence: UInt32?
        /// Socket address items (O→T, T→O) present.
        public var socketAddressItems: UInt8 = 0
        /// A ListIdentity identity item (0x0c) or ListServices item (0x100): where its body is.
        public var identityItemOffset = 0
        public var identityItemLength = 0
        /// RegisterSession: the protocol version asked for or granted.
        public var protocolVersion: UInt16 = 0

        /// The CIP message in the data item, if any.
        public var cip: CIPMessage?
        /// The request an Unconnected Send carries (requests only).
        public var embedded: CIPMessage?
        /// Forward Open / Forward Close details (connection manager requests and replies).
        public var connection: ConnectionInfo?
        /// Execute PCCC: the PCCC command and function.
        public var pccc: PCCCInfo?
        /// Multiple Service Packet: how many services it holds (as its count field says).
        public var embeddedServiceCount = 0

        /// For a response: the request it answers, when one was pending.
        public var request: Pending?
        /// For a paired response: time since its request, in nanoseconds.
        public var roundTripNanoseconds: Int64?

        /// Inlinable for `parse`, which builds a fresh frame per message (`S7Comm.Frame.init` says why).
        @inlinable
        public init(
            command: Command, length: UInt16, session: UInt32, status: UInt32, senderContext: UInt64,
            options: UInt32, direction: Direction
        ) {
            self.command = command
            self.length = length
            self.session = session
            self.status = status
            self.senderContext = senderContext
            self.options = options
            self.direction = direction
        }

        public var isRequest: Bool { direction == .toServer }
        /// Counted like Wireshark's `enip.command`.
        public var functionCode: Int { Int(command.rawValue) }
        public var hasFunction: Bool { true }
        /// Bytes of the whole message, as `parse` consumed them.
        public var totalLength: Int { headerLength &+ Int(length) }

        /// The request the CIP message addresses: the embedded one of an Unconnected Send.
        public var effectiveRequest: CIPMessage? { embedded ?? cip }

        /// Whether the CIP message may hold more services (Multiple Service Packet, Unconnected
        /// Send request), so counting them must look further than `cip`.
        var cipCarriesServices: Bool {
            guard let service = cip?.service else { return false }
            return service & 0x7f == Service.multipleServicePacket || service == Service.unconnectedSend
        }
    }

    /// A request waiting for its response, kept in the flow's `State`: the fields of the CIP
    /// request that the response does not repeat.
    public struct Pending: Sendable, Equatable {
        /// Sender context (SendRRData) or connected sequence count with the top bit set.
        public var key: UInt64
        public var command: Command
        /// The service whose response comes back (for an Unconnected Send: the embedded one).
        public var service: UInt8
        public var classID: UInt32?
        public var instance: UInt32?
        public var attribute: UInt32?
        public var isSymbolic: Bool
        /// Whether the request went through an Unconnected Send.
        public var viaUnconnectedSend: Bool
        /// Execute PCCC: the request's function code, which the reply does not repeat.
        public var pcccFunction: UInt8?
        public var time: Timestamp

        public var target: ServiceTarget { ServiceTarget(classID: classID, isSymbolic: isSymbolic) }
    }

    /// Connection manager details (CIP Vol. 1, 3-5.5): plain scalars.
    public struct ConnectionInfo: Sendable, Equatable {
        /// Originator→target and target→originator connection ids.
        public var originatorToTargetID: UInt32 = 0
        public var targetToOriginatorID: UInt32 = 0
        public var connectionSerial: UInt16 = 0
        public var originatorVendor: UInt16 = 0
        public var originatorSerial: UInt32 = 0
        /// Requested packet intervals (requests) or actual ones (replies), microseconds.
        public var originatorToTargetRPI: UInt32 = 0
        public var targetToOriginatorRPI: UInt32 = 0
        /// Transport class and trigger byte; its low nibble is the transport class (0, 1, 3).
        public var transportTrigger: UInt8 = 0
        /// What the connection path addresses (e.g. assembly instances for I/O).
        public var classID: UInt32?
        public var instance: UInt32?
        public var connectionPoint: UInt32?

        public init() {}

        public var transportClass: UInt8 { transportTrigger & 0x0f }
    }

    /// An Execute PCCC request or reply (Rockwell DF1 commands carried in CIP).
    public struct PCCCInfo: Sendable, Equatable {
        public var command: UInt8
        public var status: UInt8
        public var transaction: UInt16
        /// The function code of commands that have one (0x0f, 0x06, …), nil otherwise.
        public var function: UInt8?
        /// Where the PCCC data after the function code starts, and its length.
        public var dataOffset: Int
        public var dataLength: Int
    }
}
