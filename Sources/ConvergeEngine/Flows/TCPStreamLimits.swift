/// Bounds of TCP reassembly, per direction of a flow and over all streams of a worker.
public struct TCPStreamLimits: Sendable {
    /// Out-of-order bytes held per direction while waiting for a hole to fill.
    public var maxOutOfOrderBytes: Int = 65_536
    /// Out-of-order segments held per direction.
    public var maxOutOfOrderSegments: Int = 64
    /// Delivered but unconsumed bytes (a partial PDU) held per direction. 1 MiB + slack covers the
    /// largest frames of the industrial protocols (EtherNet/IP and S7 lengths are 16-bit) and the
    /// MQTT messages that carry files and images; the shared `maxTotalBytes` still bounds them all.
    public var maxCarryBytes: Int = (1 << 20) + 1024
    /// Buffer capacity of all streams together; a stream that would exceed it skips or drops instead.
    public var maxTotalBytes: Int = 32 << 20
    /// Capacity a buffer keeps when it empties, so a flow that often carries a partial PDU does not
    /// allocate per packet; larger buffers are freed.
    public var retainedCapacity: Int = 4096

    public init() {}

    /// Every bound clamped to 0…2^30 so offsets fit 32 bits and arithmetic cannot overflow.
    var clamped: TCPStreamLimits {
        var l = self
        let top = 1 << 30
        l.maxOutOfOrderBytes = min(max(maxOutOfOrderBytes, 0), top)
        l.maxOutOfOrderSegments = min(max(maxOutOfOrderSegments, 0), 1 << 16)
        l.maxCarryBytes = min(max(maxCarryBytes, 0), top)
        l.maxTotalBytes = min(max(maxTotalBytes, 0), Int.max >> 2)
        l.retainedCapacity = min(max(retainedCapacity, 0), top)
        return l
    }
}

/// What TCP reassembly did, over all streams sharing one `TCPReassembly`.
public struct TCPStreamCounters: Sendable, Equatable {
    /// Stream bytes handed on in order (each byte once, however often a partial PDU is re-offered).
    public var bytesDelivered: UInt64 = 0
    /// Holes skipped (the consumer was told) and the stream bytes they covered.
    public var gaps: UInt64 = 0
    public var gapBytes: UInt64 = 0
    /// Segments (and their bytes) that arrived ahead of a hole and were buffered.
    public var outOfOrderSegments: UInt64 = 0
    public var outOfOrderBytes: UInt64 = 0
    /// Bytes that had already been received (retransmissions, overlaps) and were dropped.
    public var retransmittedBytes: UInt64 = 0
    /// Times a bound forced a hole to be skipped early or data to be dropped, and the bytes dropped.
    public var overflows: UInt64 = 0
    public var overflowBytes: UInt64 = 0

    public init() {}
}
