extension MQTT {
    /// Sparkplug B topics (Eclipse Sparkplug 3.0 §4.1): `spBv1.0/<group>/<type>/<edge node>` for
    /// node messages, `…/<edge node>/<device>` for device messages, `spBv1.0/STATE/<host id>` for
    /// a host application's state. `parse` recognises the topic; the protobuf payload is decoded
    /// only when events are built (MQTT+SparkplugPayload.swift).
    public enum Sparkplug {
        public enum MessageType: UInt8, Sendable, CaseIterable {
            case nbirth, ndeath, dbirth, ddeath, ndata, ddata, ncmd, dcmd, state

            /// Commands to an edge node or device: the writes a defender cares most about.
            public var isCommand: Bool { self == .ncmd || self == .dcmd }
            /// Device messages name a device after the edge node.
            public var hasDevice: Bool { self == .dbirth || self == .ddeath || self == .ddata || self == .dcmd }
            public var name: String {
                switch self {
                case .nbirth: "nbirth"
                case .ndeath: "ndeath"
                case .dbirth: "dbirth"
                case .ddeath: "ddeath"
                case .ndata: "ndata"
                case .ddata: "ddata"
                case .ncmd: "ncmd"
                case .dcmd: "dcmd"
                case .state: "state"
                }
            }
        }

        /// A recognised topic, as slices of the packet.
        public struct Topic: Sendable, Equatable {
            public var type: MessageType
            /// Group id; `.none` for STATE.
            public var group = Slice.none
            /// Edge node id; for STATE, the host application id.
            public var node = Slice.none
            /// Device id of device messages, else `.none`.
            public var device = Slice.none
        }

        public enum Recognition: Sendable, Equatable {
            case notSparkplug
            /// Starts with the Sparkplug B namespace but does not have its shape.
            case invalid
            case topic(Topic)
        }

        /// The namespace every Sparkplug B topic starts with.
        static let namespace: StaticString = "spBv1.0/"
        /// Levels after the namespace: group, type, edge node, device.
        static let maxLevels = 4

        public static func parse(_ bytes: Span<UInt8>, _ topic: Slice) -> Recognition {
            guard Text.hasPrefix(bytes, topic, namespace) else { return .notSparkplug }
            var levels = (Slice.none, Slice.none, Slice.none, Slice.none)
            var count = 0
            var start = topic.offset &+ namespace.utf8CodeUnitCount
            var index = start
            while index <= topic.end {
                if index == topic.end || bytes.byte(at: index) == 0x2f {  // '/'
                    let level = Slice(offset: start, length: index &- start)
                    guard level.length > 0, count < maxLevels else { return .invalid }
                    switch count {
                    case 0: levels.0 = level
                    case 1: levels.1 = level
                    case 2: levels.2 = level
                    default: levels.3 = level
                    }
                    count &+= 1
                    start = index &+ 1
                }
                index &+= 1
            }
            if count == 2, Text.equals(bytes, levels.0, "STATE") {
                return .topic(Topic(type: .state, node: levels.1))
            }
            guard count >= 3, let type = messageType(bytes, levels.1) else { return .invalid }
            guard count == (type.hasDevice ? 4 : 3), type != .state else { return .invalid }
            return .topic(Topic(type: type, group: levels.0, node: levels.2, device: count == 4 ? levels.3 : .none))
        }

        static func messageType(_ bytes: Span<UInt8>, _ level: Slice) -> MessageType? {
            if Text.equals(bytes, level, "NBIRTH") { return .nbirth }
            if Text.equals(bytes, level, "NDEATH") { return .ndeath }
            if Text.equals(bytes, level, "DBIRTH") { return .dbirth }
            if Text.equals(bytes, level, "DDEATH") { return .ddeath }
            if Text.equals(bytes, level, "NDATA") { return .ndata }
            if Text.equals(bytes, level, "DDATA") { return .ddata }
            if Text.equals(bytes, level, "NCMD") { return .ncmd }
            if Text.equals(bytes, level, "DCMD") { return .dcmd }
            return nil
        }
    }
}
