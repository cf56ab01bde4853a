import ConvergeModel
import ConvergeWire

extension DHCPv6 {
    /// One DHCPv6 message as `parse` found it; option places refer to the innermost (client's)
    /// message, offsets into the datagram, 0 when absent.
    public struct Frame: ParsedMessage, Sendable {
        public var direction: Direction
        /// The outermost message type (counted).
        public var messageType: UInt8
        /// The client's own message type under any relay headers.
        public var innerType: UInt8 = 0
        public var transactionID: UInt32 = 0
        /// Relay headers passed through.
        public var relayDepth: UInt8 = 0
        /// The innermost relay's peer address (the client), 0 when not relayed.
        public var peerAddressOffset: Int32 = 0
        public var clientID = DHCP.OptionValue16()
        public var serverID = DHCP.OptionValue16()
        public var clientFQDN = DHCP.OptionValue16()
        public var vendorClass = DHCP.OptionValue16()
        public var optionRequest = DHCP.OptionValue16()
        public var dnsServers = DHCP.OptionValue16()
        /// The first address of an IA_NA or IA_TA (IAADDR option), 0 when none.
        public var iaAddressOffset: Int32 = 0
        public var optionCount: UInt16 = 0
        public var anomalies: Anomalies = []

        public init(direction: Direction, messageType: UInt8) {
            self.direction = direction
            self.messageType = messageType
        }

        public var functionCode: Int { Int(messageType) }
        public var hasFunction: Bool { true }
    }

    public enum Option {
        public static let clientID: UInt16 = 1
        public static let serverID: UInt16 = 2
        public static let iaNA: UInt16 = 3
        public static let iaTA: UInt16 = 4
        public static let iaAddress: UInt16 = 5
        public static let optionRequest: UInt16 = 6
        public static let relayMessage: UInt16 = 9
        public static let vendorClass: UInt16 = 16
        public static let dnsServers: UInt16 = 23
        public static let clientFQDN: UInt16 = 39
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// An option (or a relay header) runs past its message.
        public static let truncated = Anomalies(rawValue: 1 << 0)
        /// More than `maxOptions` options.
        public static let tooManyOptions = Anomalies(rawValue: 1 << 1)
        /// Relays nested deeper than `maxRelayDepth`.
        public static let relayTooDeep = Anomalies(rawValue: 1 << 2)
        /// A relay message without a relay-message option.
        public static let missingRelayMessage = Anomalies(rawValue: 1 << 3)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncated, "dhcpv6.truncated"), (.tooManyOptions, "dhcpv6.too_many_options"),
            (.relayTooDeep, "dhcpv6.relay_too_deep"), (.missingRelayMessage, "dhcpv6.missing_relay_message"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    /// Notes the identifying options of the client's message.
    static func walkOptions(_ bytes: Span<UInt8>, from start: Int, end: Int, frame: inout Frame) {
        var position = start
        while position < end {
            guard Int(frame.optionCount) < maxOptions else {
                frame.anomalies.insert(.tooManyOptions)
                return
            }
            guard position &+ 4 <= end, let code = bytes.uint16BE(at: position),
                let length = bytes.uint16BE(at: position &+ 2), position &+ 4 &+ Int(length) <= end
            else {
                frame.anomalies.insert(.truncated)
                return
            }
            frame.optionCount &+= 1
            let value = DHCP.OptionValue16(offset: Int32(truncatingIfNeeded: position &+ 4), length: length)
            switch code {
            case Option.clientID: if !frame.clientID.isPresent { frame.clientID = value }
            case Option.serverID: if !frame.serverID.isPresent { frame.serverID = value }
            case Option.clientFQDN: if !frame.clientFQDN.isPresent { frame.clientFQDN = value }
            case Option.vendorClass: if !frame.vendorClass.isPresent { frame.vendorClass = value }
            case Option.optionRequest: if !frame.optionRequest.isPresent { frame.optionRequest = value }
            case Option.dnsServers: if !frame.dnsServers.isPresent { frame.dnsServers = value }
            case Option.iaNA, Option.iaTA:
                // IAID (4), and T1/T2 (8) for IA_NA only; then IAADDR options.
                let skip = code == Option.iaNA ? 12 : 4
                let inner = position &+ 4 &+ skip
                if frame.iaAddressOffset == 0,
                    let address = findOption(
                        bytes, code: Option.iaAddress, from: inner, end: position &+ 4 &+ Int(length)),
                    address.length >= 16
                {
                    frame.iaAddressOffset = Int32(truncatingIfNeeded: address.offset)
                }
            default: break
            }
            position &+= 4 &+ Int(length)
        }
    }
}

extension DHCP {
    /// Where a DHCPv6 option's value sits (2-byte lengths), offset 0 when absent.
    public struct OptionValue16: Sendable, Equatable {
        public var offset: Int32 = 0
        public var length: UInt16 = 0
        public var isPresent: Bool { offset > 0 }
        var range: Range<Int> { Int(offset)..<(Int(offset) &+ Int(length)) }
    }
}
