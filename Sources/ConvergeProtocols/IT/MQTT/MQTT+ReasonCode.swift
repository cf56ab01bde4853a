extension MQTT {
    /// CONNACK return codes (3.1/3.1.1 §3.2.2.3), SUBACK return codes (3.1.1 §3.9.3) and MQTT 5
    /// reason codes (5.0 §2.4), named in snake_case.
    public enum ReasonCode {
        /// The name of `code` in a packet of `type` at protocol `level` (0 = unknown, read as 3.1.1),
        /// or nil when the spec does not define it there.
        public static func name(_ code: UInt8, type: PacketType, level: UInt8) -> String? {
            if level < MQTT.level5 && type != .auth && type != .disconnect {
                return legacyName(code, type: type)
            }
            switch code {
            case 0x00:
                switch type {
                case .suback: return "granted_qos_0"
                case .disconnect: return "normal_disconnection"
                default: return "success"
                }
            case 0x01: return type == .suback ? "granted_qos_1" : nil
            case 0x02: return type == .suback ? "granted_qos_2" : nil
            case 0x04: return type == .disconnect ? "disconnect_with_will_message" : nil
            case 0x10: return type == .puback || type == .pubrec ? "no_matching_subscribers" : nil
            case 0x11: return type == .unsuback ? "no_subscription_existed" : nil
            case 0x18: return type == .auth ? "continue_authentication" : nil
            case 0x19: return type == .auth ? "re_authenticate" : nil
            default: return failureName(code)
            }
        }

        /// MQTT 3.x: CONNACK return codes 0–5, SUBACK granted QoS 0–2 or 0x80.
        static func legacyName(_ code: UInt8, type: PacketType) -> String? {
            switch (type, code) {
            case (.connack, 0): "connection_accepted"
            case (.connack, 1): "unacceptable_protocol_version"
            case (.connack, 2): "identifier_rejected"
            case (.connack, 3): "server_unavailable"
            case (.connack, 4): "bad_user_name_or_password"
            case (.connack, 5): "not_authorized"
            case (.suback, 0): "granted_qos_0"
            case (.suback, 1): "granted_qos_1"
            case (.suback, 2): "granted_qos_2"
            case (.suback, 0x80): "failure"
            default: nil
            }
        }

        /// MQTT 5 failure codes (0x80 and up), shared by every packet that carries one.
        static func failureName(_ code: UInt8) -> String? {
            switch code {
            case 0x80: "unspecified_error"
            case 0x81: "malformed_packet"
            case 0x82: "protocol_error"
            case 0x83: "implementation_specific_error"
            case 0x84: "unsupported_protocol_version"
            case 0x85: "client_identifier_not_valid"
            case 0x86: "bad_user_name_or_password"
            case 0x87: "not_authorized"
            case 0x88: "server_unavailable"
            case 0x89: "server_busy"
            case 0x8a: "banned"
            case 0x8b: "server_shutting_down"
            case 0x8c: "bad_authentication_method"
            case 0x8d: "keep_alive_timeout"
            case 0x8e: "session_taken_over"
            case 0x8f: "topic_filter_invalid"
            case 0x90: "topic_name_invalid"
            case 0x91: "packet_identifier_in_use"
            case 0x92: "packet_identifier_not_found"
            case 0x93: "receive_maximum_exceeded"
            case 0x94: "topic_alias_invalid"
            case 0x95: "packet_too_large"
            case 0x96: "message_rate_too_high"
            case 0x97: "quota_exceeded"
            case 0x98: "administrative_action"
            case 0x99: "payload_format_invalid"
            case 0x9a: "retain_not_supported"
            case 0x9b: "qos_not_supported"
            case 0x9c: "use_another_server"
            case 0x9d: "server_moved"
            case 0x9e: "shared_subscriptions_not_supported"
            case 0x9f: "connection_rate_exceeded"
            case 0xa0: "maximum_connect_time"
            case 0xa1: "subscription_identifiers_not_supported"
            case 0xa2: "wildcard_subscriptions_not_supported"
            default: nil
            }
        }

        /// Whether the code reports a failure: any non-zero 3.x CONNACK code, a 3.x SUBACK 0x80,
        /// and every MQTT 5 code from 0x80 on.
        public static func isFailure(_ code: UInt8, type: PacketType, level: UInt8) -> Bool {
            if level < MQTT.level5 && type == .connack { return code != 0 }
            return code >= 0x80
        }
    }
}
