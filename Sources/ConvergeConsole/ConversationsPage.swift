import ConvergeInventory
import ConvergeStore
import Hummingbird

/// Conversations searched by asset, protocol, operation and time range.
enum ConversationsPage {
    static let operations = [
        "read", "write", "control", "program", "firmware", "diagnostic", "discovery", "session", "auth", "other",
    ]

    static func render(_ result: CommunicationPage, _ request: Request, _ page: inout HTMLBuilder) {
        page.raw("<form method=\"get\" action=\"/conversations\" class=\"filters\" id=\"conversation-filters\">")
        for (name, hint) in [("asset", "asset id"), ("protocol", "protocol")] {
            page.raw("<input")
            page.attr("name", name)
            page.attr("placeholder", hint)
            page.attr("value", QueryParsing.string(request, name) ?? "")
            page.raw(">")
        }
        page.raw("<select name=\"operation\"><option value=\"\">any operation</option>")
        for op in operations {
            AssetListPage.option(&page, op, op, selected: QueryParsing.string(request, "operation"))
        }
        page.raw("</select>")
        for name in ["from", "to"] {
            page.raw("<input")
            page.attr("name", name)
            page.attr("placeholder", name + " (YYYY-MM-DD)")
            page.attr("value", QueryParsing.string(request, name) ?? "")
            page.raw(">")
        }
        page.raw("<button type=\"submit\">Search</button></form><p class=\"count\" id=\"conversation-total\">")
        page.text("\(result.total) conversations" + (result.truncated ? " (search stopped early)" : ""))
        page.raw("</p><table id=\"conversations\" class=\"list\"><thead><tr><th>Client</th><th>Server</th>")
        page.raw("<th>Protocol</th><th>Messages</th><th>Operations</th><th>Last seen</th></tr></thead><tbody>")
        for c in result.items { row(&page, c, highlight: nil) }
        page.raw("</tbody></table><nav class=\"pages\">")
        if result.page > 1 {
            page.link(QueryParsing.link("/conversations", request, setting: ["page": String(result.page - 1)]), "← previous")
        }
        if result.page * result.pageSize < result.total {
            page.raw(" ")
            page.link(QueryParsing.link("/conversations", request, setting: ["page": String(result.page + 1)]), "next →")
        }
        page.raw("</nav>")
    }

    static func row(_ page: inout HTMLBuilder, _ c: Communication, highlight: String?) {
        page.raw("<tr><td>")
        page.link(HTML.assetHref(c.client), c.client)
        page.raw("</td><td>")
        page.link(HTML.assetHref(c.server), c.server)
        page.raw("</td><td>")
        page.text(c.proto)
        page.raw("</td><td class=\"n\">")
        page.text(String(c.messages))
        page.raw("</td><td>")
        page.text(c.operations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        page.raw("</td><td>")
        page.text(c.lastSeen.display)
        page.raw("</td></tr>")
    }
}
