import ConvergeModel

extension BACnetIP {
    /// One BACnet/IP datagram as parsed: BVLC, NPDU and APDU header fields as plain scalars and
    /// offsets into the datagram, so parsing allocates nothing. Service bodies are walked again by
    /// `event`, `facts` and `processValues`, which run only when something consumes them.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        // BVLC (Annex J.2)
        public var bvlcFunction: UInt8
        public var bvlcLength: UInt16
        /// Bytes of the datagram as handed to `parse`.
        public var datagramLength: Int
        /// Forwarded-NPDU: the original source's IPv4 address and port (B/IP address, 6 bytes).
        public var originalAddress: UInt32 = 0
        public var originalPort: UInt16 = 0
        /// BVLC-Result code; register-foreign-device time-to-live; BDT/FDT entry count.
        public var bvlcValue: UInt16 = 0

        // NPDU (clause 6.2)
        public var hasNPDU = false
        public var npduVersion: UInt8 = 0
        public var npduControl: UInt8 = 0
        public var destinationNetwork: UInt16?
        public var destinationAddressLength: UInt8 = 0
        /// The destination MAC (up to 8 bytes, big-endian; longer addresses are folded).
        public var destinationAddress: UInt64 = 0
        public var sourceNetwork: UInt16?
        public var sourceAddressLength: UInt8 = 0
        public var sourceAddress: UInt64 = 0
        public var hopCount: UInt8?
        /// A network layer message (control bit 7) carries this type instead of an APDU.
        public var networkMessageType: UInt8?
        /// Proprietary network messages (type ≥ 0x80) name their vendor.
        public var networkVendorID: UInt16 = 0

        // APDU (clause 20.1)
        public var hasAPDU = false
        public var apduOffset = 0
        /// End of the APDU: the datagram end, or the BVLC length when that is shorter.
        public var apduEnd = 0
        public var pduType: UInt8 = 0
        /// The low four bits of the first APDU byte (SEG, MOR, SA; NAK, SRV).
        public var pduFlags: UInt8 = 0
        public var invokeID: UInt8?
        public var serviceChoice: UInt8?
        /// Max segments (3 bits) and max APDU length accepted (4 bits) of a confirmed request.
        public var maxSegmentsCode: UInt8 = 0
        public var maxAPDUCode: UInt8 = 0
        public var sequenceNumber: UInt8 = 0
        public var windowSize: UInt8 = 0
        /// Where the service parameters start (after the service choice).
        public var serviceOffset = 0
        /// Error PDU: error class and code; reject/abort: the reason.
        public var errorClass: UInt32?
        public var errorCode: UInt32?
        public var reason: UInt8?

        public var anomalies = Anomalies(rawValue: 0)
        /// For a response: the confirmed request it answers, when one was pending.
        public var request: Pending?
        public var roundTripNanoseconds: Int64?

        // Segmentation (clause 5.2, 5.4)
        /// What reassembly made of this segment (`.none` for an unsegmented PDU or a Segment-ACK).
        public var segment = SegmentOutcome.none
        /// On the last segment of a message: how many segments it took.
        public var segmentsReassembled: UInt16 = 0
        /// On the last segment of a message reassembled whole: the service parameters of all its
        /// segments in order. Shares the flow's reassembly buffer (no copy). Events, facts and
        /// values read the service from here instead of the datagram.
        public var reassembled: [UInt8]?

        public init(direction: Direction, bvlcFunction: UInt8, bvlcLength: UInt16, datagramLength: Int) {
            self.direction = direction
            self.bvlcFunction = bvlcFunction
            self.bvlcLength = bvlcLength
            self.datagramLength = datagramLength
        }

        public var pdu: PDUType? { hasAPDU ? PDUType(rawValue: pduType) : nil }
        public var isSegmented: Bool { pduFlags & 0x08 != 0 }
        public var moreFollows: Bool { pduFlags & 0x04 != 0 }
        /// Confirmed request: the requester accepts a segmented response.
        public var segmentedResponseAccepted: Bool { pduFlags & 0x02 != 0 }
        /// Segment-ACK and Abort: sent by the server of the transaction.
        public var sentByServer: Bool { pduFlags & 0x01 != 0 }
        /// Segment-ACK: a negative acknowledgement (a segment was missed or out of order).
        public var negativeAck: Bool { pduFlags & 0x02 != 0 }
        /// A segment of a segmented confirmed request or complex ack (the only PDUs with SEG).
        public var isSegment: Bool { isSegmented && (pdu == .confirmedRequest || pdu == .complexAck) }
        /// Whether this PDU carries a confirmed-service choice (Wireshark's bacapp.confirmed_service).
        public var isConfirmedService: Bool {
            guard serviceChoice != nil, let pdu else { return false }
            switch pdu {
            case .confirmedRequest, .simpleAck, .complexAck, .error: return true
            default: return false
            }
        }
        public var isUnconfirmedService: Bool { serviceChoice != nil && pdu == .unconfirmedRequest }

        /// `bacapp.confirmed_service` as is; `bacapp.unconfirmed_service` offset by
        /// `unconfirmedServiceBase`, so the two numbering spaces (both start at 0) never merge.
        public var functionCode: Int {
            guard let serviceChoice else { return 0 }
            return isUnconfirmedService ? BACnetIP.unconfirmedServiceBase &+ Int(serviceChoice) : Int(serviceChoice)
        }
        /// Only APDUs that carry a service choice count under a function, as in Wireshark.
        public var hasFunction: Bool { isConfirmedService || isUnconfirmedService }

        /// The routing key of each end of a transaction, as `NPDU` addresses: 0 when local.
        var sourceRoute: UInt64 {
            BACnetIP.route(network: sourceNetwork, length: sourceAddressLength, address: sourceAddress)
        }
        var destinationRoute: UInt64 {
            BACnetIP.route(network: destinationNetwork, length: destinationAddressLength, address: destinationAddress)
        }
    }

    /// A confirmed request waiting for its answer, kept in the flow's `State`.
    public struct Pending: Sendable, Equatable {
        public var invokeID: UInt8
        /// The direction the request travelled; its answer travels the other way.
        public var direction: Direction
        /// Both ends' NPDU addresses mixed, so requests to different routed devices stay apart.
        public var route: UInt64
        public var service: UInt8
        public var time: Timestamp
    }

    /// Mixes an NPDU network number and MAC address into a routing key (0 for "not routed").
    static func route(network: UInt16?, length: UInt8, address: UInt64) -> UInt64 {
        guard let network else { return 0 }
        var key = UInt64(network) << 48 ^ UInt64(length) << 40
        key ^= address &* 0x9E37_79B9_7F4A_7C15
        return key == 0 ? 1 : key
    }
}
