import ConvergeDetection
import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import Foundation

/// Anything that turns a run's events into alerts (the rule engine's `Detector`, the
/// `BaselineDetector`): fed every event, asked for its alerts once at the end.
public protocol EventDetector: AnyObject {
    func observe(_ event: Event)
    /// One application message (the message feed): the same as `observe(.message(m))`, without
    /// copying the message into an event first.
    func observe(_ message: Message)
    func finish() -> [Alert]
    /// Which messages of this protocol (`Message.proto`) a check reads the targets of; the
    /// message feed may leave them out of the others' events. All unless a detector says otherwise.
    func targetNeed(proto: String) -> TargetNeed
    /// How far this detector's `skip` verdicts reach (`FeedScope`); only their flow by default.
    var feedScope: FeedScope { get }
    /// Whether this detector acts on messages shaped like `message` on its flow (`FeedVerdict`;
    /// see `Analyzer.messageVerdict`). Build unless a detector says otherwise.
    func feedVerdict(_ message: Message) -> FeedVerdict
    /// One message of a shape this detector answered `count(plan:)` for; false when the plan is
    /// gone (the message is then built and its shape asked again).
    func count(plan: Int, _ sighting: FeedSighting) -> Bool
}

extension EventDetector {
    public func targetNeed(proto: String) -> TargetNeed { .all }
    public func feedVerdict(_ message: Message) -> FeedVerdict { .build }
    public var feedScope: FeedScope { .flow }
    public func count(plan: Int, _ sighting: FeedSighting) -> Bool { false }
}

extension BaselineDetector: EventDetector {}

/// What detection a store run does (`converge analyze --database`).
public struct DetectionOptions: Sendable {
    public enum Baselining: Sendable {
        /// Raise baseline deviations against the stored baseline (quiet while none is stored).
        case detect
        /// Add the run to the stored baseline instead of alerting on deviations from it; the
        /// other detectors (rules) still alert.
        case learn
        /// No baseline at all.
        case off
    }

    /// False (`--no-detect`): no detector runs, and the analysis takes the cheaper inventory feed.
    public var enabled: Bool
    public var baselining: Baselining
    /// Builds the run's other detectors (the rule engine) once the store's baseline and assets are
    /// known and before any packet is read; it may throw (a bad rule file) to stop the run.
    public var makeDetectors: @Sendable (DetectionContext) throws -> [any EventDetector]

    public init(
        enabled: Bool = true, baselining: Baselining = .detect,
        makeDetectors: @escaping @Sendable (DetectionContext) throws -> [any EventDetector] = { _ in [] }
    ) {
        self.enabled = enabled
        self.baselining = baselining
        self.makeDetectors = makeDetectors
    }

    public static let off = DetectionOptions(enabled: false, baselining: .off)
}

/// What detectors are built from: the stored baseline, the assets the store knows and the
/// captures the run reads (evidence names them).
public struct DetectionContext: Sendable {
    public var baseline: Baseline
    public var assets: AssetDirectory
    public var captures: [String]
}

/// `converge analyze --store`: merges captures into a store. Captures already merged (same
/// fingerprint) are skipped; the rest are analysed together, the inventory is built from the
/// stored evidence plus theirs, detection runs over every event, and the evidence, inventory,
/// alerts (and a learned baseline) are committed in one transaction.
public enum StoreIngest {
    public struct Outcome: Sendable {
        /// Nil when every capture was already in the store.
        public var summary: AnalysisSummary?
        public var skipped: [String]
        public var assets: Int
        public var changes: Int
        /// Wall-clock seconds of each phase (load, analysis, build, commit), for `--timings`.
        public var phases: [(name: String, seconds: Double)] = []
        /// Alerts this run raised (before merging into stored ones), and pairs in the baseline after it.
        public var alerts: [Alert] = []
        public var baselinePairs: Int = 0
    }

    public static func run(
        paths: [String], store: any InventoryStore, options: AnalysisOptions = AnalysisOptions(),
        detection: DetectionOptions = .off, progress: ((Int, Int?, UInt64) -> Void)? = nil
    ) async throws -> Outcome {
        var clock = PhaseClock()
        let state = try await store.load()
        clock.lap("load")
        var fresh: [String] = []
        var skipped: [String] = []
        var records: [String: (fingerprint: String, bytes: Int64)] = [:]
        for path in paths {
            let print = CaptureFingerprint.of(path: path)
            if let print,
                state.captureFingerprints.contains(print.fingerprint)
                    || records.values.contains(where: {
                        $0.fingerprint == print.fingerprint
                    })
            {
                skipped.append(path)
                continue
            }
            if let print { records[path] = print }
            fresh.append(path)
        }
        let learning = detection.enabled && detection.baselining == .learn
        guard !fresh.isEmpty else {
            var outcome = Outcome(summary: nil, skipped: skipped, assets: state.classifications.count, changes: 0)
            if learning, !skipped.isEmpty, let detectionStore = store as? any DetectionStore {
                // Learning from captures already merged: the inventory has them; only the baseline grows.
                let learner = BaselineDetector(baseline: try await detectionStore.loadBaseline(), mode: .learn)
                Self.learn(skipped, into: learner, options: options)
                try await detectionStore.saveBaseline(learner.baseline)
                outcome.baselinePairs = learner.baseline.pairs.count
            }
            return outcome
        }
        let detectors = try await Self.detectors(detection, store: store, captures: fresh)
        let builder = InventoryBuilder()
        try builder.restore(state.evidence)
        let analyzer = Analyzer(options: options)
        if detectors.all.isEmpty {
            analyzer.inventorySink = { builder.add($0) }
        } else {
            // Detection reads the inventory's feed (facts, link-layer messages) and every
            // application message, but no process values: building those for every polled
            // register would cost more than all the rules together.
            let all = detectors.all
            analyzer.inventorySink = { event in
                builder.add(event)
                for detector in all { detector.observe(event) }
            }
            analyzer.messageSink = { message in
                for detector in all { detector.observe(message) }
            }
            analyzer.messageTargets = { proto in all.reduce(.none) { $0.union($1.targetNeed(proto: proto)) } }
            analyzer.messageGate = MessageGate(
                verdict: { Self.feedVerdict($0, all) },
                count: Self.counter(all),
                skipScope: all.reduce(FeedScope.endpoints(clientPort: false)) { $0.narrowed(by: $1.feedScope) })
        }
        analyzer.flowSink = { flow in
            builder.add(flow)
            for detector in detectors.all { detector.observe(.flow(flow)) }
        }
        let summary = analyzer.run(paths: fresh, progress: progress)
        clock.lap("analysis")
        var inventory = builder.build()
        let now = Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
        let changedAt = summary.lastTs.map { Timestamp(nanoseconds: Int64($0 * 1e9)) } ?? now
        inventory.changes += inventory.classificationChanges(from: state.classifications, at: changedAt)
        // A device already stored is not new again: its new_asset entry is the one first committed.
        inventory.changes.removeAll { $0.kind == .newAsset && state.classifications[$0.asset] != nil }
        let captures = fresh.compactMap { path -> CaptureRecord? in
            guard let record = records[path] else { return nil }
            let packets = Int64(clamping: summary.packets)
            return CaptureRecord(
                fingerprint: record.fingerprint, path: path, bytes: record.bytes, packets: packets, analysedAt: now)
        }
        clock.lap("build")
        var update = StoreUpdate(evidence: try builder.takeChangedEvidence(), inventory: inventory, captures: captures)
        let alerts = detectors.all.flatMap { $0.finish() }
        var baselinePairs = 0
        if learning, let learner = detectors.baseline, !skipped.isEmpty {
            Self.learn(skipped, into: learner, options: options)
        }
        if detection.enabled {
            let learned = detectors.baseline.flatMap { $0.mode == .learn ? $0.baseline : nil }
            update.detection = DetectionUpdate(alerts: alerts, baseline: learned)
            baselinePairs = (learned ?? detectors.baseline?.baseline)?.pairs.count ?? 0
        }
        try await store.commit(update)
        clock.lap("commit")
        return Outcome(
            summary: summary, skipped: skipped, assets: inventory.assets.count, changes: inventory.changes.count,
            phases: clock.laps, alerts: alerts, baselinePairs: baselinePairs)
    }

    /// The detectors' one verdict on a message's shape: skipped when all skip, counted when one
    /// counts and the others skip (its plan number tagged with its place in `all`), else built.
    static func feedVerdict(_ message: Message, _ all: [any EventDetector]) -> FeedVerdict {
        var verdict = FeedVerdict.skip
        for (place, detector) in all.enumerated() {
            switch detector.feedVerdict(message) {
            case .skip: continue
            case .build: return .build
            case .count(let plan):
                guard verdict == .skip, place < 256 else { return .build }
                verdict = .count(plan: plan << 8 | place)
            }
        }
        return verdict
    }

    /// Where the gate's counted messages go (`FeedVerdict.count`: the plan's low byte is its
    /// detector's place). The first two detectors are captured one by one: read out of the array,
    /// each message would retain and release its detector.
    static func counter(_ all: [any EventDetector]) -> (Int, FeedSighting) -> Bool {
        guard let first = all.first else { return { _, _ in false } }
        guard all.count > 1 else { return { plan, s in plan & 0xff == 0 && first.count(plan: plan >> 8, s) } }
        let second = all[1]
        return { plan, s in
            switch plan & 0xff {
            case 0: first.count(plan: plan >> 8, s)
            case 1: second.count(plan: plan >> 8, s)
            case let place: place < all.count && all[place].count(plan: plan >> 8, s)
            }
        }
    }

    /// Feeds captures' messages to a learning baseline only (no inventory, no alerts).
    static func learn(_ paths: [String], into learner: BaselineDetector, options: AnalysisOptions) {
        let analyzer = Analyzer(options: options)
        analyzer.inventorySink = { learner.observe($0) }  // link-layer messages (ARP)
        analyzer.messageSink = { learner.observe($0) }
        _ = analyzer.run(paths: paths)
    }

    /// The run's detectors: the baseline's (learning or detecting) and whatever `makeDetectors` adds.
    static func detectors(
        _ detection: DetectionOptions, store: any InventoryStore, captures: [String]
    ) async throws -> (baseline: BaselineDetector?, all: [any EventDetector]) {
        guard detection.enabled else { return (nil, []) }
        guard let detectionStore = store as? any DetectionStore else {
            throw StoreError("this store cannot keep alerts")
        }
        let stored = try await detectionStore.loadBaseline()
        var all: [any EventDetector] = []
        var baseline: BaselineDetector?
        switch detection.baselining {
        case .detect: baseline = BaselineDetector(baseline: stored, mode: .detect, captures: captures)
        case .learn: baseline = BaselineDetector(baseline: stored, mode: .learn, captures: captures)
        case .off: baseline = nil
        }
        if let baseline { all.append(baseline) }
        let assets = AssetDirectory(try await store.inventory())
        all += try detection.makeDetectors(DetectionContext(baseline: stored, assets: assets, captures: captures))
        return (baseline, all)
    }
}

/// Wall-clock laps of a run's phases.
struct PhaseClock {
    private var last = Date()
    private(set) var laps: [(name: String, seconds: Double)] = []

    mutating func lap(_ name: String) {
        let now = Date()
        laps.append((name, now.timeIntervalSince(last)))
        last = now
    }
}
