import ConvergeModel

/// Size and timeouts of a `FlowTable`. Times are packet (capture) time, never the wall clock, so a
/// replayed capture ages flows exactly as it would have live.
public struct FlowLimits: Sendable {
    /// Most flows held at once; creating one more evicts the least recently active. 262 144 slots of
    /// 128 bytes plus a 4 MiB index keep the table near 36 MiB when full (pages are touched only as
    /// flows arrive, so a small capture uses far less).
    public var capacity: Int = 262_144
    /// TCP flows that have not finished (handshake, established, mid-stream, half-closed). Long,
    /// because OT sessions poll for days and sit idle between shifts; capacity bounds the memory.
    public var tcpIdle: Duration64 = .seconds(3600)
    /// How long a TCP flow lingers after both FINs or a RST, to absorb the last ACK and retransmitted
    /// FINs before its record is emitted.
    public var tcpClosedLinger: Duration64 = .seconds(10)
    /// UDP: request/response and periodic traffic (DNS, SNMP, BACnet, DNP3 over UDP). Ten minutes,
    /// so devices polled every few minutes (MELSEC, Beckhoff ADS in the corpus) stay one conversation,
    /// as Wireshark counts them.
    public var udpIdle: Duration64 = .seconds(600)
    /// ICMP and any other IP protocol.
    public var otherIdle: Duration64 = .seconds(60)
    /// A flow active for this long emits an interim record (same id, totals so far) and goes on.
    public var activeTimeout: Duration64 = .seconds(1800)
    /// How often (in packet time) the idle lists are checked; the check is a few comparisons per list.
    public var expiryInterval: Duration64 = .seconds(1)
    /// Most flows ended by one expiry check, so one packet never pays for a large backlog; the rest
    /// are ended on the following packets.
    public var expiryBatch: Int = 256

    public init() {}

    /// The capacity actually used: at least 1 and at most 2^26 (slot indices are 32-bit).
    var effectiveCapacity: Int { min(max(capacity, 1), 1 << 26) }
}
