/// Where a TCP flow is in its life, as far as a passive observer can tell.
public enum TCPState: UInt8, Sendable, CaseIterable {
    /// Not a TCP flow.
    case none = 0
    /// The client's SYN was seen, no SYN+ACK yet.
    case synSent
    /// The server's SYN+ACK was seen.
    case synReceived
    /// The handshake completed (or data flowed after a SYN).
    case established
    /// The first packet seen was neither SYN nor SYN+ACK: the handshake happened before the capture.
    case midstream
    /// One side sent FIN.
    case closing
    /// Both sides sent FIN.
    case closed
    /// A RST was seen.
    case reset

    /// The name used in flow records.
    public var name: String {
        switch self {
        case .none: "none"
        case .synSent: "syn_sent"
        case .synReceived: "syn_received"
        case .established: "established"
        case .midstream: "midstream"
        case .closing: "closing"
        case .closed: "closed"
        case .reset: "reset"
        }
    }

    /// Closed or reset: the flow only lingers, and a new SYN on its ports starts a new flow.
    @inlinable public var isFinished: Bool { self == .closed || self == .reset }
}
