import ConvergeModel

extension NetBIOSDatagram {
    /// One datagram as `parse` found it. Offsets are into the datagram, -1 when absent.
    public struct Frame: ParsedMessage, Sendable {
        public var direction: Direction
        public var type: UInt8
        /// The sending node's address as the datagram states it (a relay keeps the original's).
        public var sourceAddress: UInt32 = 0
        public var sourceNameOffset: Int32 = -1
        public var destinationNameOffset: Int32 = -1
        public var browserOffset: Int32 = -1
        public var browserLength: UInt16 = 0
        public var browserCommand: UInt8?
        public var anomalies: Anomalies = []

        public init(direction: Direction, type: UInt8) {
            self.direction = direction
            self.type = type
        }

        /// `nbdgm.type`.
        public var functionCode: Int { Int(type) }
        public var hasFunction: Bool { true }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The names or user data run past the datagram.
        public static let truncated = Anomalies(rawValue: 1 << 0)
        /// DGM_LENGTH disagrees with the datagram's size.
        public static let badLength = Anomalies(rawValue: 1 << 1)
        /// An SMB Transaction whose counts or offsets do not fit.
        public static let badSMB = Anomalies(rawValue: 1 << 2)
        /// A browser announcement shorter than its fixed fields.
        public static let shortAnnouncement = Anomalies(rawValue: 1 << 3)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.truncated, "nbdgm.truncated"), (.badLength, "nbdgm.bad_length"), (.badSMB, "nbdgm.bad_smb"),
            (.shortAnnouncement, "nbdgm.short_announcement"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    /// RFC 1002 §4.4.1 message types.
    public static func typeName(_ type: UInt8) -> String {
        switch type {
        case 0x10: "direct_unique"
        case 0x11: "direct_group"
        case 0x12: "broadcast"
        case 0x13: "error"
        case 0x14: "query_request"
        case 0x15: "positive_query_response"
        case 0x16: "negative_query_response"
        default: "type_\(type)"
        }
    }

    /// [MS-BRWS] §2.2 browser commands.
    public static func browserCommandName(_ command: UInt8) -> String {
        switch command {
        case 0x01: "host_announcement"
        case 0x02: "announcement_request"
        case 0x08: "request_election"
        case 0x09: "get_backup_list_request"
        case 0x0a: "get_backup_list_response"
        case 0x0b: "become_backup"
        case 0x0c: "domain_announcement"
        case 0x0d: "master_announcement"
        case 0x0e: "reset_state"
        case 0x0f: "local_master_announcement"
        default: "browser_command_\(command)"
        }
    }
}
