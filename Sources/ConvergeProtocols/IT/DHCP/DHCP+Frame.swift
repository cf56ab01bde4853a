import ConvergeModel
import ConvergeWire

extension DHCP {
    /// Where an option's value sits in the datagram (offset 0 for an option not present).
    public struct OptionValue: Sendable, Equatable {
        public var offset: Int32 = 0
        public var length: UInt8 = 0
        public var isPresent: Bool { offset > 0 }
    }

    /// One DHCP/BOOTP message as `parse` found it: header fields and where the identifying
    /// options sit. Addresses are IPv4 in host order, 0 when absent.
    public struct Frame: ParsedMessage, Sendable {
        public var direction: Direction
        /// 1 BOOTREQUEST (client), 2 BOOTREPLY (server).
        public var op: UInt8 = 0
        public var hardwareType: UInt8 = 0
        public var hardwareLength: UInt8 = 0
        public var transactionID: UInt32 = 0
        /// ciaddr, yiaddr, siaddr and giaddr.
        public var clientAddress: UInt32 = 0
        public var yourAddress: UInt32 = 0
        public var serverAddress: UInt32 = 0
        public var relayAddress: UInt32 = 0
        /// chaddr when it is an Ethernet address (htype 1, hlen 6), else 0.
        public var clientMAC: UInt64 = 0
        /// Option 53, 0 when absent (BOOTP).
        public var messageType: UInt8 = 0
        /// Option 52: 1 `file` holds options, 2 `sname` does, 3 both.
        public var overload: UInt8 = 0
        public var requestedAddress: UInt32 = 0
        public var serverIdentifier: UInt32 = 0
        public var leaseTime: UInt32?
        public var hostName = OptionValue()
        public var clientFQDN = OptionValue()
        public var vendorClass = OptionValue()
        public var clientIdentifier = OptionValue()
        public var parameterRequestList = OptionValue()
        public var routers = OptionValue()
        public var domainNameServers = OptionValue()
        public var domainName = OptionValue()
        /// Options walked (pads not counted).
        public var optionCount: UInt16 = 0
        public var anomalies: Anomalies = []
        /// For a reply paired with its client's message in the same flow.
        public var roundTripNanoseconds: Int64?

        public init(direction: Direction) { self.direction = direction }

        /// `dhcp.option.dhcp`.
        public var functionCode: Int { Int(messageType) }
        public var hasFunction: Bool { messageType != 0 }
        public var isReply: Bool { op == 2 }
    }

    /// Option codes read here (RFC 2132, 4702).
    public enum Option {
        public static let pad: UInt8 = 0
        public static let subnetMask: UInt8 = 1
        public static let router: UInt8 = 3
        public static let domainNameServer: UInt8 = 6
        public static let hostName: UInt8 = 12
        public static let domainName: UInt8 = 15
        public static let requestedAddress: UInt8 = 50
        public static let leaseTime: UInt8 = 51
        public static let overload: UInt8 = 52
        public static let messageType: UInt8 = 53
        public static let serverIdentifier: UInt8 = 54
        public static let parameterRequestList: UInt8 = 55
        public static let vendorClass: UInt8 = 60
        public static let clientIdentifier: UInt8 = 61
        public static let clientFQDN: UInt8 = 81
        public static let end: UInt8 = 255
    }

    /// Walks the options in `bytes[from..<end]`, noting the ones this dissector reads. The first
    /// occurrence of an option wins (RFC 3396 concatenation of long options is not done: the
    /// options read here fit in one).
    static func walkOptions(_ bytes: Span<UInt8>, from start: Int, end: Int, isMain: Bool, frame: inout Frame) {
        var position = start
        let end = min(end, bytes.count)
        while position < end {
            let code = bytes[position]
            if code == Option.pad {
                position &+= 1
                continue
            }
            if code == Option.end { return }
            guard Int(frame.optionCount) < maxOptions else {
                frame.anomalies.insert(.tooManyOptions)
                return
            }
            frame.optionCount &+= 1
            guard position &+ 1 < end else {
                frame.anomalies.insert(.optionOverrun)
                return
            }
            let length = bytes[position &+ 1]
            let value = position &+ 2
            guard value &+ Int(length) <= end else {
                frame.anomalies.insert(.optionOverrun)
                return
            }
            note(code, OptionValue(offset: Int32(truncatingIfNeeded: value), length: length), bytes, isMain: isMain,
                frame: &frame)
            position = value &+ Int(length)
        }
        // Ran out of bytes without an end option: common in the padded `file`/`sname` fields' case
        // only when they hold nothing; in the main area it is worth a flag.
        if isMain { frame.anomalies.insert(.missingEnd) }
    }

    /// Records one option's place (or its fixed-size value).
    static func note(_ code: UInt8, _ option: OptionValue, _ bytes: Span<UInt8>, isMain: Bool, frame: inout Frame) {
        let start = Int(option.offset)
        let length = Int(option.length)
        func address() -> UInt32? {
            guard length == 4 else {
                frame.anomalies.insert(.badOptionLength)
                return nil
            }
            return bytes.loadUInt32BE(at: start)
        }
        func keep(_ slot: inout OptionValue) {
            if !slot.isPresent { slot = option }
        }
        switch code {
        case Option.messageType:
            guard length == 1 else {
                frame.anomalies.insert(.badOptionLength)
                return
            }
            if frame.messageType != 0 {
                frame.anomalies.insert(.duplicateMessageType)
                return
            }
            frame.messageType = bytes[start]
        case Option.overload:
            // Only the main options area may overload the others (RFC 2131 §4.1).
            guard isMain, length == 1, bytes[start] >= 1, bytes[start] <= 3 else {
                frame.anomalies.insert(.badOverload)
                return
            }
            frame.overload = bytes[start]
        case Option.requestedAddress:
            if frame.requestedAddress == 0, let value = address() { frame.requestedAddress = value }
        case Option.serverIdentifier:
            if frame.serverIdentifier == 0, let value = address() { frame.serverIdentifier = value }
        case Option.leaseTime:
            if frame.leaseTime == nil, let value = address() { frame.leaseTime = value }
        case Option.hostName: keep(&frame.hostName)
        case Option.clientFQDN: keep(&frame.clientFQDN)
        case Option.vendorClass: keep(&frame.vendorClass)
        case Option.clientIdentifier: keep(&frame.clientIdentifier)
        case Option.parameterRequestList: keep(&frame.parameterRequestList)
        case Option.router: keep(&frame.routers)
        case Option.domainNameServer: keep(&frame.domainNameServers)
        case Option.domainName: keep(&frame.domainName)
        default: break
        }
    }
}
