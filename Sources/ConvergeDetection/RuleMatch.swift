import ConvergeInventory
import ConvergeModel

/// What an event must look like for a rule to match: every condition that is set must hold;
/// a list inside one condition matches when any of its items does. Unset means "any".
public struct RuleMatch: Sendable {
    // Messages
    public var protocols: [String] = []
    public var operations: [Operation] = []
    public var functions: [FunctionSelector] = []
    public var direction: Direction? = nil
    public var status: StatusCondition? = nil
    public var anomaly: AnomalyCondition? = nil
    public var target: TargetCondition? = nil
    public var value: ValueCondition? = nil
    public var units: [Int] = []
    /// An ARP binding names an address that another Ethernet address claimed before this run.
    public var bindingConflict: Bool? = nil

    // Any event: the endpoints and their asset context
    public var client: EndpointCondition? = nil
    public var server: EndpointCondition? = nil
    /// The client and server assets sit at least this many Purdue levels apart (3.5 counts as one).
    public var crossesLevels: Int? = nil
    /// The client is on the IT side (level 3.5 and up, or an IT role) and the server on the OT side.
    public var itToOT: Bool? = nil
    /// Conditions on the learned baseline; quiet while nothing is learned.
    public var unseen: [BaselineCondition] = []
    /// Matches only the first time this key is seen in the run (after every other condition).
    public var firstTime: FirstTimeKey? = nil

    // Asset facts
    public var fact: FactCondition? = nil
    // Flows
    public var flow: FlowCondition? = nil

    public init() {}

    /// A function by its code or by its name (a glob: `umas.*`).
    public enum FunctionSelector: Sendable, Hashable {
        case code(Int)
        case name(Glob)
    }

    public enum StatusCondition: String, Sendable {
        case ok, exception, pending
    }

    /// `true`: any anomaly; `false`: none; names: one of these (globs).
    public enum AnomalyCondition: Sendable {
        case present(Bool)
        case names([Glob])
    }

    /// Some target of the message has one of these kinds, an address in the range and a name
    /// matching one of the patterns.
    public struct TargetCondition: Sendable {
        public var kinds: [Glob] = []
        public var address: ClosedRange<Int>? = nil
        public var names: [Glob] = []
        public init() {}
    }

    /// Some value the message carries (a target's integer values, or its text value read as a
    /// number) satisfies every bound given.
    public struct ValueCondition: Sendable {
        public var equals: [Double] = []
        public var above: Double? = nil
        public var below: Double? = nil
        public var outside: ClosedRange<Double>? = nil
        public var inside: ClosedRange<Double>? = nil
        public init() {}
    }

    /// An endpoint and its asset: address range, port, role, Purdue level, vendor, zone,
    /// whether it is on the internet and whether the inventory knows it.
    public struct EndpointCondition: Sendable {
        public var networks: [Network] = []
        public var ports: [Int] = []
        public var roles: [Role] = []
        public var levels: [PurdueLevel] = []
        public var vendors: [Glob] = []
        public var zones: [Glob] = []
        public var external: Bool? = nil
        public var known: Bool? = nil
        public init() {}
    }

    public enum BaselineCondition: String, Sendable, CaseIterable {
        /// The client never talked to the server over this protocol while learning.
        case pair
        /// The client never used this function code on the server while learning.
        case function
        /// The client never wrote to the server while learning.
        case writer
        /// The client (or the server) was never seen while learning.
        case client, server
    }

    /// What "first time" is counted on: the client→server pair, the pair and function, the
    /// client alone or the server alone.
    public enum FirstTimeKey: String, Sendable, CaseIterable {
        case pair, function, client, server
    }

    public struct FactCondition: Sendable {
        public var kinds: [AssetFact.Kind] = []
        public var values: [Glob] = []
        public var sources: [Glob] = []
        public init() {}
    }

    public struct FlowCondition: Sendable {
        public var transports: [Transport] = []
        public var applications: [Glob] = []
        /// `true`: no dissector claimed the flow; `false`: one did.
        public var unidentified: Bool? = nil
        public var tcpStates: [Glob] = []
        public var endReasons: [Glob] = []
        public var minPackets: UInt64? = nil
        public var maxPacketsToClient: UInt64? = nil
        public var minBytes: UInt64? = nil
        public init() {}
    }
}
