import ConvergeModel
import Foundation

/// Alerts as text for a terminal; every string may hold names from the wire, so control
/// characters are escaped (`AssetTable.safe`).
enum AlertTable {
    static func text(_ alerts: [Alert]) -> String {
        var out = "\(alerts.count) alert\(alerts.count == 1 ? "" : "s")\n"
        for alert in alerts {
            let attack = (alert.techniques + alert.tactics).joined(separator: ",")
            out +=
                "\n\(alert.severity.rawValue.uppercased())  \(AssetTable.safe(alert.title))  ×\(alert.count)"
                + "  [\(alert.state.rawValue)]\n"
            out += "  id: \(AssetTable.safe(alert.id))\n"
            out += "  \(AssetTable.safe(alert.description))\n"
            out += "  seen: \(time(alert.firstSeen)) → \(time(alert.lastSeen))"
            out += attack.isEmpty ? "\n" : "  ATT&CK: \(attack)\n"
            if !alert.evidence.isEmpty {
                let frames = alert.evidence.prefix(8).map {
                    "\(($0.capture as NSString).lastPathComponent)#\($0.frame)"
                }
                out +=
                    "  evidence: \(AssetTable.safe(frames.joined(separator: ", ")))"
                    + (alert.evidence.count > 8 ? " (+\(alert.evidence.count - 8))" : "") + "\n"
            }
        }
        return out
    }

    /// UTC, to the millisecond.
    static func time(_ t: Timestamp) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: t.seconds))
    }
}
