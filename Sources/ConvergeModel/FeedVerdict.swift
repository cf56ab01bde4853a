/// What the detection feed does with the messages of one shape on one flow (`FeedKey` in the
/// protocols module names the shape), asked of the detectors once, on the first such message.
public enum FeedVerdict: Sendable, Equatable {
    /// Every such message becomes an event and is checked.
    case build
    /// No check can act on such a message: its event is not built. A dissector keys only messages
    /// without anomalies, so a rule that needs an anomaly cannot match one.
    case skip
    /// Such messages only count towards thresholds and alerts that read nothing of them but their
    /// time, unit and packet: no event is built, and the detector that answered takes each as a
    /// `FeedSighting` under this plan (a number of its own).
    case count(plan: Int)
}

/// A message the feed's gate counted without building it (`FeedVerdict.count`): what a counting
/// check reads of it besides its shape.
public struct FeedSighting: Sendable {
    public var time: Timestamp
    /// The addressed unit (`Message.unit`).
    public var unit: Int?
    /// The packet that completed it and its capture's index (`Message.frame`, `captureIndex`).
    public var frame: Int
    public var capture: Int

    public init(time: Timestamp, unit: Int?, frame: Int, capture: Int) {
        self.time = time
        self.unit = unit
        self.frame = frame
        self.capture = capture
    }
}

/// How far a detector's `FeedVerdict.skip` reaches: the detection feed's gate remembers a skip
/// for the flow it was asked on, and, when every detector says so, for every flow of the same
/// protocol between the same endpoints (each DNS query is a flow of its own; so is each TLS or
/// HTTP connection).
public enum FeedScope: Sendable, Equatable {
    /// Only the flow it was asked on.
    case flow
    /// Every flow between the same client and server addresses, to the same server port, and
    /// from the same client port when `clientPort` (a check reads the client's port).
    case endpoints(clientPort: Bool)

    /// The narrower of two scopes.
    public func narrowed(by other: FeedScope) -> FeedScope {
        switch (self, other) {
        case (.endpoints(let a), .endpoints(let b)): .endpoints(clientPort: a || b)
        default: .flow
        }
    }
}
