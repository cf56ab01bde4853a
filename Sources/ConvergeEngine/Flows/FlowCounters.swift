/// What a `FlowTable` has done since it was created.
public struct FlowCounters: Sendable, Equatable {
    public var createdTCP: UInt64 = 0
    public var createdUDP: UInt64 = 0
    /// ICMP and ICMPv6.
    public var createdICMP: UInt64 = 0
    public var createdOther: UInt64 = 0
    /// Flows ended to make room for a new one at capacity.
    public var evicted: UInt64 = 0
    /// Flows ended because they were idle longer than their transport's idle timeout.
    public var idleTimeouts: UInt64 = 0
    /// TCP flows ended after FIN/RST and the linger time, or by a new SYN reusing the ports.
    public var closed: UInt64 = 0
    /// New SYNs that ended a previous flow on the same ports (counted in `closed` too).
    public var portReuses: UInt64 = 0
    /// Interim records emitted by the active timeout (the flow goes on; not a new flow).
    public var interimRecords: UInt64 = 0
    /// Flows ended by `flushAll`.
    public var flushed: UInt64 = 0
    /// Flows currently held.
    public var active: Int = 0

    public init() {}

    public var created: UInt64 { createdTCP &+ createdUDP &+ createdICMP &+ createdOther }
}
