import ConvergeModel

/// What detection asks of the learned baseline (`converge analyze --learn`): rules match on
/// whether a pair, a function or a written target was seen while learning, and the baseline's own
/// deviation checks use the same answers. `nil` from `learned` means no baseline was learned, so
/// "never seen" conditions do not fire on a store that has none.
public protocol BaselineView: Sendable {
    /// True once a baseline exists (something was learned).
    var learned: Bool { get }
    /// The client talked to the server over `proto` while learning.
    func knowsPair(client: IPAddress, server: IPAddress, proto: String) -> Bool
    /// The client used this function code of `proto` on the server while learning.
    func knowsFunction(client: IPAddress, server: IPAddress, proto: String, function: Int) -> Bool
    /// The client wrote to this server while learning (any write operation over `proto`).
    func knowsWriter(client: IPAddress, server: IPAddress, proto: String) -> Bool
    /// The asset (by address) was seen while learning.
    func knowsAsset(_ address: IPAddress) -> Bool
}

/// No baseline: nothing is learned, so every "unseen" condition stays quiet.
public struct NoBaseline: BaselineView {
    public init() {}
    public var learned: Bool { false }
    public func knowsPair(client: IPAddress, server: IPAddress, proto: String) -> Bool { true }
    public func knowsFunction(client: IPAddress, server: IPAddress, proto: String, function: Int) -> Bool { true }
    public func knowsWriter(client: IPAddress, server: IPAddress, proto: String) -> Bool { true }
    public func knowsAsset(_ address: IPAddress) -> Bool { true }
}
