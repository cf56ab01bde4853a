import ArgumentParser
import ConvergeDetection
import ConvergeModel
import ConvergeStore
import Foundation

struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Review, prune or reset the learned baseline (learn it with `converge analyze --learn`).",
        subcommands: [Show.self, Prune.self, Reset.self], defaultSubcommand: Show.self
    )

    struct Location: ParsableArguments {
        @Option(
            name: [.customLong("database"), .customLong("store")],
            help: "The store: an SQLite file or postgres://user:password@host:port/name.")
        var store = "converge.db"
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the learned assets, pairs, functions, write ranges and poll periods.")
        @OptionGroup var location: Location
        @Flag(help: "Print the baseline as JSON.") var json = false

        func run() async throws {
            try requireStore(location.store)
            let baseline = try await withDetectionStore(location.store) { try await $0.loadBaseline() }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(BaselineJSON(baseline)), as: UTF8.self))
            } else {
                for line in baseline.reviewLines() { print(AssetTable.safe(line)) }
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget pairs last seen long ago, or one pair.")
        @OptionGroup var location: Location
        @Option(help: "Forget pairs (and assets) last seen more than this long before the newest: 30d, 12h, 90m, 45s.")
        var olderThan: String?
        @Option(help: "Forget one pair: CLIENT>SERVER/PROTO (as `baseline show` prints it).")
        var pair: String?

        func validate() throws {
            if olderThan == nil && pair == nil { throw ValidationError("name --older-than or --pair") }
            if let olderThan, BaselineCommand.duration(olderThan) == nil {
                throw ValidationError("--older-than must be a number and a unit (s, m, h, d), e.g. 30d")
            }
            if let pair, Baseline.Pair(pair) == nil {
                throw ValidationError("--pair must be CLIENT>SERVER/PROTO, e.g. 10.0.0.9>10.0.0.5/modbus")
            }
        }

        func run() async throws {
            try requireStore(location.store)
            let removed = try await withDetectionStore(location.store) { store in
                var cutoff: Timestamp?
                if let olderThan, let span = BaselineCommand.duration(olderThan) {
                    // Relative to the newest thing learned: captures replay old traffic.
                    let newest = try await store.loadBaseline().pairs.values.map(\.lastSeen).max() ?? .zero
                    cutoff = Timestamp(nanoseconds: newest.nanoseconds &- span)
                }
                return try await store.pruneBaseline(olderThan: cutoff, pair: pair.flatMap(Baseline.Pair.init))
            }
            print("removed \(removed.pairs) pair(s) and \(removed.assets) asset(s)")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget the whole baseline.")
        @OptionGroup var location: Location

        func run() async throws {
            try requireStore(location.store)
            try await withDetectionStore(location.store) { try await $0.resetBaseline() }
            print("baseline reset")
        }
    }

    /// `30d`, `12h`, `90m`, `45s` in nanoseconds.
    static func duration(_ text: String) -> Int64? {
        guard let unit = text.last, let n = Int64(text.dropLast()), n >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3_600
        case "d": scale = 86_400
        default: return nil
        }
        let (seconds, overflow) = n.multipliedReportingOverflow(by: scale)
        let (nanos, overflow2) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow || overflow2 ? nil : nanos
    }
}

/// The baseline as readable JSON (pairs as objects, not Swift's key/value arrays).
struct BaselineJSON: Encodable {
    struct PairJSON: Encodable {
        var pair: String
        var firstSeen: Timestamp
        var lastSeen: Timestamp
        var requests: Int
        var functions: [String: String]
        var writes: Int
        var written: [String: [Double]]
        var pollPeriodsSeconds: [String: Double]
    }
    var assets: [String]
    var pairs: [PairJSON]

    init(_ b: Baseline) {
        assets = b.assets.keys.sorted().map { "\($0)" }
        pairs = b.sortedPairs.map { pair, r in
            PairJSON(
                pair: "\(pair)", firstSeen: r.firstSeen, lastSeen: r.lastSeen, requests: r.messages,
                functions: Dictionary(uniqueKeysWithValues: r.functions.map { ("\($0.key)", $0.value.name) }),
                writes: r.writes,
                written: Dictionary(
                    uniqueKeysWithValues: r.written.map {
                        ("\($0.key.kind)/\($0.key.address)", [$0.value.min, $0.value.max])
                    }),
                pollPeriodsSeconds: Dictionary(
                    r.polls.compactMap { slot, poll in
                        poll.period.map {
                            ("\(slot.function)/\(slot.target.kind)/\(slot.target.address)", Double($0) / 1e9)
                        }
                    }, uniquingKeysWith: { a, _ in a }))
        }
    }
}
