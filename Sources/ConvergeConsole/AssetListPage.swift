import ConvergeInventory
import ConvergeStore
import Hummingbird

enum AssetListPage {
    static func render(_ result: AssetRowPage, _ request: Request, _ page: inout HTMLBuilder) {
        let q = (try? QueryParsing.assetQuery(request)) ?? AssetQuery()
        page.raw("<form method=\"get\" action=\"/assets\" class=\"filters\" id=\"asset-filters\">")
        page.raw("<input name=\"q\" placeholder=\"search name, address, vendor…\"")
        page.attr("value", q.search ?? "")
        page.raw("><select name=\"level\"><option value=\"\">any level</option>")
        for level in PurdueLevel.allCases.map(\.rawValue) + ["unknown"] {
            option(&page, level, OverviewPage.levelLabel(level), selected: q.level)
        }
        page.raw("</select><select name=\"role\"><option value=\"\">any role</option>")
        for role in Role.allCases { option(&page, role.rawValue, role.label, selected: q.role) }
        page.raw("</select><input name=\"vendor\" placeholder=\"vendor\"")
        page.attr("value", q.vendor ?? "")
        page.raw("><input name=\"protocol\" placeholder=\"protocol\"")
        page.attr("value", q.proto ?? "")
        page.raw("><button type=\"submit\">Filter</button></form>")

        let pages = max((result.total + result.pageSize - 1) / result.pageSize, 1)
        page.raw("<p class=\"count\" id=\"asset-total\">")
        page.text("\(result.total) assets · page \(result.page) of \(pages)")
        page.raw("</p><table id=\"assets\" class=\"list\"><thead><tr>")
        let columns: [(String, AssetSort?)] = [
            ("Asset", .id), ("Role", .role), ("Level", .level), ("Vendor", .vendor), ("Model", nil),
            ("Addresses", nil), ("Protocols", nil), ("Last seen", .lastSeen),
        ]
        for (label, sort) in columns {
            page.raw("<th>")
            if let sort {
                let next = (q.sort == sort && !q.descending) ? "-" + sort.rawValue : sort.rawValue
                var text = label
                if q.sort == sort { text += q.descending ? " ▼" : " ▲" }
                page.link(QueryParsing.link("/assets", request, setting: ["sort": next, "page": nil]), text)
            } else {
                page.text(label)
            }
            page.raw("</th>")
        }
        page.raw("</tr></thead><tbody>")
        for row in result.rows {
            let s = AssetSummary(row)
            page.raw("<tr><td>")
            page.link(HTML.assetHref(row.id), s.name)
            page.raw("</td><td>")
            page.text(s.roleLabel)
            page.raw("</td><td>")
            page.text(s.level ?? "?")
            page.raw("</td><td>")
            page.text(s.vendor ?? "")
            page.raw("</td><td>")
            page.text(s.model ?? "")
            page.raw("</td><td>")
            page.text(s.addresses.prefix(3).joined(separator: ", "))
            page.raw("</td><td>")
            page.text(s.protocols.prefix(6).joined(separator: ", "))
            page.raw("</td><td>")
            page.text(row.lastSeen.display)
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table><nav class=\"pages\">")
        if result.page > 1 {
            page.link(QueryParsing.link("/assets", request, setting: ["page": String(result.page - 1)]), "← previous")
        }
        if result.page < pages {
            page.raw(" ")
            page.link(QueryParsing.link("/assets", request, setting: ["page": String(result.page + 1)]), "next →")
        }
        page.raw("</nav>")
    }

    static func option(_ page: inout HTMLBuilder, _ value: String, _ label: String, selected: String?) {
        page.raw("<option")
        page.attr("value", value)
        if selected == value { page.raw(" selected") }
        page.raw(">")
        page.text(label)
        page.raw("</option>")
    }
}
