import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import Foundation

/// `converge analyze --store`: merges captures into a store. Captures already merged (same
/// fingerprint) are skipped; the rest are analysed together, the inventory is built from the
/// stored evidence plus theirs, and everything is committed in one transaction.
public enum StoreIngest {
    public struct Outcome: Sendable {
        /// Nil when every capture was already in the store.
        public var summary: AnalysisSummary?
        public var skipped: [String]
        public var assets: Int
        public var changes: Int
        /// Wall-clock seconds of each phase (load, analysis, build, commit), for `--timings`.
        public var phases: [(name: String, seconds: Double)] = []
    }

    public static func run(
        paths: [String], store: any InventoryStore, options: AnalysisOptions = AnalysisOptions(),
        progress: ((Int, Int?, UInt64) -> Void)? = nil
    ) async throws -> Outcome {
        var clock = PhaseClock()
        let state = try await store.load()
        clock.lap("load")
        var fresh: [String] = []
        var skipped: [String] = []
        var records: [String: (fingerprint: String, bytes: Int64)] = [:]
        for path in paths {
            let print = CaptureFingerprint.of(path: path)
            if let print, state.captureFingerprints.contains(print.fingerprint) || records.values.contains(where: {
                $0.fingerprint == print.fingerprint
            }) {
                skipped.append(path)
                continue
            }
            if let print { records[path] = print }
            fresh.append(path)
        }
        guard !fresh.isEmpty else {
            return Outcome(summary: nil, skipped: skipped, assets: state.classifications.count, changes: 0)
        }
        let builder = InventoryBuilder()
        try builder.restore(state.evidence)
        let analyzer = Analyzer(options: options)
        analyzer.inventorySink = { builder.add($0) }
        analyzer.flowSink = { builder.add($0) }
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
        try await store.commit(StoreUpdate(evidence: try builder.takeChangedEvidence(), inventory: inventory, captures: captures))
        clock.lap("commit")
        return Outcome(
            summary: summary, skipped: skipped, assets: inventory.assets.count, changes: inventory.changes.count,
            phases: clock.laps)
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
