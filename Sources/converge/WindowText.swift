import ArgumentParser
import ConvergeInventory
import ConvergeModel
import Foundation

/// `FROM..TO` on the command line: ISO 8601 dates or dates and times, or Unix seconds; either
/// end may be left open.
enum WindowText {
    static func parse(_ text: String, option: String) throws -> TimeWindow {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else { throw ValidationError("\(option) \(text): expected FROM..TO") }
        let from = try time(parts[0], option: option)
        let to = try time(parts[1], option: option)
        if let from, let to, to < from { throw ValidationError("\(option) \(text): the window ends before it starts") }
        return TimeWindow(from: from, to: to)
    }

    static func time(_ text: String, option: String) throws -> Timestamp? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        if let seconds = Double(text), seconds.isFinite, abs(seconds) < 1e11 {
            return Timestamp(nanoseconds: Int64(seconds * 1e9))
        }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime], [.withFullDate],
            [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) {
                return Timestamp(nanoseconds: Int64(date.timeIntervalSince1970 * 1e9))
            }
        }
        throw ValidationError("\(option): '\(text)' is not a date, a date and time (ISO 8601) or Unix seconds")
    }
}
