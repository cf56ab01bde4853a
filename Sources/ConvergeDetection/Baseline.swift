import ConvergeModel

/// What `converge analyze --learn` records as normal: the assets seen, who talks to whom over which
/// protocol, the function codes each pair uses, who writes, the targets written with the range of
/// values written, and how often each request is polled. Detection (`BaselineDetector`, and rules
/// through `BaselineView`) compares later traffic with it.
///
/// Every table is capped by a named constant: a flood of new addresses or registers while learning
/// fills the tables up to the cap and is then counted in `dropped`, never grown without bound.
public struct Baseline: Sendable, Codable {
    public static let maxAssets = 100_000
    public static let maxPairs = 50_000
    public static let maxFunctionsPerPair = 256
    public static let maxWrittenTargetsPerPair = 4_096
    public static let maxPollSlotsPerPair = 256
    /// Request intervals kept per poll slot; the period is their median.
    public static let maxIntervalSamples = 64
    /// Values of one write request taken into the learned ranges (a block write of more is cut).
    public static let maxValuesPerWrite = 256

    public var assets: [IPAddress: AssetRecord] = [:]
    public var pairs: [Pair: PairRecord] = [:]
    /// Observations left out because a table was full.
    public var dropped: Int = 0

    public init() {}

    /// A client talking to a server over one protocol.
    public struct Pair: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
        public var client: IPAddress
        public var server: IPAddress
        public var proto: String
        public init(client: IPAddress, server: IPAddress, proto: String) {
            self.client = client
            self.server = server
            self.proto = proto
        }
        public static func < (a: Pair, b: Pair) -> Bool {
            (a.client, a.server, a.proto) < (b.client, b.server, b.proto)
        }
        /// Folded into one word (equality still compares every field, the protocol's text
        /// included): detection looks pairs up several times per message.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(Baseline.fold(client, server, proto.utf8.count))
        }

        /// `10.0.0.9>10.0.0.5/modbus`, the form alert ids and `converge baseline prune --pair` use.
        public var description: String { "\(client)>\(server)/\(proto)" }

        /// Parses `CLIENT>SERVER/PROTO` (the `description` form).
        public init?(_ text: String) {
            let halves = text.split(separator: ">", maxSplits: 1).map(String.init)
            guard halves.count == 2, let slash = halves[1].firstIndex(of: "/"),
                let client = IPAddress(halves[0]), let server = IPAddress(String(halves[1][..<slash]))
            else { return nil }
            let proto = String(halves[1][halves[1].index(after: slash)...])
            guard !proto.isEmpty else { return nil }
            self.init(client: client, server: server, proto: proto)
        }
    }

    public struct AssetRecord: Sendable, Codable, Hashable {
        public var firstSeen: Timestamp
        public var lastSeen: Timestamp
        public var messages: Int
    }

    /// A register, point or object, by kind and address (`holding_register` 40).
    public struct TargetKey: Hashable, Sendable, Codable, Comparable {
        public var kind: String
        public var address: Int
        public init(kind: String, address: Int) {
            self.kind = kind
            self.address = address
        }
        public static func < (a: TargetKey, b: TargetKey) -> Bool { (a.kind, a.address) < (b.kind, b.address) }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(truncatingIfNeeded: address) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(kind.utf8.count))
        }
    }

    /// The smallest and largest value written to one target while learning.
    public struct ValueRange: Sendable, Codable, Hashable {
        public var min: Double
        public var max: Double
        public var writes: Int
        public func contains(_ value: Double) -> Bool { value >= min && value <= max }

        /// How far outside the learned range a write may land before it counts as a deviation:
        /// a quarter of the range's span, but at least `relativeTolerance` of its magnitude, so a
        /// set point learned from one write (700) still takes a nearby one (620) while 3000 stands out.
        public static let spanTolerance = 0.25
        public static let relativeTolerance = 0.15

        public var tolerance: Double {
            Swift.max((max - min) * Self.spanTolerance, Swift.max(abs(min), abs(max)) * Self.relativeTolerance)
        }

        /// The value is within the learned range widened by `tolerance`.
        public func accepts(_ value: Double) -> Bool { value >= min - tolerance && value <= max + tolerance }
    }

    public struct FunctionRecord: Sendable, Codable, Hashable {
        public var name: String
        public var operation: Operation
        public var count: Int
    }

    /// One repeated request: a function on a first target (`-1` address when the request names none).
    public struct PollSlot: Hashable, Sendable, Codable, Comparable {
        public var function: Int
        public var target: TargetKey
        public static func < (a: PollSlot, b: PollSlot) -> Bool { (a.function, a.target) < (b.function, b.target) }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(
                (UInt64(truncatingIfNeeded: target.address) &* 0x9E37_79B9_7F4A_7C15)
                    ^ (UInt64(truncatingIfNeeded: function) &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(target.kind.utf8.count))
        }
    }

    /// Two addresses and a small number folded into one word by multiply-xor, for hashing.
    static func fold(_ a: IPAddress, _ b: IPAddress, _ extra: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: extra) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ UInt64(truncatingIfNeeded: a.bits)) &* 0xC2B2_AE3D_27D4_EB4F
        h = (h ^ UInt64(truncatingIfNeeded: a.bits >> 64)) &* 0x1656_67B1_9E37_79F9
        h = (h ^ UInt64(truncatingIfNeeded: b.bits)) &* 0x9E37_79B9_7F4A_7C15
        return (h ^ UInt64(truncatingIfNeeded: b.bits >> 64)) &* 0xC2B2_AE3D_27D4_EB4F
    }

    public struct PairRecord: Sendable, Codable {
        public var firstSeen: Timestamp
        public var lastSeen: Timestamp
        public var messages: Int = 0
        public var functions: [Int: FunctionRecord] = [:]
        /// Write requests seen (any write operation).
        public var writes: Int = 0
        public var written: [TargetKey: ValueRange] = [:]
        public var polls: [PollSlot: PollRecord] = [:]
    }
}

extension Baseline: BaselineView {
    public var learned: Bool { !assets.isEmpty || !pairs.isEmpty }

    public func knowsPair(client: IPAddress, server: IPAddress, proto: String) -> Bool {
        pairs[Pair(client: client, server: server, proto: proto)] != nil
    }

    public func knowsFunction(client: IPAddress, server: IPAddress, proto: String, function: Int) -> Bool {
        pairs[Pair(client: client, server: server, proto: proto)]?.functions[function] != nil
    }

    public func knowsWriter(client: IPAddress, server: IPAddress, proto: String) -> Bool {
        (pairs[Pair(client: client, server: server, proto: proto)]?.writes ?? 0) > 0
    }

    public func knowsAsset(_ address: IPAddress) -> Bool { assets[address] != nil }
}
