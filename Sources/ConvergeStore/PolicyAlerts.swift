import ConvergeModel

extension DetectionStore {
    /// Commits alerts whose counts are totals, not increments: a policy check counts the messages
    /// of the stored communications, which already include what an earlier check counted, while
    /// `commitAlerts` adds a committed count to the stored one. So each alert is committed with only
    /// what grew since the stored count (never below zero): checking twice keeps the same ids and
    /// counts, new traffic raises them, and triage states stay as people set them.
    public func commitRecounted(_ alerts: [Alert]) async throws {
        var increments: [Alert] = []
        increments.reserveCapacity(alerts.count)
        for var item in Alert.folded(alerts) {
            if let stored = try await alert(id: item.id) {
                item.count = Swift.max(0, item.count &- stored.count)
            }
            increments.append(item)
        }
        try await commitAlerts(increments)
    }
}
