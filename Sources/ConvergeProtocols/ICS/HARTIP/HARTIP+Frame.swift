import ConvergeModel

extension HARTIP {
    /// One HART-IP message as parsed: the header, and for pass-through messages the HART PDU's
    /// command, response code and where its data lies (offsets into the message).
    public struct Frame: ParsedMessage, Sendable {
        public var version: UInt8 = 0
        /// 0 request, 1 response, 2 publish, 3 error, 15 NAK.
        public var messageType: UInt8 = 0
        /// 0 session initiate, 1 session close, 2 keep alive, 3 pass-through, 4 direct PDU, 128 discovery.
        public var messageID: UInt8 = 0
        /// The header's status: an error code on responses.
        public var status: UInt8 = 0
        public var sequence: UInt16 = 0
        public var byteCount = 0
        /// Session initiate request: the host type (0 secondary, 1 primary) and inactivity timer (ms).
        public var hostType: UInt8? = nil
        public var inactivityTimer: UInt32? = nil
        /// HART PDU delimiter (bit 7: long address; bits 0-2: frame type).
        public var delimiter: UInt8 = 0
        /// The 38-bit long address (manufacturer, device type, device id) of a long frame.
        public var longAddress: UInt64? = nil
        /// HART command of a pass-through PDU (-1 when none); command 31 is replaced by the
        /// 16-bit expanded command it carries.
        public var command = -1
        /// Offset of the HART PDU's data (after response code and device status on responses).
        public var pduDataOffset = 0
        public var pduDataLength = 0
        public var responseCode: UInt8 = 0
        public var deviceStatus: UInt8 = 0
        /// Time since the request with the same sequence number, for paired responses.
        public var roundTripNanoseconds: Int64? = nil
        public var anomalies = Anomalies()

        public var functionCode: Int { Int(messageID) }
        public var hasFunction: Bool { true }
        public var isRequest: Bool { messageType == 0 }
        public var hasCommand: Bool { command >= 0 }
    }

    /// A request waiting for its response.
    public struct Pending: Sendable, PendingRequest {
        public var sequence: UInt16
        public var messageID: UInt8
        public var command: Int
        public var time: Timestamp
        public var pendingKey: UInt16 { sequence }
    }

    /// Per-flow state: requests waiting for their answers, at most 32 (more evict the oldest, an
    /// anomaly). HART-IP clients retry within seconds: an older request makes room silently after 30 s.
    public typealias State = PendingRequestState<Pending>
    public static let pendingCapacity = 32
    public static let requestTimeout = Duration64.seconds(30)

    /// What was wrong with a message, as a bit set (no allocation while parsing).
    public struct Anomalies: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let truncatedPDU = Anomalies(rawValue: 1 << 0)
        public static let unknownMessageType = Anomalies(rawValue: 1 << 1)
        public static let unknownMessageID = Anomalies(rawValue: 1 << 2)
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 3)
        public static let mismatchedResponse = Anomalies(rawValue: 1 << 4)
        public static let pendingOverflow = Anomalies(rawValue: 1 << 5)

        /// Names as rules see them (`hart_ip.<name>`).
        public var names: [String] {
            var names: [String] = []
            if contains(.truncatedPDU) { names.append("hart_ip.invalid_length") }
            if contains(.unknownMessageType) { names.append("hart_ip.unknown_message_type") }
            if contains(.unknownMessageID) { names.append("hart_ip.unknown_message_id") }
            if contains(.unsolicitedResponse) { names.append("hart_ip.unsolicited_response") }
            if contains(.mismatchedResponse) { names.append("hart_ip.mismatched_response") }
            if contains(.pendingOverflow) { names.append("hart_ip.request_flood") }
            return names
        }
    }
}
