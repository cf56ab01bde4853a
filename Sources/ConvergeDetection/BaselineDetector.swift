import ConvergeModel

/// Compares a run's messages with a learned `Baseline` (detect mode) or adds them to it (learn
/// mode). Deviations become alerts that aggregate by rule and key, like the rule engine's
/// (`baseline.new_pair:10.0.0.9>10.0.0.5/modbus`): one alert per deviation with a count, first
/// and last time and the first `Alert.maxEvidence` frames.
///
/// Rules: `baseline.new_asset`, `baseline.new_pair`, `baseline.new_function`,
/// `baseline.write_out_of_range`, `baseline.poll_cycle_broken`. Nothing fires before a baseline
/// has been learned (an empty store would otherwise call everything new).
public final class BaselineDetector {
    public enum Mode: String, Sendable { case learn, detect }

    /// Distinct alerts one run may hold; beyond it new deviations are counted in `droppedAlerts`.
    public static let maxAlerts = 10_000

    public let mode: Mode
    /// The baseline: as given in detect mode, growing in learn mode.
    public private(set) var baseline: Baseline
    public internal(set) var droppedAlerts = 0
    let captures: [String]
    var alerts: [String: Alert] = [:]
    /// The order alerts were raised in, so `finish` lists them as they happened.
    var order: [String] = []
    /// Detect mode: the last request per learned cyclic slot in this run.
    var lastPoll: [PollKey: Timestamp] = [:]
    var runEnd: Timestamp?

    /// Detect mode: every learned write range of a server's target, whoever wrote it, so a write
    /// from a new client is still measured against what the server's registers normally hold.
    var serverRanges: [ServerTarget: Baseline.ValueRange] = [:]

    struct ServerTarget: Hashable {
        var server: IPAddress
        var proto: String
        var target: Baseline.TargetKey
    }

    /// Detect mode: each learned cyclic slot's period and accepted intervals, worked out once
    /// (they sort the learned samples) rather than per message.
    var cycles: [PollKey: (period: Int64, accepted: ClosedRange<Int64>)] = [:]

    struct PollKey: Hashable {
        var pair: Baseline.Pair
        var slot: Baseline.PollSlot

        func hash(into hasher: inout Hasher) {
            var h = Baseline.fold(pair.client, pair.server, pair.proto.utf8.count)
            h ^= (UInt64(truncatingIfNeeded: slot.target.address) &* 0x9E37_79B9_7F4A_7C15)
                ^ (UInt64(truncatingIfNeeded: slot.function) &* 0xC2B2_AE3D_27D4_EB4F)
            hasher.combine(h)
        }
    }

    public init(baseline: Baseline, mode: Mode, captures: [String] = []) {
        self.baseline = baseline
        self.mode = mode
        self.captures = captures
        if mode == .detect {
            for (pair, record) in baseline.pairs {
                for (slot, poll) in record.polls {
                    guard let period = poll.period, let accepted = poll.accepted else { continue }
                    cycles[PollKey(pair: pair, slot: slot)] = (period, accepted)
                }
                for (target, range) in record.written {
                    let key = ServerTarget(server: pair.server, proto: pair.proto, target: target)
                    guard var merged = serverRanges[key] else {
                        serverRanges[key] = range
                        continue
                    }
                    merged.min = min(merged.min, range.min)
                    merged.max = max(merged.max, range.max)
                    merged.writes &+= range.writes
                    serverRanges[key] = merged
                }
            }
        }
        if mode == .learn {
            // Intervals are taken within one run only.
            for key in self.baseline.pairs.keys {
                guard var record = self.baseline.pairs[key] else { continue }
                for slot in record.polls.keys { record.polls[slot]?.last = nil }
                self.baseline.pairs[key] = record
            }
        }
    }

    public func observe(_ event: Event) {
        guard case .message(let message) = event else { return }
        observe(message)
    }

    public func observe(_ message: Message) {
        switch mode {
        case .learn: baseline.learn(message)
        case .detect: detect(message)
        }
    }

    /// The alerts raised, in the order they were first raised (detect mode; none when learning).
    public func finish() -> [Alert] {
        if mode == .detect, let runEnd { checkStoppedPolls(at: runEnd) }
        return order.compactMap { alerts[$0] }
    }

    public var alertCount: Int { alerts.count }

    /// Learning reads every request's first target (its poll slot) and writes' values; detecting
    /// does too, once a baseline exists (before that it checks nothing).
    public func targetNeed(proto: String) -> TargetNeed { mode == .learn || baseline.learned ? .all : .none }

    /// Learning and detecting against a baseline read every message; detecting before anything
    /// was learned reads none (the baseline cannot change during the run).
    public func feedVerdict(_ message: Message) -> FeedVerdict { mode == .learn || baseline.learned ? .build : .skip }
    /// Its skip holds for the whole run (nothing learned, nothing to deviate from).
    public var feedScope: FeedScope { .endpoints(clientPort: false) }

    // MARK: - detection

    func detect(_ message: Message) {
        guard baseline.learned else { return }
        runEnd = max(runEnd ?? message.time, message.time)
        let client = message.client.address
        let server = message.server.address
        for address in [client, server] where address != .none && !baseline.knowsAsset(address) {
            raise(newAsset: address, message)
        }
        guard client != .none, server != .none, message.direction == .toServer else { return }
        let pair = Baseline.Pair(client: client, server: server, proto: message.proto)
        guard let record = baseline.pairs[pair] else {
            raise(newPair: pair, message)
            if message.operation == .write { checkWritesOfNewClient(pair, message) }
            return
        }
        if record.functions[message.functionCode] == nil {
            raise(newFunction: pair, message)
        }
        if message.operation == .write {
            for (key, value) in Baseline.writtenValues(message) where !(record.written[key]?.accepts(value) ?? false) {
                raise(outOfRange: pair, key, value, learned: record.written[key], message)
            }
        }
        checkPoll(pair, record, message)
    }

    /// A client the baseline never saw writing: values outside what the server's targets held
    /// while learning (from any writer) are named; targets nobody wrote are left to `new_pair`.
    func checkWritesOfNewClient(_ pair: Baseline.Pair, _ message: Message) {
        for (key, value) in Baseline.writtenValues(message) {
            let target = ServerTarget(server: pair.server, proto: pair.proto, target: key)
            guard let range = serverRanges[target], !range.accepts(value) else { continue }
            raise(outOfRange: pair, key, value, learned: range, message)
        }
    }

    func checkPoll(_ pair: Baseline.Pair, _ record: Baseline.PairRecord, _ message: Message) {
        let slot = Baseline.pollSlot(message)
        let key = PollKey(pair: pair, slot: slot)
        guard let (period, accepted) = cycles[key] else { return }
        if let last = lastPoll[key] {
            let interval = message.time.nanoseconds &- last.nanoseconds
            if interval >= 0, !accepted.contains(interval) {
                raise(pollBroken: pair, slot, interval: interval, period: period, message)
            }
        }
        lastPoll[key] = message.time
    }

    /// A learned cycle that went quiet: its last request is further back from the run's end than
    /// the cycle allows.
    func checkStoppedPolls(at end: Timestamp) {
        for (key, last) in lastPoll.sorted(by: { ($0.key.pair, $0.key.slot) < ($1.key.pair, $1.key.slot) }) {
            guard let (period, accepted) = cycles[key] else { continue }
            let silence = end.nanoseconds &- last.nanoseconds
            if silence > accepted.upperBound {
                raise(pollStopped: key.pair, key.slot, silence: silence, period: period, at: end, last: last)
            }
        }
    }
}
