import ConvergeConsole
import ConvergeInventory
import ConvergeModel
import ConvergePolicy
import ConvergeStore
import Foundation

/// The zones `converge serve` shows: the store's inventory checked against the policy given with
/// `--policy FILE`, else against the one `converge policy check` stored last. A check reads the
/// whole inventory, so a view is reused for `maxAge` seconds (and recomputed at once when the
/// stored policy changes); concurrent requests share one computation.
actor PolicyZoneSource: ZoneSource {
    let store: any ConsoleStore
    /// `--policy FILE`: read once at start (its errors stop the server before it listens).
    let fixed: (policy: Policy, text: String, path: String)?
    let maxAge: Double

    private var cached: (key: String, at: Date, view: ZoneView?)?
    private var running: (key: String, task: Task<ZoneView?, any Error>)?

    init(store: any ConsoleStore, fixed: (policy: Policy, text: String, path: String)?, maxAge: Double = 15) {
        self.store = store
        self.fixed = fixed
        self.maxAge = maxAge
    }

    func zoneView() async throws -> ZoneView? {
        let stored: StoredPolicy?
        if fixed == nil {
            stored = try await (store as? any PolicyStore)?.currentPolicy()
            if stored == nil { return nil }
        } else {
            stored = nil
        }
        let key = stored?.sha256 ?? "file"
        if let cached, cached.key == key, Date().timeIntervalSince(cached.at) < maxAge { return cached.view }
        if let running, running.key == key { return try await running.task.value }
        let task = Task { [store, fixed] in try await Self.compute(store: store, fixed: fixed, stored: stored) }
        running = (key, task)
        defer { if running?.key == key { running = nil } }
        let view = try await task.value
        cached = (key, Date(), view)
        return view
    }

    private static func compute(
        store: any ConsoleStore, fixed: (policy: Policy, text: String, path: String)?, stored: StoredPolicy?
    ) async throws -> ZoneView? {
        let policy: Policy
        let info: ZoneView.PolicyInfo
        if let fixed {
            policy = fixed.policy
            info = .init(
                name: policy.name, source: fixed.path, origin: "file", sha256: StoredPolicy.hash(fixed.text),
                storedAt: nil)
        } else if let stored {
            do {
                policy = try Policy.parse(yaml: stored.text, file: stored.source)
            } catch {
                // A policy stored by an older or newer converge that this one cannot read.
                return ZoneView(
                    policy: .init(
                        name: nil, source: stored.source, origin: "store", sha256: stored.sha256,
                        storedAt: stored.storedAt.isoText),
                    zones: [], conduits: [], matrix: [], outside: [],
                    diagnostics: ["the stored policy cannot be read: \(error.description)"])
            }
            info = .init(
                name: policy.name, source: stored.source, origin: "store", sha256: stored.sha256,
                storedAt: stored.storedAt.isoText)
        } else {
            return nil
        }
        let inventory = try await store.inventory()
        let checker = PolicyChecker(policy: policy)
        let result = checker.check(inventory)
        return ZoneView(
            policy: info,
            zones: result.zones.map {
                .init(name: $0.name, level: $0.level, securityLevel: $0.securityLevel, members: $0.assets)
            },
            conduits: result.conduits.map {
                .init(name: $0.name, from: $0.from, to: $0.to, protocols: $0.protocols, used: $0.used)
            },
            matrix: result.matrix.map {
                .init(
                    from: $0.from, to: $0.to, communications: $0.communications, messages: $0.messages,
                    violations: $0.violations, protocols: $0.protocols)
            },
            outside: result.unzoned.prefix(ZoneView.maxOutside).map {
                .init(id: $0.id, addresses: $0.addresses, role: $0.role)
            },
            outsideTotal: result.unzoned.count,
            diagnostics: result.diagnostics + result.expiredExceptions.map { "expired exception: \($0)" },
            membership: checker.membership(inventory))
    }
}

extension Timestamp {
    /// ISO 8601 in UTC, for the console's JSON.
    var isoText: String {
        Date(timeIntervalSince1970: Double(nanoseconds) / 1e9).formatted(.iso8601)
    }
}
