import ConvergeModel

extension MQTT {
    /// Per-flow state: the protocol level from the CONNECT (MQTT 5 properties depend on it) and the
    /// requests waiting for their acknowledgement.
    public struct State: Sendable {
        /// 3, 4 or 5 from the flow's CONNECT, or inferred from an MQTT 5-only layout; 0 unknown.
        public internal(set) var level: UInt8 = 0
        public internal(set) var sawConnect = false
        var connectTime: Timestamp?
        var pingTime: Timestamp?
        public internal(set) var pending = PendingTable()
        /// Requests dropped from a full pending table while still young.
        public internal(set) var pendingOverflows: UInt64 = 0
        /// Sparkplug B metric aliases from the BIRTH messages on this flow; filled when events
        /// are built, never by `parse`.
        public internal(set) var sparkplugAliases = Sparkplug.Aliases()

        public init() {}

        /// The level to read a packet at. Without a CONNECT, a layout only MQTT 5 has (a CONNACK or
        /// an acknowledgement longer than 2 bytes, a DISCONNECT with a body, AUTH) settles it at 5
        /// for the rest of the flow; otherwise the packet is read as 3.1.1.
        mutating func protocolLevel(inferredFrom packet: Packet) -> UInt8 {
            if level != 0 { return level }
            switch packet.type {
            case .connack, .puback, .pubrec, .pubrel, .pubcomp, .unsuback:
                if packet.remainingLength > 2 { level = level5 }
            case .disconnect:
                if packet.remainingLength > 0 { level = level5 }
            case .auth:
                level = level5
            default:
                break
            }
            return level
        }

        /// Pairs an acknowledgement with its request, or records a request that expects one.
        mutating func pair(_ packet: inout Packet, time: Timestamp) {
            switch packet.type {
            case .connect where packet.direction == .toServer:
                connectTime = time
            case .connack:
                answer(&packet, request: .connect, since: connectTime, time: time)
                connectTime = nil
            case .pingreq:
                pingTime = time
            case .pingresp:
                answer(&packet, request: .pingreq, since: pingTime, time: time)
                pingTime = nil
            case .publish where packet.hasPacketID && (packet.qos == 1 || packet.qos == 2):
                expect(&packet, packet.qos == 1 ? .puback : .pubrec, from: packet.direction, time: time)
            case .subscribe:
                expect(&packet, .suback, from: packet.direction, time: time)
            case .unsubscribe:
                expect(&packet, .unsuback, from: packet.direction, time: time)
            case .puback, .pubrec, .pubcomp, .suback, .unsuback:
                // Acknowledgements travel against their request; PUBREC then waits for PUBREL.
                take(&packet, sender: packet.direction.reversed, time: time)
                if packet.type == .pubrec { expect(&packet, .pubrel, from: packet.direction.reversed, time: time) }
            case .pubrel:
                // PUBREL travels with the PUBLISH it releases, answering the PUBREC.
                take(&packet, sender: packet.direction, time: time)
                expect(&packet, .pubcomp, from: packet.direction, time: time)
            default:
                break
            }
        }

        private func answer(_ packet: inout Packet, request: PacketType, since: Timestamp?, time: Timestamp) {
            guard let since else {
                packet.anomalies.insert(.unsolicitedResponse)
                return
            }
            packet.request = request
            packet.roundTripNanoseconds = max(0, time.nanoseconds &- since.nanoseconds)
        }

        private mutating func expect(
            _ packet: inout Packet, _ awaiting: PacketType, from sender: Direction, time: Timestamp
        ) {
            guard packet.hasPacketID else { return }
            let entry = Pending(
                sender: sender, packetID: packet.packetID, awaiting: awaiting, request: packet.type,
                isCommand: packet.isCommand, time: time)
            if pending.insert(entry) {
                pendingOverflows &+= 1
                packet.anomalies.insert(.pendingOverflow)
            }
        }

        private mutating func take(_ packet: inout Packet, sender: Direction, time: Timestamp) {
            guard packet.hasPacketID,
                let request = pending.take(sender: sender, packetID: packet.packetID, awaiting: packet.type)
            else {
                packet.anomalies.insert(.unsolicitedResponse)
                return
            }
            packet.request = request.request
            packet.isCommand = request.isCommand
            packet.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
        }
    }

    /// A request waiting for the packet that answers it.
    public struct Pending: Sendable, Equatable {
        /// Which way the request travelled (packet ids are per sender).
        public var sender: Direction
        public var packetID: UInt16
        /// The packet type that answers it.
        public var awaiting: PacketType
        /// The request's own type (PUBLISH, PUBREC, PUBREL, SUBSCRIBE, UNSUBSCRIBE).
        public var request: PacketType
        /// Whether the exchange is a Sparkplug command.
        public var isCommand: Bool
        public var time: Timestamp
    }

    /// What pairs an acknowledgement with its request: packet ids are per sender, and one id
    /// passes through several exchanges (PUBLISH→PUBREC, then PUBREL→PUBCOMP), so the awaited
    /// packet type is part of the key.
    public struct PendingKey: Sendable, Equatable {
        public var sender: Direction
        public var packetID: UInt16
        public var awaiting: PacketType
    }

    /// Pending requests per flow, on the shared `BoundedPendingTable`.
    public struct PendingTable: Sendable {
        /// At most this many requests wait per flow; more replace the oldest.
        public static let capacity = 64
        /// A request unanswered this long is taken as lost: replacing it is not an overflow.
        public static let requestTimeout = Duration64.seconds(30)

        private var table = BoundedPendingTable<Pending>(capacity: capacity, lostAfter: requestTimeout)

        public init() {}

        public var count: Int { table.count }
        /// Requests dropped unanswered (replaced by a newer one, or by a repeat of their key).
        public var unanswered: UInt64 { table.unanswered }

        /// Adds the request, replacing one with the same sender, id and awaited type (a
        /// retransmission). Returns true when the table was full of requests younger than
        /// `requestTimeout` and the oldest was dropped.
        mutating func insert(_ request: Pending) -> Bool { table.insert(request) }

        /// Removes and returns the request this packet answers.
        mutating func take(sender: Direction, packetID: UInt16, awaiting: PacketType) -> Pending? {
            table.take(PendingKey(sender: sender, packetID: packetID, awaiting: awaiting))
        }
    }
}

extension MQTT.Pending: PendingRequest {
    public var pendingKey: MQTT.PendingKey {
        MQTT.PendingKey(sender: sender, packetID: packetID, awaiting: awaiting)
    }
}
