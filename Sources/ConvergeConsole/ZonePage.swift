import ConvergeInventory

/// `/zones`: the policy's zones and conduits, the zone × zone matrix of observed traffic with the
/// cells that hold violations marked, and the assets outside every zone. Every name (zones come
/// from a policy file, assets from the wire) goes through `HTMLBuilder.text`/`attr`.
enum ZonePage {
    /// Zones in the matrix at most (the busiest); the JSON API has them all.
    static let maxMatrixZones = 60
    /// Rows of the zone, conduit and outside tables at most.
    static let maxRows = 2_000

    static func render(_ view: ZoneView?, _ page: inout HTMLBuilder) {
        guard let view else {
            page.raw("<p id=\"no-policy\">No zone policy is known for this store. Check one against it with ")
            page.raw("<code>converge policy check --database STORE POLICY.yaml</code> (it is then kept in the ")
            page.raw("store), or start the console with <code>converge serve --policy POLICY.yaml</code>.</p>")
            return
        }
        policyLine(view.policy, &page)
        zones(view, &page)
        conduits(view, &page)
        matrix(view, &page)
        outside(view, &page)
        if !view.diagnostics.isEmpty {
            page.raw("<section><h2>Policy findings</h2><ul id=\"diagnostics\">")
            for text in view.diagnostics.prefix(maxRows) {
                page.raw("<li>")
                page.text(text)
                page.raw("</li>")
            }
            page.raw("</ul></section>")
        }
    }

    private static func policyLine(_ info: ZoneView.PolicyInfo, _ page: inout HTMLBuilder) {
        page.raw("<p class=\"policy\" id=\"policy\">Policy ")
        if let name = info.name {
            page.element("strong", name)
            page.raw(" ")
        }
        page.raw("from ")
        page.element("code", info.source)
        page.text(info.origin == "file" ? " (given to converge serve)" : " (stored by converge policy check")
        if info.origin != "file" {
            if let at = info.storedAt { page.text(" at \(at)") }
            page.raw(")")
        }
        if let sha = info.sha256 {
            page.raw(" · SHA-256 <code>")
            page.text(String(sha.prefix(16)))
            page.raw("…</code>")
        }
        page.raw("</p>")
    }

    private static func zones(_ view: ZoneView, _ page: inout HTMLBuilder) {
        page.raw("<section><h2>Zones (")
        page.text(String(view.zones.count))
        page.raw(")</h2><table id=\"zones\"><thead><tr><th>Zone</th><th>Level</th><th>SL-T</th>")
        page.raw("<th class=\"n\">Members</th></tr></thead><tbody>")
        for zone in view.zones.prefix(maxRows) {
            page.raw("<tr")
            page.attr("data-zone", zone.name)
            page.raw("><td>")
            page.text(zone.name)
            page.raw("</td><td>")
            page.text(zone.level.map(OverviewPage.levelLabel) ?? "")
            page.raw("</td><td>")
            page.text(zone.securityLevel.map { "SL \($0)" } ?? "")
            page.raw("</td><td class=\"n\">")
            page.text(String(zone.members))
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table>")
        more(view.zones.count, &page)
        page.raw("</section>")
    }

    private static func conduits(_ view: ZoneView, _ page: inout HTMLBuilder) {
        page.raw("<section><h2>Conduits (")
        page.text(String(view.conduits.count))
        page.raw(")</h2><table id=\"conduits\"><thead><tr><th>Conduit</th><th>From</th><th>To</th>")
        page.raw("<th>Allows</th><th class=\"n\">Conversations</th></tr></thead><tbody>")
        for conduit in view.conduits.prefix(maxRows) {
            page.raw(conduit.used == 0 ? "<tr class=\"unused\"><td>" : "<tr><td>")
            page.text(conduit.name)
            page.raw("</td><td>")
            page.text(conduit.from)
            page.raw("</td><td>")
            page.text(conduit.to)
            page.raw("</td><td>")
            page.text(conduit.protocols.joined(separator: " "))
            page.raw("</td><td class=\"n\">")
            page.text(conduit.used == 0 ? "unused" : String(conduit.used))
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table>")
        more(view.conduits.count, &page)
        page.raw("</section>")
    }

    /// The zones of the matrix: the busiest `maxMatrixZones` that saw traffic, in policy order,
    /// `(outside)` last.
    static func matrixZones(_ view: ZoneView) -> (names: [String], hidden: Int) {
        var traffic: [String: Int] = [:]
        for cell in view.matrix {
            traffic[cell.from, default: 0] += cell.communications
            traffic[cell.to, default: 0] += cell.communications
        }
        let busiest = Set(
            traffic.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(maxMatrixZones).map(\.key))
        var names = view.zones.map(\.name).filter { busiest.contains($0) }
        if busiest.contains(ZoneView.outsideName) { names.append(ZoneView.outsideName) }
        return (names, traffic.count - names.count)
    }

    private static func matrix(_ view: ZoneView, _ page: inout HTMLBuilder) {
        page.raw("<section><h2>Traffic between zones</h2>")
        let (names, hidden) = matrixZones(view)
        guard !names.isEmpty else {
            page.raw("<p>No traffic observed.</p></section>")
            return
        }
        page.raw("<p class=\"legend\">Rows: the client's zone; columns: the server's zone. A cell counts ")
        page.raw("conversations; <span class=\"violation\">marked</span> cells hold conversations the policy ")
        page.raw("does not allow (their alerts are in the policy. rule family).</p>")
        var cells: [String: ZoneView.Cell] = [:]
        for cell in view.matrix { cells[cell.from + "\u{0}" + cell.to] = cell }
        page.raw("<div class=\"matrix-frame\"><table id=\"zone-matrix\" class=\"matrix\"><thead><tr><th></th>")
        for name in names {
            page.raw("<th scope=\"col\">")
            page.text(name)
            page.raw("</th>")
        }
        page.raw("</tr></thead><tbody>")
        for from in names {
            page.raw("<tr><th scope=\"row\">")
            page.text(from)
            page.raw("</th>")
            for to in names {
                guard let cell = cells[from + "\u{0}" + to] else {
                    page.raw("<td class=\"empty\"></td>")
                    continue
                }
                page.raw(cell.violations > 0 ? "<td class=\"violation\"" : "<td")
                page.attr("data-from", from)
                page.attr("data-to", to)
                page.attr(
                    "title",
                    "\(from) → \(to): \(cell.communications) conversations, \(cell.messages) messages, "
                        + "\(cell.violations) with violations; \(cell.protocols.joined(separator: ", "))")
                page.raw(">")
                page.text(String(cell.communications))
                if cell.violations > 0 { page.text(" (\(cell.violations) !)") }
                page.raw("</td>")
            }
            page.raw("</tr>")
        }
        page.raw("</tbody></table></div>")
        if hidden > 0 { page.text("\(hidden) quieter zones are not shown; /api/zones has them all.") }
        page.raw("</section>")
    }

    private static func outside(_ view: ZoneView, _ page: inout HTMLBuilder) {
        page.raw("<section><h2>Assets outside every zone (")
        page.text(String(view.outsideTotal))
        page.raw(")</h2>")
        guard !view.outside.isEmpty else {
            page.raw("<p>Every asset is in a zone.</p></section>")
            return
        }
        page.raw("<table id=\"outside\"><thead><tr><th>Asset</th><th>Addresses</th><th>Role</th></tr></thead><tbody>")
        for asset in view.outside.prefix(maxRows) {
            page.raw("<tr><td>")
            page.link(HTML.assetHref(asset.id), asset.id)
            page.raw("</td><td>")
            page.text(asset.addresses.joined(separator: ", "))
            page.raw("</td><td>")
            page.text(Role(rawValue: asset.role)?.label ?? asset.role)
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table>")
        more(view.outsideTotal, &page)
        page.raw("</section>")
    }

    private static func more(_ total: Int, _ page: inout HTMLBuilder) {
        if total > maxRows { page.text("\(total - maxRows) more: /api/zones has them all.") }
    }
}
