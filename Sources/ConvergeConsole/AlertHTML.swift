import ConvergeModel

/// Pieces every alert view shares: severity badges, ATT&CK ids with names, asset links, the
/// alert's own link. Every string placed goes through `HTMLBuilder.text`/`attr`.
enum AlertHTML {
    /// The alert stylesheet, linked from the pages that show alerts (a `<link>` in the body is allowed).
    static let stylesheet = "<link rel=\"stylesheet\" href=\"/static/alerts.css\">"

    static func href(_ id: String) -> String { "/alerts/" + HTML.queryComponent(id) }

    static func badge(_ page: inout HTMLBuilder, _ severity: Alert.Severity) {
        page.element("span", severity.rawValue, class: "sev sev-" + severity.rawValue)
    }

    static func state(_ page: inout HTMLBuilder, _ state: Alert.TriageState) {
        page.element("span", state.rawValue, class: "state state-" + state.rawValue)
    }

    /// ATT&CK ids as text with their names (no link: the console runs air-gapped).
    static func attack(_ page: inout HTMLBuilder, _ ids: [String]) {
        for (i, id) in ids.enumerated() {
            if i > 0 { page.raw(", ") }
            page.raw("<span class=\"attack\"")
            if let name = AlertAttack.name(id) { page.attr("title", name) }
            page.raw(">")
            page.text(AlertAttack.label(id))
            page.raw("</span>")
        }
    }

    /// The alert's assets, each linked to its asset page when the store knows it.
    static func assets(_ page: inout HTMLBuilder, _ keys: [String], _ assetIDs: [String: String], limit: Int = 4) {
        for (i, key) in keys.prefix(limit).enumerated() {
            if i > 0 { page.raw(", ") }
            if let id = assetIDs[key] { page.link(HTML.assetHref(id), key) } else { page.text(key) }
        }
        if keys.count > limit { page.text(" +\(keys.count - limit)") }
    }

    /// A table of alerts without triage controls (the overview's and an asset's).
    static func table(_ page: inout HTMLBuilder, _ alerts: [Alert], id: String) {
        page.raw("<table class=\"list alerts\"")
        page.attr("id", id)
        page.raw("><thead><tr><th>Severity</th><th>Alert</th><th>Rule</th><th>State</th><th>Last seen</th>")
        page.raw("<th>Count</th></tr></thead><tbody>")
        for alert in alerts {
            page.raw("<tr><td>")
            badge(&page, alert.severity)
            page.raw("</td><td>")
            page.link(href(alert.id), alert.title)
            page.raw("</td><td>")
            page.text(alert.rule)
            page.raw("</td><td>")
            state(&page, alert.state)
            page.raw("</td><td>")
            page.text(alert.lastSeen.display)
            page.raw("</td><td class=\"n\">")
            page.text(String(alert.count))
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table>")
    }
}
