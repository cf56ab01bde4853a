import ConvergeModel

extension FINS {
    /// Per-flow state: commands waiting for responses, keyed by service id (one byte, so at most
    /// 256 distinct). At most 32 wait per flow; more evict the oldest (an anomaly). FINS clients
    /// retry after about 2 s, so a command unanswered for 10 s was lost.
    public typealias State = PendingRequestState<Pending>
    static let pendingCapacity = 32
    static let requestTimeout = Duration64.seconds(10)
}

extension FINS.Pending: PendingRequest {
    public var pendingKey: UInt8 { serviceID }
}
