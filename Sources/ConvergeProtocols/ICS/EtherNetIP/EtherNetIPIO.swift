import ConvergeModel
import ConvergeWire

/// EtherNet/IP implicit (class 0/1) I/O on UDP 2222 (CIP Vol. 2, 2-6 and 3-3): each datagram is a
/// bare common packet format, a sequenced address item (connection id, 32-bit sequence) and a
/// connected data item (for class 1 a 16-bit CIP sequence count, then the I/O data). There is no
/// function code; the flow's `State` counts datagrams per connection and notices sequence gaps.
public enum EtherNetIPIO: Dissector {
    public static var name: String { "enip-io" }
    public static var portHints: PortHints { PortHints(udp: [2222]) }
    public static func makeState() -> State { State() }

    /// One I/O datagram: plain scalars.
    public struct Datagram: ParsedMessage, Sendable, Equatable {
        public var connectionID: UInt32
        /// The sequenced address item's 32-bit sequence number.
        public var sequence: UInt32
        /// Where the connected data item's data starts and how long it is.
        public var dataOffset: Int
        public var dataLength: Int
        /// Datagrams seen on this connection so far, this one included (0 when untracked).
        public var packetsOnConnection: UInt64 = 0
        public var anomalies = Anomalies(rawValue: 0)
        /// Implicit I/O has no function code (tshark fills no `enip.command` or `cip.sc` either).
        public var functionCode: Int { 0 }
        public var hasFunction: Bool { false }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The sequence number skipped ahead: datagrams were lost (or not captured).
        public static let sequenceGap = Anomalies(rawValue: 1 << 0)
        /// The sequence number went back or repeated: reordering, duplication or replay.
        public static let sequenceRegression = Anomalies(rawValue: 1 << 1)
        /// The flow carries more connections than `State.maxConnections`; this one is not tracked.
        public static let tooManyConnections = Anomalies(rawValue: 1 << 2)
        /// Items that are not exactly a sequenced address and a connected data item.
        public static let invalidItem = Anomalies(rawValue: 1 << 3)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.sequenceGap, "enip_io.sequence_gap"),
            (.sequenceRegression, "enip_io.sequence_regression"),
            (.tooManyConnections, "enip_io.too_many_connections"),
            (.invalidItem, "enip_io.invalid_item"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    /// Per flow: datagrams and the last sequence per connection id, in a small bounded table.
    public struct State: Sendable {
        /// Connections tracked per flow (a scanner or device usually has a handful).
        public static let maxConnections = 32
        public struct Connection: Sendable, Equatable {
            public var id: UInt32
            public var packets: UInt64
            public var lastSequence: UInt32
            public var gaps: UInt64
        }
        public private(set) var connections: [Connection] = []

        public init() {}

        /// Datagrams seen on `id` so far.
        public func packets(connection id: UInt32) -> UInt64 {
            connections.first { $0.id == id }?.packets ?? 0
        }

        mutating func note(_ datagram: inout Datagram) {
            if connections.capacity < Self.maxConnections { connections.reserveCapacity(Self.maxConnections) }
            guard let index = connections.firstIndex(where: { $0.id == datagram.connectionID }) else {
                guard connections.count < Self.maxConnections else {
                    datagram.anomalies.insert(.tooManyConnections)
                    return
                }
                connections.append(
                    Connection(id: datagram.connectionID, packets: 1, lastSequence: datagram.sequence, gaps: 0))
                datagram.packetsOnConnection = 1
                return
            }
            let step = datagram.sequence &- connections[index].lastSequence
            if step == 0 || step > UInt32.max / 2 {
                datagram.anomalies.insert(.sequenceRegression)
            } else if step > 1 {
                datagram.anomalies.insert(.sequenceGap)
                connections[index].gaps &+= 1
            }
            if step != 0 && step <= UInt32.max / 2 { connections[index].lastSequence = datagram.sequence }
            connections[index].packets &+= 1
            datagram.packetsOnConnection = connections[index].packets
        }
    }

    static let sequencedAddress: UInt16 = 0x8002
    static let connectedData: UInt16 = 0x00b1

    /// Item count 2 (or more, with sockaddr items), a sequenced address item of length 8 first.
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        guard let count = EtherNetIP.le16(bytes, 0), let type = EtherNetIP.le16(bytes, 2),
            let length = EtherNetIP.le16(bytes, 4)
        else { return .needMore }
        guard count >= 2, count <= 4, type == sequencedAddress, length == 8 else { return .reject }
        guard let dataType = EtherNetIP.le16(bytes, 14) else { return .needMore }
        return dataType == connectedData ? .match : .reject
    }

    /// Takes a whole datagram. Items that do not fit are `.malformed` (a datagram cannot be
    /// resynchronised); unexpected item types inside are an anomaly.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Datagram, consumed: Int) {
        guard let count = EtherNetIP.le16(bytes, 0) else { throw .malformed("enip-io: no item count") }
        var datagram = Datagram(connectionID: 0, sequence: 0, dataOffset: bytes.count, dataLength: 0)
        var sawAddress = false
        var sawData = false
        var oddItem = false
        let fits = EtherNetIP.forEachItem(bytes, at: 0) { item in
            switch item.type {
            case sequencedAddress where item.length == 8:
                datagram.connectionID = EtherNetIP.le32(bytes, item.offset) ?? 0
                datagram.sequence = EtherNetIP.le32(bytes, item.offset &+ 4) ?? 0
                sawAddress = true
            case connectedData:
                datagram.dataOffset = item.offset
                datagram.dataLength = item.length
                sawData = true
            default:
                oddItem = true
            }
        }
        guard fits, Int(count) <= EtherNetIP.maxCPFItems else {
            throw .malformed("enip-io: \(count) items do not fit \(bytes.count) bytes")
        }
        guard sawAddress else { throw .malformed("enip-io: no sequenced address item") }
        if oddItem || !sawData { datagram.anomalies.insert(.invalidItem) }
        state.note(&datagram)
        return (datagram, bytes.count)
    }

    /// One event per datagram: the connection, its sequence and how much data it carried.
    public static func event(
        _ parsed: Datagram, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let target = Message.Target(
            kind: "io_connection", address: Int(parsed.connectionID), count: parsed.dataLength,
            values: [Int(parsed.sequence), Int(truncatingIfNeeded: parsed.packetsOnConnection)])
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: 0, functionName: "io_data",
            operation: .other, targets: [target], status: .ok, anomalies: parsed.anomalies.names)
    }
}
