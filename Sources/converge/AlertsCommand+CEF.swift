import ConvergeModel
import Foundation

/// An alert in ArcSight's Common Event Format:
/// `CEF:0|Converge|Converge|VERSION|RULE|TITLE|SEVERITY|key=value …`. Header fields escape `\` and
/// `|`; extension values escape `\`, `=` and line breaks (`\n`, `\r`), as the CEF specification
/// asks; text from the wire can therefore neither add a header field nor forge an extension key.
enum CEF {
    static let vendor = "Converge"
    static let product = "Converge"
    static let version = "0.4"
    /// Longest value of one extension field; longer text is cut (SIEMs and UDP syslog are finite).
    static let maxValueLength = 1_023

    static func line(_ alert: Alert) -> String {
        let header = [vendor, product, version, alert.rule, alert.title].map(header)
        var ext: [(String, String)] = [
            ("externalId", alert.id), ("cat", alert.rule), ("msg", alert.description),
            ("rt", milliseconds(alert.lastSeen)), ("start", milliseconds(alert.firstSeen)),
            ("end", milliseconds(alert.lastSeen)), ("cnt", String(alert.count)),
        ]
        let addresses = alert.assets.filter { IPAddress($0) != nil }
        if let source = addresses.first { ext.append((IPAddress(source)?.isV4 == false ? "c6a2" : "src", source)) }
        if addresses.count > 1 { ext.append((IPAddress(addresses[1])?.isV4 == false ? "c6a3" : "dst", addresses[1])) }
        ext += [
            ("cs1Label", "ATT&CK techniques"), ("cs1", alert.techniques.joined(separator: ",")),
            ("cs2Label", "ATT&CK tactics"), ("cs2", alert.tactics.joined(separator: ",")),
            ("cs3Label", "triage state"), ("cs3", alert.state.rawValue),
            ("cs4Label", "fields"),
            ("cs4", alert.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")),
        ]
        if let first = alert.evidence.first {
            ext += [("cs5Label", "evidence"), ("cs5", "\(first.capture)#\(first.frame)")]
        }
        let extensionText = ext.map { "\($0.0)=\(value($0.1))" }.joined(separator: " ")
        return "CEF:0|" + header.joined(separator: "|") + "|\(severity(alert.severity))|" + extensionText
    }

    /// CEF's 0–10 scale.
    static func severity(_ s: Alert.Severity) -> Int {
        switch s {
        case .info: 1
        case .low: 3
        case .medium: 5
        case .high: 8
        case .critical: 10
        }
    }

    static func header(_ text: String) -> String {
        var out = ""
        for c in text.prefix(maxValueLength) {
            switch c {
            case "\\": out += "\\\\"
            case "|": out += "\\|"
            // A header cannot hold a line break; it would end the record.
            case "\n", "\r", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    static func value(_ text: String) -> String {
        var out = ""
        for c in text.prefix(maxValueLength) {
            switch c {
            case "\\": out += "\\\\"
            case "=": out += "\\="
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func milliseconds(_ t: Timestamp) -> String { String(t.nanoseconds / 1_000_000) }
}
