import ConvergeModel
import ConvergeStore
import Foundation

/// New alerts for `/api/events`. Alerts have no sequence number to resume from, so a stream
/// remembers the ids there were when it opened and, whenever the number of alerts changes,
/// announces the ids it has not seen as `alert` events (no SSE id: Last-Event-ID stays the
/// change log's). A store with more than `maxTracked` alerts announces only the count.
struct AlertEvents {
    static let maxTracked = 50_000
    /// Alerts announced one by one per poll at most; a bigger burst is announced by its count.
    static let maxPerPoll = 20

    private var known: Set<String>
    private var total: Int

    static func start(_ store: any ConsoleStore) async throws -> AlertEvents {
        let total = try await store.alertTotal()
        let ids = total > maxTracked ? [] : try await store.alertIDs(limit: maxTracked)
        return AlertEvents(known: Set(ids), total: total)
    }

    /// The SSE text for alerts new since the last poll ("" when there are none).
    mutating func poll(_ store: any ConsoleStore) async throws -> String {
        let now = try await store.alertTotal()
        guard now != total else { return "" }
        total = now
        var text = ""
        if now <= Self.maxTracked {
            let ids = try await store.alertIDs(limit: Self.maxTracked)
            let fresh = ids.filter { !known.contains($0) }
            known = Set(ids)
            for id in fresh.prefix(Self.maxPerPoll) {
                guard let alert = try await store.alert(id: id) else { continue }
                text += "event: alert\ndata: \(Self.json(AlertJSON.AlertOut(alert)))\n\n"
            }
        }
        text += "event: alerts\ndata: \(Self.json(try await store.alertCounts()))\n\n"
        return text
    }

    /// One line of JSON (the encoder writes no newlines), so one `data:` line carries it.
    private static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
