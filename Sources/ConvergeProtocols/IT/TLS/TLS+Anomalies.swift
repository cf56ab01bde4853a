extension TLS {
    /// What was wrong with a message whose record framing was sound (event names `tls.<name>`).
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// A hello whose fields or extensions run past their lengths or the message.
        public static let malformedHello = Anomalies(rawValue: 1 << 0)
        /// A handshake type no RFC defines.
        public static let unknownHandshakeType = Anomalies(rawValue: 1 << 1)
        /// A split handshake message longer than `maxReassembly`: only its start was kept.
        public static let reassemblyTruncated = Anomalies(rawValue: 1 << 2)
        /// A ChangeCipherSpec or alert record of a size its type does not have.
        public static let invalidRecordLength = Anomalies(rawValue: 1 << 3)
        /// A heartbeat request whose payload length exceeds its record (CVE-2014-0160).
        public static let heartbleed = Anomalies(rawValue: 1 << 4)
        /// A hello offering SSL 3.0 or older as its best version.
        public static let obsoleteVersion = Anomalies(rawValue: 1 << 5)
        /// More extensions than `maxExtensions`: the rest were not read.
        public static let tooManyExtensions = Anomalies(rawValue: 1 << 6)
        /// A certificate message whose first certificate could not be read.
        public static let malformedCertificate = Anomalies(rawValue: 1 << 7)
        /// A handshake record that is empty, or one that ends inside a message header and
        /// continues in the next record (legal but rare; evasion uses it).
        public static let fragmentedHandshake = Anomalies(rawValue: 1 << 8)
        /// Set when the event is built: the server's certificate expired before the packet's time,
        /// is not valid yet, or names itself as its issuer.
        public static let certificateExpired = Anomalies(rawValue: 1 << 9)
        public static let certificateNotYetValid = Anomalies(rawValue: 1 << 10)
        public static let selfSignedCertificate = Anomalies(rawValue: 1 << 11)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.malformedHello, "tls.malformed_hello"),
            (.unknownHandshakeType, "tls.unknown_handshake_type"),
            (.reassemblyTruncated, "tls.reassembly_truncated"),
            (.invalidRecordLength, "tls.invalid_record_length"),
            (.heartbleed, "tls.heartbleed"),
            (.obsoleteVersion, "tls.obsolete_version"),
            (.tooManyExtensions, "tls.too_many_extensions"),
            (.malformedCertificate, "tls.malformed_certificate"),
            (.fragmentedHandshake, "tls.fragmented_handshake"),
            (.certificateExpired, "tls.certificate_expired"),
            (.certificateNotYetValid, "tls.certificate_not_yet_valid"),
            (.selfSignedCertificate, "tls.self_signed_certificate"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
