import ConvergeInventory
import ConvergeStore

/// One asset: identity with where each value came from (and conflicts), addresses, role and level
/// with their reasons, peers and protocols, operations by kind, change history.
enum AssetDetailPage {
    static func render(
        _ asset: Asset, communications: [Communication], changes: [StoredChange], _ page: inout HTMLBuilder
    ) {
        page.raw("<section><dl class=\"facts\" id=\"summary\"><dt>Id</dt><dd>")
        page.text(asset.id)
        page.raw("</dd><dt>Role</dt><dd id=\"role\">")
        page.text(asset.role.label)
        page.raw("</dd><dt>Purdue level</dt><dd id=\"level\">")
        page.text(asset.level.map { OverviewPage.levelLabel($0.rawValue) } ?? "unknown")
        page.raw("</dd><dt>MAC vendor</dt><dd>")
        page.text(asset.macVendor ?? "")
        page.raw("</dd><dt>MACs</dt><dd>")
        page.text(asset.macs.joined(separator: ", "))
        page.raw("</dd><dt>Seen</dt><dd>")
        page.text("\(asset.firstSeen.display) → \(asset.lastSeen.display)")
        page.raw("</dd></dl>")
        list(&page, "Why this role", asset.roleReasons, id: "role-reasons")
        list(&page, "Why this level", asset.levelReasons, id: "level-reasons")
        list(&page, "Notes", asset.notes, id: "notes")
        page.raw("</section>")

        page.raw("<section><h2>Identity</h2><table id=\"identity\"><thead><tr><th>Kind</th><th>Value</th>")
        page.raw("<th>Source</th><th>Confidence</th><th>Seen</th><th>Count</th></tr></thead><tbody>")
        for kind in asset.identity.keys.sorted() {
            let observations = asset.identity[kind] ?? []
            let conflict = Set(observations.map(\.value)).count > 1
            for o in observations {
                page.raw(conflict ? "<tr class=\"conflict\"><td>" : "<tr><td>")
                page.text(kind + (conflict ? " (conflicting)" : ""))
                page.raw("</td><td>")
                page.text(o.value)
                page.raw("</td><td>")
                page.text(o.source)
                page.raw("</td><td>")
                page.text(o.confidence.rawValue)
                page.raw("</td><td>")
                page.text("\(o.firstSeen.display) → \(o.lastSeen.display)")
                page.raw("</td><td class=\"n\">")
                page.text(String(o.count))
                page.raw("</td></tr>")
            }
        }
        page.raw("</tbody></table></section>")

        page.raw("<section><h2>Addresses</h2><table id=\"addresses\"><thead><tr><th>Address</th><th>Scope</th>")
        page.raw("<th>Bound by</th><th>Seen</th></tr></thead><tbody>")
        for a in asset.addresses {
            page.raw("<tr><td>")
            page.text("\(a.address)")
            page.raw("</td><td>")
            page.text("\(a.scope)")
            page.raw("</td><td>")
            page.text(a.binding)
            page.raw("</td><td>")
            page.text("\(a.firstSeen.display) → \(a.lastSeen.display)")
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table></section>")

        page.raw("<section><h2>Protocols and operations</h2><table id=\"protocols\"><thead><tr><th>Protocol</th>")
        page.raw("<th>As</th><th>Messages</th><th>Peers</th><th>Operations</th></tr></thead><tbody>")
        for (side, uses) in [("server", asset.serves), ("client", asset.uses)] {
            for name in uses.keys.sorted() {
                guard let use = uses[name] else { continue }
                page.raw("<tr><td>")
                page.text(name)
                page.raw("</td><td>")
                page.text(side)
                page.raw("</td><td class=\"n\">")
                page.text(String(use.messages))
                page.raw("</td><td class=\"n\">")
                page.text(String(use.peers))
                page.raw("</td><td>")
                page.text(use.operations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                page.raw("</td></tr>")
            }
        }
        page.raw("</tbody></table></section>")

        page.raw("<section><h2>Peers</h2><table id=\"peers\"><thead><tr><th>Client</th><th>Server</th>")
        page.raw("<th>Protocol</th><th>Messages</th><th>Operations</th><th>Last seen</th></tr></thead><tbody>")
        for c in communications {
            ConversationsPage.row(&page, c, highlight: asset.id)
        }
        page.raw("</tbody></table><p>")
        page.link("/conversations?asset=" + HTML.queryComponent(asset.id), "Search this asset's conversations")
        page.raw("</p></section>")

        page.raw("<section><h2>Change history</h2><table id=\"history\"><thead><tr><th>Time</th><th>Kind</th>")
        page.raw("<th>Change</th><th>Source</th></tr></thead><tbody>")
        for stored in changes {
            let c = stored.change
            page.raw("<tr><td>")
            page.text(c.time.display)
            page.raw("</td><td>")
            page.text(c.kind.rawValue)
            page.raw("</td><td>")
            page.text(c.text)
            page.raw("</td><td>")
            page.text(c.source ?? "")
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table></section>")
    }

    private static func list(_ page: inout HTMLBuilder, _ title: String, _ items: [String], id: String) {
        guard !items.isEmpty else { return }
        page.element("h2", title)
        page.raw("<ul")
        page.attr("id", id)
        page.raw(">")
        for item in items { page.element("li", item) }
        page.raw("</ul>")
    }
}

extension AssetDetailPage {
    /// Alerts shown on an asset's page at most (the rest are a link away).
    static let maxAlerts = 50

    /// The asset's alerts (naming its id or one of its addresses), most recently seen first.
    static func renderAlerts(_ alerts: AlertPage, assetID: String, _ page: inout HTMLBuilder) {
        page.raw(AlertHTML.stylesheet)
        page.raw("<section><h2>Alerts</h2>")
        AlertHTML.table(&page, alerts.alerts, id: "asset-alerts")
        page.raw("<p>")
        page.link("/alerts?asset=" + HTML.queryComponent(assetID), "All \(alerts.total) alerts of this asset")
        page.raw("</p></section>")
    }
}
