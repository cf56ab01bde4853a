import ConvergeModel

extension BACnetIP {
    /// The only NPDU protocol version (clause 6.2.1).
    public static let npduVersion: UInt8 = 1
    /// Longest DADR/SADR accepted: BACnet/IPv6 and Ethernet MACs are at most 18 bytes, so a longer
    /// one is not a MAC address (the wire allows 255).
    public static let maxMACLength = 18

    /// NPDU control bits (clause 6.2.2).
    public enum NPDUControl {
        public static let networkMessage: UInt8 = 0x80
        public static let destinationPresent: UInt8 = 0x20
        public static let sourcePresent: UInt8 = 0x08
        public static let expectingReply: UInt8 = 0x04
        public static let priorityMask: UInt8 = 0x03
    }

    /// Reads version, control, DNET/DLEN/DADR, SNET/SLEN/SADR, hop count and, for a network layer
    /// message, its type (and vendor id when proprietary). Sets where the APDU starts.
    static func parseNPDU(_ bytes: Span<UInt8>, at start: Int, end: Int, frame: inout Frame) {
        var offset = start
        func next() -> UInt8? {
            guard offset < end, let value = bytes.byte(at: offset) else { return nil }
            offset &+= 1
            return value
        }
        func next16() -> UInt16? {
            guard let high = next(), let low = next() else { return nil }
            return UInt16(high) << 8 | UInt16(low)
        }
        /// A MAC address of `length` bytes folded into 64 bits, or nil when cut off.
        func address(_ length: UInt8) -> UInt64? {
            var value: UInt64 = 0
            for _ in 0..<Int(length) {
                guard let byte = next() else { return nil }
                value = value << 8 | UInt64(byte) ^ (value >> 56)
            }
            return value
        }
        func cut() { frame.anomalies.insert(frame.anomalies.contains(.truncated) ? .truncated : .invalidLength) }

        guard let version = next(), let control = next() else { return cut() }
        frame.hasNPDU = true
        frame.npduVersion = version
        frame.npduControl = control
        guard version == npduVersion else {
            frame.anomalies.insert(.invalidNPDUVersion)
            return
        }
        if control & NPDUControl.destinationPresent != 0 {
            guard let network = next16(), let length = next() else { return cut() }
            frame.destinationNetwork = network
            frame.destinationAddressLength = length
            guard Int(length) <= maxMACLength else {
                frame.anomalies.insert(.invalidAddress)
                return
            }
            guard let mac = address(length) else { return cut() }
            frame.destinationAddress = mac
        }
        if control & NPDUControl.sourcePresent != 0 {
            guard let network = next16(), let length = next() else { return cut() }
            frame.sourceNetwork = network
            frame.sourceAddressLength = length
            // A source is never a broadcast: SLEN 0 and SNET 0xFFFF are invalid (6.2.2.1).
            guard length > 0, Int(length) <= maxMACLength, network != 0xffff else {
                frame.anomalies.insert(.invalidAddress)
                return
            }
            guard let mac = address(length) else { return cut() }
            frame.sourceAddress = mac
        }
        if control & NPDUControl.destinationPresent != 0 {
            guard let hops = next() else { return cut() }
            frame.hopCount = hops
        }
        if control & NPDUControl.networkMessage != 0 {
            guard let type = next() else { return cut() }
            frame.networkMessageType = type
            if type >= 0x80 {
                guard let vendor = next16() else { return cut() }
                frame.networkVendorID = vendor
            }
            return
        }
        guard offset < end else { return cut() }
        frame.hasAPDU = true
        frame.apduOffset = offset
        frame.apduEnd = end
    }

    /// Network layer message types (clause 6.2.4); 0x80–0xFF are proprietary.
    public static func networkMessageName(_ type: UInt8) -> String {
        switch type {
        case 0x00: "who_is_router_to_network"
        case 0x01: "i_am_router_to_network"
        case 0x02: "i_could_be_router_to_network"
        case 0x03: "reject_message_to_network"
        case 0x04: "router_busy_to_network"
        case 0x05: "router_available_to_network"
        case 0x06: "initialize_routing_table"
        case 0x07: "initialize_routing_table_ack"
        case 0x08: "establish_connection_to_network"
        case 0x09: "disconnect_connection_to_network"
        case 0x0a: "challenge_request"
        case 0x0b: "security_payload"
        case 0x0c: "security_response"
        case 0x0d: "request_key_update"
        case 0x0e: "update_key_set"
        case 0x0f: "update_distribution_key"
        case 0x10: "request_master_key"
        case 0x11: "set_master_key"
        case 0x12: "what_is_network_number"
        case 0x13: "network_number_is"
        case 0x80...0xff: "proprietary"
        default: "unknown"
        }
    }

    /// Router discovery is discovery; routing-table and connection changes steer traffic
    /// (control); the security messages carry keys (auth).
    public static func networkMessageOperation(_ type: UInt8) -> Operation {
        switch type {
        case 0x00, 0x01, 0x02, 0x12, 0x13: .discovery
        case 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09: .control
        case 0x0a...0x11: .auth
        default: .other
        }
    }
}
