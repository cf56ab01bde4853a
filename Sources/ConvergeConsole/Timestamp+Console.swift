import ConvergeModel
import Foundation

extension Timestamp {
    static var now: Timestamp { Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9)) }

    var date: Date { Date(timeIntervalSince1970: Double(nanoseconds) / 1e9) }

    /// `2024-05-01 12:00:03Z` for pages, `2024-05-01T12:00:03Z` for JSON.
    var display: String { nanoseconds == 0 ? "—" : iso.replacingOccurrences(of: "T", with: " ") }
    var iso: String { date.formatted(.iso8601) }
    var day: String { String(iso.prefix(10)) }

    /// A user's `2024-05-01`, `2024-05-01T12:00:00Z` or nanoseconds since the epoch.
    static func parse(_ text: String) -> Timestamp? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let n = Int64(t) { return Timestamp(nanoseconds: n) }
        if let date = try? Date.ISO8601FormatStyle().parse(t) { return Timestamp(date) }
        if t.count == 10, let date = try? Date.ISO8601FormatStyle().year().month().day().parse(t) {
            return Timestamp(date)
        }
        return nil
    }

    /// Nil for a date outside what nanoseconds in an Int64 can hold (years before 1678 or after 2262).
    init?(_ date: Date) {
        let ns = (date.timeIntervalSince1970 * 1e9).rounded()
        guard ns.isFinite, let value = Int64(exactly: ns) else { return nil }
        self.init(nanoseconds: value)
    }
}
