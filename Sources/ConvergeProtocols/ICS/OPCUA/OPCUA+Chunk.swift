import ConvergeModel

extension OPCUA {
    /// One UA TCP message (a chunk, for OPN/MSG/CLO) as `parse` read it: scalars and offsets into
    /// the chunk only, so parsing allocates nothing.
    public struct Chunk: ParsedMessage, Sendable, Equatable {
        public var type: MessageType
        public var chunkType: ChunkType
        /// The message size field: bytes of this chunk, header included.
        public var size: Int
        public var direction: Direction
        public var anomalies = Anomalies(rawValue: 0)

        // MARK: HEL / ACK / ERR / RHE (offsets relative to the chunk)
        public var protocolVersion: UInt32 = 0
        public var receiveBufferSize: UInt32 = 0
        public var sendBufferSize: UInt32 = 0
        public var maxMessageSize: UInt32 = 0
        public var maxChunkCount: UInt32 = 0
        /// HEL/RHE endpoint URL, ERR/abort reason.
        public var text = Binary.Bytes.null
        /// RHE server URI.
        public var serverURI = Binary.Bytes.null
        /// ERR or abort (A chunk) status code.
        public var errorCode: UInt32 = 0

        // MARK: Secure conversation (OPN, MSG, CLO)
        public var secureChannelID: UInt32 = 0
        /// MSG/CLO: the symmetric security header's token id.
        public var tokenID: UInt32 = 0
        /// OPN: the asymmetric security header.
        public var policy: SecurityPolicy = .unknown
        public var policyURI = Binary.Bytes.null
        public var senderCertificateLength = 0
        public var receiverThumbprintLength = 0
        /// Whether the sequence header could be read (false when encrypted).
        public var hasSequenceHeader = false
        public var sequenceNumber: UInt32 = 0
        public var requestID: UInt32 = 0
        /// The body is encrypted (opaque): counted, never parsed.
        public var encrypted = false
        /// Offset of this chunk's body (after the sequence header; for an encrypted chunk, where the
        /// encrypted part starts); 0 when there is none.
        public var bodyOffset = 0
        /// A final chunk that completed a message of several chunks: the whole body is in the
        /// flow state's reassembly buffer for this direction (`State.body(for:)`).
        public var reassembled = false
        /// How many chunks the message took (1 for a single chunk).
        public var chunkCount = 1

        // MARK: Service (readable final chunks)
        /// Whether the message carries a numeric service type id (the body's first field).
        public var hasService = false
        /// The type id's numeric identifier: the service's binary encoding id (631 ReadRequest).
        public var serviceID: UInt32 = 0
        public var serviceNamespace: UInt16 = 0
        /// Offset in the body (see `reassembled`) where the service's own fields start, after
        /// the type id and the request or response header; 0 when the header did not decode.
        public var serviceFieldsOffset = 0
        public var requestHandle: UInt32 = 0
        /// Response header: the service result (a StatusCode; 0 is Good).
        public var serviceResult: UInt32 = 0
        /// Request header: whether the authentication token is the null NodeId (no session).
        public var hasAuthenticationToken = false
        /// Request/response header timestamp (100 ns ticks since 1601), 0 when absent.
        public var headerTimestamp: Int64 = 0
        /// OpenSecureChannel request: the mode asked for (readable only with policy None).
        public var requestedMode: SecurityMode = .unknown

        // MARK: Pairing
        /// For a response: the service id of the request it answers, when one was pending.
        public var requestServiceID: UInt32?
        public var roundTripNanoseconds: Int64?

        public init(type: MessageType, chunkType: ChunkType, size: Int, direction: Direction) {
            self.type = type
            self.chunkType = chunkType
            self.size = size
            self.direction = direction
        }

        /// Counted like Wireshark's `opcua.servicenodeid.numeric`: the service type id of a final
        /// OPN/MSG/CLO chunk whose body is readable; HEL/ACK/ERR/RHE, intermediate and abort
        /// chunks and encrypted bodies carry none.
        public var functionCode: Int { Int(serviceID) }
        public var hasFunction: Bool { hasService && !encrypted && chunkType == .final }

        /// The standard service this message is, if any.
        public var service: Service? { hasFunction && serviceNamespace == 0 ? OPCUA.service(serviceID) : nil }
        public var isRequest: Bool { direction == .toServer }
    }
}
