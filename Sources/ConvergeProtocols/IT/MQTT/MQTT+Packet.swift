import ConvergeModel

extension MQTT {
    /// Where a field lies in the packet: offsets are relative to the packet's first byte (the
    /// start of the bytes handed to `parse`), so a parsed packet holds no bytes and no strings.
    public struct Slice: Sendable, Equatable {
        public var offset: Int
        public var length: Int
        public init(offset: Int, length: Int) {
            self.offset = offset
            self.length = length
        }
        public static let none = Slice(offset: 0, length: -1)
        public var isPresent: Bool { length >= 0 }
        public var end: Int { offset &+ max(length, 0) }
    }

    /// An MQTT 5 property block: where its properties lie and how many were walked.
    public struct PropertyBlock: Sendable, Equatable {
        /// The properties themselves, after their length; `.none` when the packet has no block.
        public var slice = Slice.none
        public var count = 0
        /// Topic Alias (0x23) value, 0 when absent.
        public var topicAlias: UInt16 = 0
        public init() {}
    }

    /// One parsed control packet: plain scalars and slices only, so parsing allocates nothing.
    public struct Packet: ParsedMessage, Sendable, Equatable {
        public var type: PacketType
        /// The low nibble of the first byte.
        public var flags: UInt8
        public var direction: Direction
        /// The fixed header's length: 1 + the bytes of the remaining-length integer (2…5).
        public var headerLength: Int
        public var remainingLength: Int
        /// The protocol level the body was read at: 3 (3.1), 4 (3.1.1), 5, or 0 when the flow's
        /// CONNECT was not seen and the packet did not tell (read as 3.1.1).
        public var protocolLevel: UInt8 = 0
        public var anomalies = Anomalies(rawValue: 0)

        /// PUBLISH (QoS > 0), PUBACK…PUBCOMP, SUBSCRIBE…UNSUBACK; 0 when the packet has none.
        public var packetID: UInt16 = 0
        public var hasPacketID = false
        /// CONNACK return code (3.x) or reason code (5) of CONNACK, PUBACK…PUBCOMP, DISCONNECT,
        /// AUTH; for SUBACK/UNSUBACK the first failure (≥ 0x80), else the first code.
        public var reasonCode: UInt8 = 0
        public var hasReasonCode = false
        public var properties = PropertyBlock()

        // CONNECT
        public var protocolName = Slice.none
        public var connectFlags: UInt8 = 0
        public var keepAlive: UInt16 = 0
        public var clientID = Slice.none
        public var willProperties = PropertyBlock()
        public var willTopic = Slice.none
        public var willPayload = Slice.none
        public var userName = Slice.none
        /// Whether the CONNECT sends a password. Its bytes are never read into events.
        public var hasPassword = false

        // CONNACK
        public var sessionPresent = false

        // PUBLISH
        public var topic = Slice.none
        public var payload = Slice.none
        public var sparkplug: Sparkplug.Topic?

        // SUBSCRIBE, UNSUBSCRIBE: filters follow from `listStart`; SUBACK, UNSUBACK: reason codes.
        public var listStart = 0
        /// Topic filters or reason codes read (at most `MQTT.maxTopicFilters` filters).
        public var listCount = 0

        // Pairing
        /// For an acknowledgement: the request type it answers, when one was pending.
        public var request: PacketType?
        /// For a paired acknowledgement: time since its request, in nanoseconds.
        public var roundTripNanoseconds: Int64?
        /// A Sparkplug NCMD/DCMD, or an acknowledgement of one: a command to a device.
        public var isCommand = false

        public init(type: PacketType, flags: UInt8, direction: Direction, headerLength: Int, remainingLength: Int) {
            self.type = type
            self.flags = flags
            self.direction = direction
            self.headerLength = headerLength
            self.remainingLength = remainingLength
        }

        /// Counted like Wireshark's `mqtt.msgtype`: the packet type, 0…15.
        public var functionCode: Int { Int(type.rawValue) }
        public var hasFunction: Bool { true }
        /// Bytes of the whole packet, as `parse` consumed them.
        public var totalLength: Int { headerLength &+ remainingLength }

        /// PUBLISH flags.
        public var qos: UInt8 { type == .publish ? (flags >> 1) & 0x03 : 0 }
        public var retain: Bool { type == .publish && flags & 0x01 != 0 }
        public var dup: Bool { type == .publish && flags & 0x08 != 0 }

        /// CONNECT flags (MQTT 3.1.1 §3.1.2.3).
        public var cleanSession: Bool { connectFlags & 0x02 != 0 }
        public var hasWill: Bool { connectFlags & 0x04 != 0 }
        public var willQoS: UInt8 { (connectFlags >> 3) & 0x03 }
        public var willRetain: Bool { connectFlags & 0x20 != 0 }
        public var hasUserName: Bool { connectFlags & 0x80 != 0 }
    }
}
