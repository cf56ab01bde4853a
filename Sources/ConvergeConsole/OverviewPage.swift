import ConvergeInventory
import ConvergeModel
import ConvergeStore

enum OverviewPage {
    static func render(_ overview: Overview, _ page: inout HTMLBuilder) {
        page.raw("<section class=\"totals\"><p>")
        page.raw("<span class=\"big\" id=\"asset-count\">")
        page.text(String(overview.assets))
        page.raw("</span> assets, <span class=\"big\">")
        page.text(String(overview.communications))
        page.raw("</span> client→server conversations, <span class=\"big\">")
        page.text(String(overview.captures.count))
        page.raw("</span> captures.</p></section><div class=\"grid\">")

        page.raw("<section><h2>By Purdue level</h2>")
        Layout.countTable(&page, overview.byLevel.map { row in
            (Self.levelLabel(row.value), row.count, "/assets?level=" + HTML.queryComponent(row.value))
        }, id: "by-level")
        page.raw("</section><section><h2>By role</h2>")
        Layout.countTable(&page, overview.byRole.map { row in
            (Role(rawValue: row.value)?.label ?? row.value, row.count, "/assets?role=" + HTML.queryComponent(row.value))
        }, id: "by-role")
        page.raw("</section><section><h2>By vendor</h2>")
        Layout.countTable(&page, overview.byVendor.map { row in
            (row.value, row.count, row.value == "unknown" ? nil : "/assets?vendor=" + HTML.queryComponent(row.value))
        }, id: "by-vendor")
        page.raw("</section><section><h2>Protocols in use</h2>")
        Layout.countTable(&page, overview.protocols.map { row in
            (row.value, row.count, "/conversations?protocol=" + HTML.queryComponent(row.value))
        }, id: "protocols")
        page.raw("</section></div>")

        page.raw("<section><h2>Activity by day</h2><table id=\"activity\"><thead><tr><th>Day</th>")
        page.raw("<th>first seen</th><th>last seen</th><th>changes</th></tr></thead><tbody>")
        for bucket in overview.activity.suffix(60).reversed() {
            page.raw("<tr><td>")
            page.text(bucket.start.day)
            page.raw("</td><td class=\"n\">")
            page.text(String(bucket.firstSeen))
            page.raw("</td><td class=\"n\">")
            page.text(String(bucket.lastSeen))
            page.raw("</td><td class=\"n\">")
            page.text(String(bucket.changes))
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table></section>")

        page.raw("<section><h2>Captures that fed the store</h2><table id=\"captures\"><thead><tr><th>File</th>")
        page.raw("<th>bytes</th><th>packets</th><th>analysed</th></tr></thead><tbody>")
        for capture in overview.captures.reversed() {
            page.raw("<tr><td>")
            page.text(capture.path)
            page.raw("</td><td class=\"n\">")
            page.text(String(capture.bytes))
            page.raw("</td><td class=\"n\">")
            page.text(String(capture.packets))
            page.raw("</td><td>")
            page.text(capture.analysedAt.display)
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table></section>")
        page.raw("<section><h2>Latest changes</h2><ul id=\"changes\"></ul></section>")
    }

    static func levelLabel(_ level: String) -> String {
        switch level {
        case "unknown": "unknown level"
        case "3.5": "3.5 (DMZ)"
        default: "level " + level
        }
    }
}

extension OverviewPage {
    /// Alerts by severity (open and all, each linked to the filtered list) and the worst new ones.
    static func renderAlerts(_ counts: AlertCounts, newest: [Alert], _ page: inout HTMLBuilder) {
        page.raw(AlertHTML.stylesheet)
        page.raw("<section id=\"overview-alerts\"><h2>Alerts by severity</h2>")
        page.raw("<table class=\"counts\" id=\"alerts-by-severity\">")
        page.raw("<thead><tr><th>Severity</th><th>open</th><th>all</th></tr></thead><tbody>")
        for (all, open) in zip(counts.bySeverity, counts.openBySeverity) {
            page.raw("<tr><td>")
            if let severity = Alert.Severity(rawValue: all.value) { AlertHTML.badge(&page, severity) }
            page.raw("</td><td class=\"n\">")
            page.link("/alerts?severity=" + HTML.queryComponent(all.value) + "&state=new", String(open.count))
            page.raw("</td><td class=\"n\">")
            page.link("/alerts?severity=" + HTML.queryComponent(all.value), String(all.count))
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table>")
        if !newest.isEmpty {
            page.raw("<h3>Worst new alerts</h3>")
            AlertHTML.table(&page, newest, id: "overview-new-alerts")
        }
        page.raw("</section>")
    }
}
