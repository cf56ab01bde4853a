import ConvergeModel

extension S7Comm {
    /// What a user PDU on an S7comm flow turned out to be.
    public enum Kind: UInt8, Sendable {
        /// An S7comm PDU (protocol id 0x32).
        case pdu
        /// A user PDU with another protocol id (S7comm-plus, or not S7 at all).
        case foreign
        /// COTP fragments beyond `ISOOnTCP.maxReassembledBytes`/`maxFragments`, or a run of more
        /// than `maxConnectionTPDUs` connection TPDUs, dropped.
        case overflow
    }

    /// ROSCTR values (the PDU type in the header).
    public enum ROSCTR {
        public static let job: UInt8 = 1
        public static let ack: UInt8 = 2
        public static let ackData: UInt8 = 3
        public static let userdata: UInt8 = 7
    }

    /// One parsed user PDU: plain scalars and offsets, so parsing allocates nothing. The PDU bytes
    /// are at `pduOffset` in the span given to `parse`, or (when `reassembled`) in the flow's
    /// COTP reassembly buffer until the next `parse`.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public var kind: Kind = .pdu
        public var direction: Direction
        /// Where the PDU's bytes are, and the COTP DT TPDUs that carried it.
        public var pdu = ISOOnTCP.UserPDU()
        /// Classic S7 TSAP of a connection request/confirm walked past before this PDU (0 if none).
        public var calledTSAP: UInt16 = 0

        // Header.
        public var protocolID: UInt8 = 0
        public var rosctr: UInt8 = 0
        public var pduReference: UInt16 = 0
        public var parameterLength: UInt16 = 0
        public var dataLength: UInt16 = 0
        /// Ack and ack-data only: header error class and code (0 when none).
        public var errorClass: UInt8 = 0
        public var errorCode: UInt8 = 0

        // Job / ack-data parameter.
        /// The parameter's function byte (job and ack-data), valid when `hasFunction`.
        public var function: UInt8 = 0
        public var hasFunction = false
        /// Read/write variable: the item count byte.
        public var itemCount: UInt8 = 0
        /// Setup communication: the PDU size asked for or granted.
        public var negotiatedPDUSize: UInt16 = 0
        /// PI service (0x28/0x29) recognised from its name.
        public var piService: PIService = .none
        /// Block of an upload/download/PI request: type code (`BlockType`) and number.
        public var blockType: UInt8 = 0
        public var blockNumber: Int32 = -1
        /// Blocks named in a PI service parameter (insert/delete list several).
        public var blockCount: UInt8 = 0

        // Userdata.
        /// Userdata parameter: method (0x11 request, 0x12 response), type (upper nibble: 0 push,
        /// 4 request, 8 response), function group (lower nibble), subfunction, sequence number.
        public var userdataMethod: UInt8 = 0
        public var userdataType: UInt8 = 0
        public var userdataGroup: UInt8 = 0
        public var userdataSubfunction: UInt8 = 0
        public var userdataSequence: UInt8 = 0
        public var dataUnitReference: UInt8 = 0
        /// False when the response continues in a later PDU (userdata "last data unit: no").
        public var lastDataUnit = true
        /// The userdata parameter's error code (responses with the 8-byte parameter), 0 if none.
        public var userdataError: UInt16 = 0
        /// Read SZL: the list id and index (from the request, or the response's first part; a
        /// continuation takes them from the flow's SZL collector).
        public var szlID: UInt16 = 0
        public var szlIndex: UInt16 = 0
        /// The response part completes an identity SZL kept in the flow's state (see `facts`).
        public var completesIdentitySZL = false
        /// The length the userdata data item gives its payload (bounded by the PDU).
        public var userdataPayloadLength: UInt16 = 0
        /// Programmer commands that enable, disable, delete or replace a job: the job's own
        /// subfunction (e.g. 0x02 variable table), 0 when none.
        public var jobFunction: UInt8 = 0
        /// The first data item's return code (0xff success), 0 when none.
        public var returnCode: UInt8 = 0

        public var anomalies = Anomalies(rawValue: 0)
        /// For a response: the request it answers, when one was pending.
        public var request: Pending?
        public var roundTripNanoseconds: Int64?

        /// Inlinable: `parse` builds a fresh frame for every PDU, and an out-of-line init returns
        /// it through memory that is then copied whole into the frame `takeMessage` fills.
        @inlinable
        public init(direction: Direction) { self.direction = direction }

        /// Wireshark's `s7comm.param.func`: the function byte of job and ack-data parameters.
        /// Userdata, ack without parameter and non-S7 PDUs have none (tshark shows none for them).
        public var functionCode: Int { Int(function) }

        public var isUserdata: Bool { kind == .pdu && rosctr == ROSCTR.userdata }
        /// Job and userdata requests go to the PLC; ack, ack-data and userdata responses and
        /// pushes come back.
        public var isRequest: Bool {
            if isUserdata { return userdataType == 4 }
            return rosctr == ROSCTR.job
        }
        /// Ack/ack-data header error, combined as Wireshark shows it (class << 8 | code).
        public var headerError: UInt16 { UInt16(errorClass) << 8 | UInt16(errorCode) }
    }

    /// A request waiting for its response, kept in the flow's `State`.
    public struct Pending: Sendable, Equatable {
        public var pduReference: UInt16
        public var rosctr: UInt8
        public var function: UInt8
        public var userdataGroup: UInt8
        public var userdataSubfunction: UInt8
        public var szlID: UInt16
        public var szlIndex: UInt16
        /// Read/write requests: where their item addresses sit in the state's item ring.
        public var firstItem: UInt32
        public var itemCount: UInt8
        public var time: Timestamp
        /// PI service and block of the request, so its response is named alike.
        public var piService: PIService = .none
        public var blockType: UInt8 = 0
        public var blockNumber: Int32 = -1
        /// Programmer commands: the job a request enables, disables or deletes.
        public var jobFunction: UInt8 = 0
    }

    /// PI services (program invocation, function 0x28, and PLC stop 0x29) by name.
    public enum PIService: UInt8, Sendable {
        case none = 0, unknown, hotStart, coldStart, stop, insertBlock, deleteBlock, compressMemory
        case copyRAMToROM, ncService

        public var name: String {
            switch self {
            case .none: "none"
            case .unknown: "unknown"
            case .hotStart: "hot_start"
            case .coldStart: "cold_start"
            case .stop: "stop"
            case .insertBlock: "insert_block"
            case .deleteBlock: "delete_block"
            case .compressMemory: "compress_memory"
            case .copyRAMToROM: "copy_ram_to_rom"
            case .ncService: "nc_service"
            }
        }
    }
}
