import ConvergeModel
import ConvergeStore
import Hummingbird

/// `/alerts`: filters as a GET form, the page the store cut, sort links, and (analysts and
/// admins only) checkboxes with bulk acknowledge / close / reopen and a note, posted with CSRF.
enum AlertListPage {
    static func render(
        _ result: AlertPage, counts: AlertCounts, assetIDs: [String: String], _ request: Request,
        session: ConsoleSession?, _ page: inout HTMLBuilder
    ) {
        let q = (try? AlertQueryParsing.query(request)) ?? AlertQuery()
        page.raw(AlertHTML.stylesheet)
        filters(q, request, &page)
        page.raw("<p class=\"count\" id=\"alert-counts\">")
        for (i, row) in counts.byState.enumerated() {
            if i > 0 { page.raw(" · ") }
            page.link("/alerts?state=" + HTML.queryComponent(row.value), "\(row.count) \(row.value)")
        }
        page.raw(" · ")
        for row in counts.openBySeverity where row.count > 0 {
            page.link("/alerts?severity=" + HTML.queryComponent(row.value), "\(row.count) open \(row.value)")
            page.raw(" ")
        }
        page.raw("</p>")
        let pages = max((result.total + result.pageSize - 1) / result.pageSize, 1)
        page.raw("<p class=\"count\" id=\"alert-total\">")
        page.text("\(result.total) \(result.total == 1 ? "alert" : "alerts") · page \(result.page) of \(pages)")
        if result.truncated { page.text(" · the search stopped after \(AlertQuery.maxScanned) alerts; narrow it") }
        page.raw("</p>")

        let triage = AlertTriageAction.allowed(session)
        if triage, let session {
            page.raw("<form method=\"post\" action=\"/alerts/triage\" id=\"alert-triage\">")
            Layout.csrfField(&page, session)
            page.raw("<input type=\"hidden\" name=\"back\"")
            page.attr("value", QueryParsing.link("/alerts", request, setting: [:]))
            page.raw(">")
        }
        page.raw("<table id=\"alerts\" class=\"list alerts\"><thead><tr>")
        if triage { page.raw("<th><span class=\"sr\">select</span></th>") }
        let columns: [(String, AlertSort?)] = [
            ("Severity", .severity), ("Alert", nil), ("Rule", nil), ("ATT&CK", nil), ("State", nil),
            ("First seen", .firstSeen), ("Last seen", .lastSeen), ("Count", .count), ("Assets", nil),
        ]
        for (label, sort) in columns {
            page.raw("<th>")
            if let sort {
                // A first click sorts descending (worst, newest, most first), a second ascending.
                let next = (q.sort == sort && q.descending) ? sort.rawValue : "-" + sort.rawValue
                var text = label
                if q.sort == sort { text += q.descending ? " ▼" : " ▲" }
                page.link(QueryParsing.link("/alerts", request, setting: ["sort": next, "page": nil]), text)
            } else {
                page.text(label)
            }
            page.raw("</th>")
        }
        page.raw("</tr></thead><tbody>")
        for alert in result.alerts {
            page.raw("<tr>")
            if triage {
                page.raw("<td><input type=\"checkbox\" name=\"id\"")
                page.attr("value", alert.id)
                page.attr("aria-label", "select " + alert.title)
                page.raw("></td>")
            }
            page.raw("<td>")
            AlertHTML.badge(&page, alert.severity)
            page.raw("</td><td>")
            page.link(AlertHTML.href(alert.id), alert.title)
            page.raw("</td><td>")
            page.text(alert.rule)
            page.raw("</td><td>")
            AlertHTML.attack(&page, alert.techniques)
            page.raw("</td><td>")
            AlertHTML.state(&page, alert.state)
            page.raw("</td><td>")
            page.text(alert.firstSeen.display)
            page.raw("</td><td>")
            page.text(alert.lastSeen.display)
            page.raw("</td><td class=\"n\">")
            page.text(String(alert.count))
            page.raw("</td><td>")
            AlertHTML.assets(&page, alert.assets, assetIDs)
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table>")
        if triage {
            page.raw("<div class=\"bulk\"><input name=\"note\" maxlength=\"2000\" placeholder=\"note (why)\">")
            page.raw("<button type=\"submit\" name=\"state\" value=\"acknowledged\">Acknowledge selected</button>")
            page.raw("<button type=\"submit\" name=\"state\" value=\"closed\">Close selected</button>")
            page.raw("<button type=\"submit\" name=\"state\" value=\"new\">Reopen selected</button></div></form>")
        }
        page.raw("<nav class=\"pages\">")
        if result.page > 1 {
            page.link(QueryParsing.link("/alerts", request, setting: ["page": String(result.page - 1)]), "← previous")
        }
        if result.page < pages {
            page.raw(" ")
            page.link(QueryParsing.link("/alerts", request, setting: ["page": String(result.page + 1)]), "next →")
        }
        page.raw("</nav>")
    }

    private static func filters(_ q: AlertQuery, _ request: Request, _ page: inout HTMLBuilder) {
        page.raw("<form method=\"get\" action=\"/alerts\" class=\"filters\" id=\"alert-filters\">")
        page.raw("<input name=\"q\" placeholder=\"search titles…\"")
        page.attr("value", q.search ?? "")
        page.raw("><select name=\"severity\"><option value=\"\">any severity</option>")
        for s in Alert.Severity.allCases.reversed() {
            AssetListPage.option(&page, s.rawValue, s.rawValue, selected: q.severity?.rawValue)
        }
        page.raw("</select><select name=\"state\"><option value=\"\">any state</option>")
        for s in Alert.TriageState.allCases {
            AssetListPage.option(&page, s.rawValue, s.rawValue, selected: q.state?.rawValue)
        }
        page.raw("</select><input name=\"rule\" placeholder=\"rule id, or prefix* (policy.*)\"")
        page.attr("value", q.rule ?? q.rulePrefix.map { $0 + "*" } ?? "")
        page.raw("><input name=\"technique\" placeholder=\"ATT&amp;CK id (T0843)\" size=\"14\"")
        page.attr("value", q.technique ?? "")
        page.raw("><input name=\"asset\" placeholder=\"asset id or address\"")
        page.attr("value", QueryParsing.string(request, "asset") ?? "")
        page.raw("><label>from <input name=\"from\" type=\"date\"")
        page.attr("value", QueryParsing.string(request, "from") ?? "")
        page.raw("></label><label>to <input name=\"to\" type=\"date\"")
        page.attr("value", QueryParsing.string(request, "to") ?? "")
        page.raw("></label>")
        if let sort = QueryParsing.string(request, "sort") {
            page.raw("<input type=\"hidden\" name=\"sort\"")
            page.attr("value", sort)
            page.raw(">")
        }
        page.raw("<button type=\"submit\">Filter</button> ")
        page.link("/alerts", "clear")
        page.raw("</form>")
    }
}
