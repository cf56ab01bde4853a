import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// A CIP message (CIP Vol. 1, 2-4): a request (service, request path, data) or a response
    /// (service with bit 0x80, general status, additional status words, data). Offsets point
    /// into the message bytes given to `parse`, kept 32-bit so the parsed message stays small.
    public struct CIPMessage: Sendable, Equatable {
        /// The service byte as on the wire, response bit included.
        public var service: UInt8
        public var generalStatus: UInt8 = 0
        /// Additional status size, in 16-bit words.
        public var additionalStatusWords: UInt8 = 0
        /// The first additional status word (the extended status), 0 when absent.
        public var extendedStatus: UInt16 = 0
        private var storedOffset: UInt32
        private var storedLength: UInt32
        private var storedDataOffset: UInt32
        private var storedDataLength: UInt32 = 0
        /// The request path (requests only; a response's comes from its paired request).
        public var path = Path()

        public init(service: UInt8, offset: Int, length: Int) {
            self.service = service
            self.storedOffset = UInt32(clamping: offset)
            self.storedLength = UInt32(clamping: length)
            self.storedDataOffset = UInt32(clamping: offset &+ length)
        }

        public var isResponse: Bool { service & 0x80 != 0 }
        /// The service without the response bit: what Wireshark's `cip.sc` holds.
        public var code: UInt8 { service & 0x7f }
        /// The whole message.
        public var offset: Int { Int(storedOffset) }
        public var length: Int { Int(storedLength) }
        /// The service data after the path or status.
        public var dataOffset: Int {
            get { Int(storedDataOffset) }
            set { storedDataOffset = UInt32(clamping: newValue) }
        }
        public var dataLength: Int {
            get { Int(storedDataLength) }
            set { storedDataLength = UInt32(clamping: newValue) }
        }
        public var dataEnd: Int { dataOffset &+ dataLength }
    }

    /// The smallest CIP message: a service byte and a path size (request) or reserved byte.
    static let minCIPLength = 2
    /// The smallest response: service, reserved, general status, additional status size.
    static let cipResponseHeaderLength = 4

    /// Parses the CIP header in `offset..<offset+length`; nil when not even a service byte fits.
    /// Sizes that overrun the bytes are clipped and flagged, never followed.
    static func parseCIP(
        _ bytes: Span<UInt8>, offset: Int, length: Int, anomalies: inout Anomalies
    ) -> CIPMessage? {
        let end = offset &+ length
        guard length > 0, end <= bytes.count, let service = u8(bytes, offset) else { return nil }
        var message = CIPMessage(service: service, offset: offset, length: length)
        if message.isResponse {
            guard length >= cipResponseHeaderLength,
                let status = u8(bytes, offset &+ 2), let words = u8(bytes, offset &+ 3)
            else {
                anomalies.insert(.invalidLength)
                return message
            }
            message.generalStatus = status
            message.additionalStatusWords = words
            let dataOffset = offset &+ cipResponseHeaderLength &+ Int(words) &* 2
            if words > 0, let first = le16(bytes, offset &+ cipResponseHeaderLength), dataOffset <= end {
                message.extendedStatus = first
            }
            guard dataOffset <= end else {
                anomalies.insert(.invalidLength)
                return message
            }
            message.dataOffset = dataOffset
            message.dataLength = end &- dataOffset
            return message
        }
        guard length >= minCIPLength, let words = u8(bytes, offset &+ 1) else {
            anomalies.insert(.invalidLength)
            return message
        }
        let pathOffset = offset &+ 2
        let pathLength = Int(words) &* 2
        guard pathOffset &+ pathLength <= end else {
            anomalies.insert(.invalidLength)
            message.path = parsePath(bytes, offset: pathOffset, length: end &- pathOffset)
            message.path.isValid = false
            return message
        }
        message.path = parsePath(bytes, offset: pathOffset, length: pathLength)
        if !message.path.isValid { anomalies.insert(.invalidPath) }
        message.dataOffset = pathOffset &+ pathLength
        message.dataLength = end &- message.dataOffset
        return message
    }

    /// CIP general status codes (CIP Vol. 1, appendix B), snake_case.
    public static func generalStatusName(_ code: UInt8) -> String {
        switch code {
        case 0x00: "success"
        case 0x01: "connection_failure"
        case 0x02: "resource_unavailable"
        case 0x03: "invalid_parameter_value"
        case 0x04: "path_segment_error"
        case 0x05: "path_destination_unknown"
        case 0x06: "partial_transfer"
        case 0x07: "connection_lost"
        case 0x08: "service_not_supported"
        case 0x09: "invalid_attribute_value"
        case 0x0a: "attribute_list_error"
        case 0x0b: "already_in_requested_mode"
        case 0x0c: "object_state_conflict"
        case 0x0d: "object_already_exists"
        case 0x0e: "attribute_not_settable"
        case 0x0f: "privilege_violation"
        case 0x10: "device_state_conflict"
        case 0x11: "reply_data_too_large"
        case 0x12: "fragmentation_of_a_primitive_value"
        case 0x13: "not_enough_data"
        case 0x14: "attribute_not_supported"
        case 0x15: "too_much_data"
        case 0x16: "object_does_not_exist"
        case 0x17: "service_fragmentation_sequence_not_in_progress"
        case 0x18: "no_stored_attribute_data"
        case 0x19: "store_operation_failure"
        case 0x1a: "routing_failure_request_too_large"
        case 0x1b: "routing_failure_response_too_large"
        case 0x1c: "missing_attribute_list_entry_data"
        case 0x1d: "invalid_attribute_value_list"
        case 0x1e: "embedded_service_error"
        case 0x1f: "vendor_specific_error"
        case 0x20: "invalid_parameter"
        case 0x21: "write_once_value_or_medium_already_written"
        case 0x22: "invalid_reply_received"
        case 0x23: "buffer_overflow"
        case 0x24: "message_format_error"
        case 0x25: "key_failure_in_path"
        case 0x26: "path_size_invalid"
        case 0x27: "unexpected_attribute_in_list"
        case 0x28: "invalid_member_id"
        case 0x29: "member_not_settable"
        case 0x2a: "group_2_only_server_general_failure"
        case 0x2b: "unknown_modbus_error"
        case 0x2c: "attribute_not_gettable"
        default: "unknown"
        }
    }
}
