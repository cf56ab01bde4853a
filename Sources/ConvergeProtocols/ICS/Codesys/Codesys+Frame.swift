import ConvergeModel

extension Codesys {
    /// How the PDU travelled.
    public enum Transport: Sendable, Equatable {
        case blockDriverTCP, blockDriverUDP
    }

    /// Datagram-layer services (byte 3).
    public enum DatagramService {
        public static let addressNotificationRequest: UInt8 = 1
        public static let addressNotificationResponse: UInt8 = 2
        public static let nameServiceServer: UInt8 = 3
        public static let nameServiceClient: UInt8 = 4
        public static let channelManager: UInt8 = 64

        public static func name(_ code: UInt8) -> String {
            switch code {
            case addressNotificationRequest: "address_notification_request"
            case addressNotificationResponse: "address_notification_response"
            case nameServiceServer: "name_service_request"
            case nameServiceClient: "name_service_response"
            case channelManager: "channel_manager"
            default: "datagram_service_" + String(code)
            }
        }
    }

    /// Channel-layer packet types (first byte of a channel-manager body).
    public enum ChannelType {
        public static let applicationBlock: UInt8 = 0x01
        public static let applicationAck: UInt8 = 0x02
        public static let keepAlive: UInt8 = 0x03
        public static let getInfo: UInt8 = 0xC2
        public static let openChannelRequest: UInt8 = 0xC3
        public static let closeChannel: UInt8 = 0xC4
        public static let openChannelResponse: UInt8 = 0x83

        public static func name(_ code: UInt8) -> String {
            switch code {
            case applicationBlock: "application_block"
            case applicationAck: "application_ack"
            case keepAlive: "keep_alive"
            case getInfo: "get_info"
            case openChannelRequest: "open_channel_request"
            case closeChannel: "close_channel"
            case openChannelResponse: "open_channel_response"
            default: "channel_type_0x" + FINS.hex(UInt32(code), digits: 2)
            }
        }
    }

    /// Service-layer protocol ids.
    public enum ProtocolID {
        public static let plain: UInt16 = 0xCD55
        public static let secure: UInt16 = 0x7557
    }

    /// One CODESYS PDU as parsed.
    public struct Frame: ParsedMessage, Equatable {
        public var transport: Transport
        public var direction: Direction
        public var length: Int
        public var hopCount: UInt8 = 0
        public var datagramService: UInt8 = 0
        public var messageID: UInt8 = 0
        /// Offset of the datagram body (after addresses and padding) in the message.
        public var bodyOffset = 0
        /// The name-service sub-command (0xC280 device info, 0xC202 name resolve, 0xC201
        /// address resolve) for datagram services 3 and 4; 0 otherwise.
        public var nameServiceCommand: UInt16 = 0
        public var channelType: UInt8 = 0
        public var hasChannelType = false
        public var channelID: UInt16 = 0
        public var protocolID: UInt16 = 0
        /// The service layer's protocol id says it is encrypted (0x7557): no service is visible.
        public var encrypted = false
        public var serviceGroup: UInt16 = 0
        public var serviceID: UInt16 = 0
        public var isResponse = false
        public var sessionID: UInt32 = 0
        public var hasService = false
        public var anomalies: Anomalies = []

        init(transport: Transport, direction: Direction, length: Int) {
            self.transport = transport
            self.direction = direction
            self.length = length
        }

        /// Service group and id (`group << 16 | id`) when the service layer is visible.
        public var functionCode: Int { hasService ? Int(serviceGroup) << 16 | Int(serviceID) : 0 }
        public var hasFunction: Bool { hasService }
    }

    /// Per-flow state: messages, sessions and channels seen.
    public struct State: Sendable {
        public var messages: UInt64 = 0
        /// Distinct service-layer session ids in a row (a change counts a new session).
        public var sessions: UInt64 = 0
        public var lastSessionID: UInt32 = 0
        public var channelsOpened: UInt64 = 0
        public init() {}
    }

    /// What was wrong with a well-framed PDU.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The header or address lengths run past the PDU.
        public static let badAddressLength = Anomalies(rawValue: 1 << 0)

        public var names: [String] { contains(.badAddressLength) ? ["codesys.bad_address_length"] : [] }
    }

    /// `group/service` in decimal (`2/1`): the two numbering spaces are kept apart.
    public static func functionKey(_ code: Int) -> String {
        String(code >> 16 & 0x7F) + "/" + String(code & 0xFFFF)
    }
}
