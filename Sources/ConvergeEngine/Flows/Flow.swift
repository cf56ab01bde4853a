import ConvergeModel

/// One bidirectional flow as the table holds it: 128 bytes, plain integers, no references, so the
/// table is one flat allocation and copying a flow out costs nothing worth counting.
public struct Flow: Sendable {
    /// Protocol, VLAN and the two endpoints (A is the lower one, not necessarily the client).
    public internal(set) var key: FlowKey
    /// `Bits` flags.
    var bits: UInt8
    public internal(set) var transport: Transport
    public internal(set) var tcpState: TCPState
    /// The idle list the flow sits on (`TimeoutClass` raw value).
    var timeoutClass: UInt8
    /// The application protocol the engine assigned (0 = none yet); the table only stores it.
    public internal(set) var application: UInt8
    /// An index into the engine's own per-flow state (-1 = none); the table only stores it.
    public internal(set) var appState: Int32
    /// Monotonic per table, never 0 for a live flow (0 marks a free slot).
    public internal(set) var id: UInt64
    var first: Int64
    var last: Int64
    /// When the current active-timeout period began (flow start or the last interim record).
    var activeSince: Int64
    public internal(set) var packetsToServer: UInt64
    public internal(set) var packetsToClient: UInt64
    public internal(set) var bytesToServer: UInt64
    public internal(set) var bytesToClient: UInt64
    var lruPrev: UInt32
    var lruNext: UInt32
    /// The client's initial sequence number, when its SYN was seen (`Bits.hasISN`).
    var clientISN: UInt32

    enum Bits {
        static var clientIsA: UInt8 { 1 }
        static var finFromA: UInt8 { 2 }
        static var finFromB: UInt8 { 4 }
        static var hasISN: UInt8 { 8 }
    }

    var clientIsA: Bool { bits & Bits.clientIsA != 0 }

    public var client: Endpoint {
        clientIsA ? Endpoint(address: IPAddress(bits: key.addressA), port: key.portA)
            : Endpoint(address: IPAddress(bits: key.addressB), port: key.portB)
    }
    public var server: Endpoint {
        clientIsA ? Endpoint(address: IPAddress(bits: key.addressB), port: key.portB)
            : Endpoint(address: IPAddress(bits: key.addressA), port: key.portA)
    }
    public var vlan: UInt16 { key.vlan }
    public var ipProtocol: UInt8 { key.ipProtocol }
    public var firstSeen: Timestamp { Timestamp(nanoseconds: first) }
    public var lastSeen: Timestamp { Timestamp(nanoseconds: last) }
}

/// Which idle list a flow sits on: every flow of one list shares a timeout, so each list's tail is
/// its stalest flow and expiry only ever looks at four tails.
enum TimeoutClass: UInt8, CaseIterable {
    case tcpOpen = 0, tcpClosed, udp, other

    static func of(transport: Transport, state: TCPState) -> TimeoutClass {
        switch transport {
        case .tcp: state.isFinished ? .tcpClosed : .tcpOpen
        case .udp: .udp
        default: .other
        }
    }
}
