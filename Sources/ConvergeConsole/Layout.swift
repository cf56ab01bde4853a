import Hummingbird

/// The frame of every signed-in page: navigation, who is logged in, the logout form.
enum Layout {
    enum Section: String {
        case overview, assets, conversations, map, users
        case alerts, zones
    }

    static func page(
        title: String, section: Section, session: ConsoleSession?, status: HTTPResponse.Status = .ok,
        body: (inout HTMLBuilder) -> Void
    ) -> Response {
        var page = HTMLBuilder()
        page.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        page.text("Converge: " + title)
        page.raw("</title><link rel=\"stylesheet\" href=\"/static/console.css\">")
        if let session {
            page.raw("<meta name=\"csrf-token\"")
            page.attr("content", session.csrf)
            page.raw(">")
        }
        page.raw("<script src=\"/static/console.js\" defer></script></head><body")
        page.attr("data-section", section.rawValue)
        page.raw("><header><nav><strong>Converge</strong>")
        let links: [(Section, String, String)] = [
            (.overview, "/", "Overview"), (.assets, "/assets", "Assets"),
            (.conversations, "/conversations", "Conversations"), (.map, "/map", "Map"),
            (.alerts, "/alerts", "Alerts"), (.zones, "/zones", "Zones"),
        ]
        for (s, href, label) in links {
            page.raw("<a")
            page.attr("href", href)
            if s == section { page.raw(" class=\"current\"") }
            page.raw(">")
            page.text(label)
            page.raw("</a>")
        }
        if let session, session.role == .admin {
            page.raw(section == .users ? "<a href=\"/admin/users\" class=\"current\">Users</a>" : "<a href=\"/admin/users\">Users</a>")
        }
        page.raw("<span class=\"live\" id=\"live\"></span>")
        if let session {
            page.raw("<form method=\"post\" action=\"/logout\" class=\"logout\">")
            csrfField(&page, session)
            page.raw("<span class=\"who\">")
            page.text("\(session.user) (\(session.role.rawValue))")
            page.raw("</span><button type=\"submit\">Log out</button></form>")
        }
        page.raw("</nav></header><main><h1>")
        page.text(title)
        page.raw("</h1>")
        body(&page)
        page.raw("</main></body></html>")
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page.html)))
    }

    static func csrfField(_ page: inout HTMLBuilder, _ session: ConsoleSession) {
        page.raw("<input type=\"hidden\" name=\"csrf\"")
        page.attr("value", session.csrf)
        page.raw(">")
    }

    /// A two-column table of label → count, with a bar scaled to the largest.
    static func countTable(_ page: inout HTMLBuilder, _ rows: [(label: String, count: Int, href: String?)], id: String) {
        let largest = max(rows.map(\.count).max() ?? 1, 1)
        page.raw("<table class=\"counts\"")
        page.attr("id", id)
        page.raw("><tbody>")
        for row in rows {
            page.raw("<tr><td>")
            if let href = row.href { page.link(href, row.label) } else { page.text(row.label) }
            page.raw("</td><td class=\"n\">")
            page.text(String(row.count))
            page.raw("</td><td class=\"bar\"><meter min=\"0\"")
            page.attr("max", String(largest))
            page.attr("value", String(row.count))
            page.raw("></meter></td></tr>")
        }
        page.raw("</tbody></table>")
    }
}
