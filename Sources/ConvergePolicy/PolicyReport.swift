import ConvergeModel

/// The terminal form of a policy check: zones, conduits, the zone × zone matrix, violations and
/// the assets outside every zone.
public enum PolicyReport {
    public static func text(_ result: PolicyCheckResult) -> String {
        var out = ""
        out += "Zones (\(result.zones.count))\n"
        for zone in result.zones {
            var line = "  \(zone.name)"
            if let level = zone.level { line += "  level \(level)" }
            if let sl = zone.securityLevel { line += "  SL-T \(sl)" }
            line += "  \(zone.assets) asset(s)"
            let reasons = zone.reasons.sorted { $0.value > $1.value }.prefix(3).map { "\($0.key) ×\($0.value)" }
            if !reasons.isEmpty { line += " (\(reasons.joined(separator: "; ")))" }
            out += line + "\n"
        }
        out += "\nConduits (\(result.conduits.count))\n"
        for conduit in result.conduits {
            out += "  \(conduit.name): \(conduit.from) → \(conduit.to)  \(conduit.protocols.joined(separator: " "))"
            out += conduit.used == 0 ? "  (unused)\n" : "  used by \(conduit.used)\n"
        }
        out += "\nTraffic matrix (rows: client zone, columns: server zone; conversations, ! = with violations)\n"
        out += matrix(result.matrix)
        out += "\nViolations (\(result.violations.count))\n"
        for alert in result.violations {
            out += "  [\(alert.severity.rawValue)] \(alert.assets.joined(separator: " → ")): \(alert.title)"
            if !alert.techniques.isEmpty { out += "  (\(alert.techniques.joined(separator: ", ")))" }
            out += "\n"
        }
        if !result.unzoned.isEmpty {
            out += "\nAssets outside every zone (\(result.unzoned.count))\n"
            for asset in result.unzoned {
                out += "  \(asset.addresses.first ?? asset.id)  \(asset.role)  \(asset.id)\n"
            }
        }
        if !result.overlaps.isEmpty {
            out += "\nAssets claimed by more than one zone (\(result.overlaps.count))\n"
            for text in result.overlaps { out += "  \(text)\n" }
        }
        if !result.expiredExceptions.isEmpty {
            out += "\nExpired exceptions\n"
            for text in result.expiredExceptions { out += "  \(text)\n" }
        }
        if !result.diagnostics.isEmpty {
            out += "\nPolicy findings\n"
            for text in result.diagnostics { out += "  \(text)\n" }
        }
        return out
    }

    /// Rows and columns are the zones that saw traffic; a cell is `conversations` or
    /// `conversations!violations`.
    public static func matrix(_ cells: [PolicyCheckResult.MatrixCell]) -> String {
        var names: [String] = []
        for cell in cells {
            if !names.contains(cell.from) { names.append(cell.from) }
            if !names.contains(cell.to) { names.append(cell.to) }
        }
        names.sort()
        guard !names.isEmpty else { return "  (no traffic)\n" }
        var lookup: [String: PolicyCheckResult.MatrixCell] = [:]
        for cell in cells { lookup["\(cell.from)\u{0}\(cell.to)"] = cell }
        let labels = names.enumerated().map { "\($0.offset + 1)" }
        var out = ""
        for (index, name) in names.enumerated() { out += "  \(labels[index]) = \(name)\n" }
        let width = max(6, labels.map(\.count).max() ?? 1)
        func pad(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        out += "  " + pad("") + " " + labels.map(pad).joined(separator: " ") + "\n"
        for (row, from) in names.enumerated() {
            var line = "  " + pad(labels[row]) + " "
            line += names.map { to in
                guard let cell = lookup["\(from)\u{0}\(to)"] else { return pad(".") }
                return pad(cell.violations > 0 ? "\(cell.communications)!\(cell.violations)" : "\(cell.communications)")
            }.joined(separator: " ")
            out += line + "\n"
        }
        return out
    }
}
