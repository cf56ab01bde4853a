import ConvergeModel

extension MQTT {
    /// The control packet type: the high nibble of the first byte (MQTT 3.1.1 §2.2.1, MQTT 5 §2.1.2).
    /// Wraps the raw nibble so the reserved values 0 and (before MQTT 5) 15 stay representable.
    public struct PacketType: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0f }

        public static let reserved = PacketType(rawValue: 0)
        public static let connect = PacketType(rawValue: 1)
        public static let connack = PacketType(rawValue: 2)
        public static let publish = PacketType(rawValue: 3)
        public static let puback = PacketType(rawValue: 4)
        public static let pubrec = PacketType(rawValue: 5)
        public static let pubrel = PacketType(rawValue: 6)
        public static let pubcomp = PacketType(rawValue: 7)
        public static let subscribe = PacketType(rawValue: 8)
        public static let suback = PacketType(rawValue: 9)
        public static let unsubscribe = PacketType(rawValue: 10)
        public static let unsuback = PacketType(rawValue: 11)
        public static let pingreq = PacketType(rawValue: 12)
        public static let pingresp = PacketType(rawValue: 13)
        public static let disconnect = PacketType(rawValue: 14)
        /// MQTT 5 only; reserved in 3.1 and 3.1.1.
        public static let auth = PacketType(rawValue: 15)

        /// snake_case names, indexed by the raw value.
        static let names = [
            "reserved_0", "connect", "connack", "publish", "puback", "pubrec", "pubrel", "pubcomp",
            "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect", "auth",
        ]

        public var name: String { Self.names[Int(rawValue)] }

        /// The flags the spec fixes for this type (PUBREL, SUBSCRIBE, UNSUBSCRIBE: 0b0010; the rest
        /// 0), or nil for PUBLISH, whose flags are DUP, QoS and RETAIN.
        public var requiredFlags: UInt8? {
            switch rawValue {
            case 3: nil
            case 6, 8, 10: 0x02
            default: 0x00
            }
        }

        /// Packets only a client sends (a broker sending one is a protocol error).
        public var isClientOnly: Bool {
            self == .connect || self == .subscribe || self == .unsubscribe || self == .pingreq
        }
        /// Packets only a broker sends.
        public var isServerOnly: Bool { self == .connack || self == .suback || self == .unsuback || self == .pingresp }

        /// Whether the first byte of a packet is a type with the flags the spec requires
        /// (PUBLISH: any QoS but 3). Type 0 never is; AUTH (15) is accepted, as MQTT 5 allows it.
        static func isValidFirstByte(_ byte: UInt8) -> Bool {
            let type = PacketType(rawValue: byte >> 4)
            let flags = byte & 0x0f
            guard type != .reserved else { return false }
            guard let required = type.requiredFlags else { return flags & 0x06 != 0x06 }
            return flags == required
        }
    }
}
