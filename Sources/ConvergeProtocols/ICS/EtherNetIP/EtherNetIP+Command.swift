import ConvergeModel

extension EtherNetIP {
    /// An encapsulation command (EtherNet/IP specification, CIP Vol. 2, chapter 2). Counted as
    /// Wireshark's `enip.command`.
    public struct Command: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let nop = Command(rawValue: 0x0000)
        /// Legacy "list targets", still answered by older Rockwell adapters.
        public static let listTargets = Command(rawValue: 0x0001)
        public static let listServices = Command(rawValue: 0x0004)
        public static let listIdentity = Command(rawValue: 0x0063)
        public static let listInterfaces = Command(rawValue: 0x0064)
        public static let registerSession = Command(rawValue: 0x0065)
        public static let unregisterSession = Command(rawValue: 0x0066)
        public static let sendRRData = Command(rawValue: 0x006f)
        public static let sendUnitData = Command(rawValue: 0x0070)
        public static let indicateStatus = Command(rawValue: 0x0072)
        public static let cancel = Command(rawValue: 0x0073)
        public static let startDTLS = Command(rawValue: 0x00c8)

        /// The snake_case name, nil for a command the specification does not define.
        public var name: String? {
            switch rawValue {
            case 0x0000: "nop"
            case 0x0001: "list_targets"
            case 0x0004: "list_services"
            case 0x0063: "list_identity"
            case 0x0064: "list_interfaces"
            case 0x0065: "register_session"
            case 0x0066: "unregister_session"
            case 0x006f: "send_rr_data"
            case 0x0070: "send_unit_data"
            case 0x0072: "indicate_status"
            case 0x0073: "cancel"
            case 0x00c8: "start_dtls"
            default: nil
            }
        }

        /// Whether the specification defines the command (a switch, not `name`, so parse builds
        /// no string).
        public var isKnown: Bool {
            switch rawValue {
            case 0x0000, 0x0001, 0x0004, 0x0063...0x0066, 0x006f, 0x0070, 0x0072, 0x0073, 0x00c8: true
            default: false
            }
        }

        /// Whether the command carries CIP in a common packet format (SendRRData, SendUnitData).
        public var carriesCIP: Bool { self == .sendRRData || self == .sendUnitData }

        /// What the command does when it carries no CIP.
        public var operation: Operation {
            switch rawValue {
            case 0x0001, 0x0004, 0x0063, 0x0064: .discovery
            case 0x0065, 0x0066, 0x00c8: .session
            default: .other
            }
        }
    }
}
