extension OPCUA {
    /// What was wrong with a message whose framing was sound, named like Suricata's events
    /// (`opcua.invalid_length`) so rules can match them.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// A length inside the message (string, array, certificate) runs past its end or a cap.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// A chunk larger than the receive buffer its receiver announced in HEL/ACK.
        public static let chunkTooLarge = Anomalies(rawValue: 1 << 1)
        /// A type id that names no standard service, or one that is not numeric.
        public static let unknownService = Anomalies(rawValue: 1 << 2)
        /// The service body does not decode as its type says.
        public static let malformedBody = Anomalies(rawValue: 1 << 3)
        /// A chunk of another request arrived while a chunked message was being reassembled.
        public static let interleavedChunk = Anomalies(rawValue: 1 << 4)
        /// A chunked message exceeded `maxChunksPerMessage` or `maxReassemblyBytes`.
        public static let reassemblyOverflow = Anomalies(rawValue: 1 << 5)
        /// A response with no pending request of its request id.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 6)
        /// A response whose service does not answer its request's service.
        public static let responseMismatch = Anomalies(rawValue: 1 << 7)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 8)
        /// A secure channel id other than the one the channel was opened with.
        public static let secureChannelMismatch = Anomalies(rawValue: 1 << 9)
        /// The sequence number did not follow the previous chunk's in this direction.
        public static let sequenceGap = Anomalies(rawValue: 1 << 10)
        /// A message type sent the wrong way (ACK to the server, HEL to the client, …).
        public static let wrongDirection = Anomalies(rawValue: 1 << 11)
        /// A HEL/ACK value outside the spec (protocol version, buffers below 8192 bytes).
        public static let invalidValue = Anomalies(rawValue: 1 << 12)
        /// OpenSecureChannel with Basic128Rsa15 or Basic256 (deprecated by OPC 10000-7).
        public static let deprecatedSecurityPolicy = Anomalies(rawValue: 1 << 13)
        /// ActivateSession with a user name token whose password is not encrypted, on a channel
        /// that does not encrypt either: the password crosses the network in clear.
        public static let cleartextPassword = Anomalies(rawValue: 1 << 14)

        /// A message with more chunks or body bytes than its receiver announced it accepts
        /// (MaxChunkCount, MaxMessageSize in HEL/ACK): a peer ignoring the limits, or a flood.
        public static let messageLimitExceeded = Anomalies(rawValue: 1 << 15)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidLength, "opcua.invalid_length"),
            (.chunkTooLarge, "opcua.chunk_too_large"),
            (.unknownService, "opcua.unknown_service"),
            (.malformedBody, "opcua.malformed_body"),
            (.interleavedChunk, "opcua.interleaved_chunk"),
            (.reassemblyOverflow, "opcua.reassembly_overflow"),
            (.unsolicitedResponse, "opcua.unsolicited_response"),
            (.responseMismatch, "opcua.response_mismatch"),
            (.pendingOverflow, "opcua.pending_overflow"),
            (.secureChannelMismatch, "opcua.secure_channel_mismatch"),
            (.sequenceGap, "opcua.sequence_gap"),
            (.wrongDirection, "opcua.wrong_direction"),
            (.invalidValue, "opcua.invalid_value"),
            (.deprecatedSecurityPolicy, "opcua.deprecated_security_policy"),
            (.cleartextPassword, "opcua.cleartext_password"),
            (.messageLimitExceeded, "opcua.message_limit_exceeded"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
