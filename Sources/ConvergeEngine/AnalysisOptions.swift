import ConvergeModel

/// How one analysis runs. Limits are configuration, not constants, so a sensor on a big link can
/// raise them (swift-nio's `maxHeaderFieldSize` habit).
public struct AnalysisOptions: Sendable {
    public var flowLimits = FlowLimits()
    /// Packet-level problems listed one by one in the summary; the rest are only counted.
    public var maxListedProblems = 100
    /// How many top talkers the summary names.
    public var topTalkers = 10
    /// Whether application protocols are dissected; off leaves decode and flows alone (the
    /// benchmark's baseline for what the dissectors cost).
    public var dissect = true

    public init() {}
}

/// Called now and then during a run with bytes read so far and the total when known.
public typealias ProgressHandler = (_ bytesRead: Int, _ totalBytes: Int?, _ packets: UInt64) -> Void
