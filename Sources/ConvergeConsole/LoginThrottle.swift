import Foundation

/// Failed logins, counted per client address and per user name over a sliding window: past the
/// limit, further attempts are refused (without checking the password) until the window moves on.
actor LoginThrottle {
    struct Limits: Sendable {
        var perClient = 10
        var perUser = 5
        var window: TimeInterval = 300
        /// Keys tracked at most; the oldest are forgotten beyond it (bounded memory under a flood).
        var maxKeys = 100_000
    }

    private let limits: Limits
    private var failures: [String: [Date]] = [:]

    init(limits: Limits = Limits()) { self.limits = limits }

    /// True when the client or the user has failed too often recently.
    func isBlocked(client: String, user: String, now: Date = Date()) -> Bool {
        recent("c:" + client, now).count >= limits.perClient || recent("u:" + user, now).count >= limits.perUser
    }

    func recordFailure(client: String, user: String, now: Date = Date()) {
        if failures.count >= limits.maxKeys { failures = failures.filter { !recent($0.key, now).isEmpty } }
        if failures.count >= limits.maxKeys { failures.removeAll() }
        for key in ["c:" + client, "u:" + user] {
            var list = recent(key, now)
            list.append(now)
            failures[key] = list.suffix(max(limits.perClient, limits.perUser))
        }
    }

    func recordSuccess(user: String) { failures["u:" + user] = nil }

    private func recent(_ key: String, _ now: Date) -> [Date] {
        (failures[key] ?? []).filter { now.timeIntervalSince($0) < limits.window }
    }
}
