import ConvergeModel

extension TLS {
    /// Handshake message types (IANA "TLS HandshakeType"), as Wireshark's `tls.handshake.type`.
    public struct HandshakeType: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let helloRequest = HandshakeType(rawValue: 0)
        public static let clientHello = HandshakeType(rawValue: 1)
        public static let serverHello = HandshakeType(rawValue: 2)
        public static let certificate = HandshakeType(rawValue: 11)

        /// The snake_case name, nil for a type no RFC defines.
        public var name: String? {
            switch rawValue {
            case 0: "hello_request"
            case 1: "client_hello"
            case 2: "server_hello"
            case 3: "hello_verify_request"
            case 4: "new_session_ticket"
            case 5: "end_of_early_data"
            case 6: "hello_retry_request"
            case 8: "encrypted_extensions"
            case 11: "certificate"
            case 12: "server_key_exchange"
            case 13: "certificate_request"
            case 14: "server_hello_done"
            case 15: "certificate_verify"
            case 16: "client_key_exchange"
            case 20: "finished"
            case 21: "certificate_url"
            case 22: "certificate_status"
            case 23: "supplemental_data"
            case 24: "key_update"
            case 25: "compressed_certificate"
            case 254: "message_hash"
            default: nil
            }
        }

        /// Certificates and their proofs authenticate; everything else sets up the session.
        public var operation: Operation {
            switch rawValue {
            case 11, 13, 15, 21, 22, 25: .auth
            default: .session
            }
        }
    }

    /// Alert descriptions (RFC 8446 6), snake_case, nil for unknown codes.
    public static func alertName(_ code: UInt8) -> String? {
        switch code {
        case 0: "close_notify"
        case 10: "unexpected_message"
        case 20: "bad_record_mac"
        case 21: "decryption_failed"
        case 22: "record_overflow"
        case 30: "decompression_failure"
        case 40: "handshake_failure"
        case 41: "no_certificate"
        case 42: "bad_certificate"
        case 43: "unsupported_certificate"
        case 44: "certificate_revoked"
        case 45: "certificate_expired"
        case 46: "certificate_unknown"
        case 47: "illegal_parameter"
        case 48: "unknown_ca"
        case 49: "access_denied"
        case 50: "decode_error"
        case 51: "decrypt_error"
        case 60: "export_restriction"
        case 70: "protocol_version"
        case 71: "insufficient_security"
        case 80: "internal_error"
        case 86: "inappropriate_fallback"
        case 90: "user_canceled"
        case 100: "no_renegotiation"
        case 109: "missing_extension"
        case 110: "unsupported_extension"
        case 112: "unrecognized_name"
        case 113: "bad_certificate_status_response"
        case 115: "unknown_psk_identity"
        case 116: "certificate_required"
        case 120: "no_application_protocol"
        default: nil
        }
    }
}
