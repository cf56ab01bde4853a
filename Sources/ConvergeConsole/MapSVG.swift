import ConvergeInventory
import ConvergeModel

/// The plant map, drawn by the server as SVG: one horizontal band per Purdue level (enterprise at
/// the top, process at the bottom), assets grouped inside a band by zone when a policy is known
/// (one region per zone present in the band, named; assets no zone claims in one region of their
/// own) and by subnet otherwise, edges coloured by
/// protocol family. Edges that skip two or more levels, or go from IT (level 4–5) straight into OT
/// (0–3) without a DMZ, are drawn red and dashed. Past `maxNodes` assets, each subnet of a band is
/// one node.
enum MapSVG {
    static let maxNodes = 500
    static let maxEdges = 5000
    static let width = 1600.0
    static let bandOrder: [String] = ["5", "4", "3.5", "3", "2", "1", "0", "unknown"]

    /// Protocol families, for edge colours (names as the engine spells them).
    static let otProtocols: Set<String> = [
        "modbus", "s7comm", "s7comm-plus", "enip", "cip", "enip-io", "fins", "fins_tcp", "melsec", "melsec_udp", "ads",
        "ads_udp", "srtp", "codesys", "codesys_gateway", "dnp3", "iec104", "mms", "c37118", "goose", "sv", "tristation",
        "hart_ip", "bacnet", "opcua", "fox", "profinet", "pn_dcp", "pn_cm", "mqtt", "knx", "omron", "ge_srtp",
    ]
    static let infrastructureProtocols: Set<String> = [
        "dns", "dns_tcp", "dhcp", "dhcpv6", "kerberos", "kerberos_tcp", "ldap", "cldap", "ntp", "radius", "tacacs",
        "snmp", "syslog", "syslog_tcp", "lldp", "cdp", "stp", "arp", "mdns", "llmnr", "nbns", "ssdp",
    ]

    enum Family: String { case ot, infrastructure, it }

    static func family(_ proto: String) -> Family {
        if otProtocols.contains(proto) { return .ot }
        if infrastructureProtocols.contains(proto) { return .infrastructure }
        return .it
    }

    struct Node {
        var key: String
        var label: String
        var href: String
        var count: Int
        var x = 0.0
        var y = 0.0
        var r = 6.0
    }

    static func subnet(_ asset: Asset) -> String {
        guard let first = asset.addresses.first.map({ "\($0.address)" }) else { return "no IP" }
        let parts = first.split(separator: ".")
        if parts.count == 4 { return parts[0..<3].joined(separator: ".") + ".0/24" }
        let words = first.split(separator: ":", omittingEmptySubsequences: false)
        return words.prefix(4).joined(separator: ":") + "::/64"
    }

    static func band(_ asset: Asset) -> String { asset.level?.rawValue ?? "unknown" }

    /// The region label of assets no zone claims, when the map is drawn by zone.
    static let outsideZones = "outside every zone"

    /// The region of an asset inside its band: its zone (`zone NAME`), or its subnet without a policy.
    static func region(_ asset: Asset, zones: [String: String]?) -> String {
        guard let zones else { return subnet(asset) }
        return zones[asset.id].map { "zone " + $0 } ?? outsideZones
    }

    /// The SVG, and whether assets were aggregated by region. `zones` maps asset ids to zone
    /// names (from the policy); nil groups by subnet.
    static func render(assets: [Asset], total: Int, communications: [Communication], zones: [String: String]? = nil)
        -> (svg: String, aggregated: Bool)
    {
        let aggregate = assets.count > maxNodes
        // band → region (zone or subnet) → nodes
        var groups: [String: [String: [Node]]] = [:]
        var nodeOf: [String: String] = [:]  // asset id → node key
        var levelOf: [String: String] = [:]
        for asset in assets {
            let band = band(asset)
            let net = region(asset, zones: zones)
            levelOf[asset.id] = band
            if aggregate {
                let key = band + "|" + net
                nodeOf[asset.id] = key
                var list = groups[band, default: [:]][net, default: []]
                if list.isEmpty {
                    let query =
                        zones != nil || net == "no IP"
                        ? "/assets?level=" + HTML.queryComponent(band)
                        : "/assets?level=" + HTML.queryComponent(band) + "&q="
                            + HTML.queryComponent(String(net.prefix { $0 != "0" && $0 != "/" }))
                    list.append(Node(key: key, label: net, href: query, count: 0))
                }
                list[0].count += 1
                groups[band, default: [:]][net] = list
            } else {
                nodeOf[asset.id] = asset.id
                groups[band, default: [:]][net, default: []].append(
                    Node(key: asset.id, label: asset.displayName, href: HTML.assetHref(asset.id), count: 1))
            }
        }

        // Layout: bands top to bottom, subnet boxes left to right (wrapping), nodes in a grid.
        var positions: [String: (Double, Double)] = [:]
        var body = HTMLBuilder()
        // Nodes go in their own layer, drawn last: above the band backgrounds and the edges.
        var nodeLayer = HTMLBuilder()
        var y = 10.0
        let spacing = 22.0
        let columns = 8
        for band in bandOrder {
            guard let subnets = groups[band] else { continue }
            let bandTop = y
            var x = 110.0
            var rowHeight = 0.0
            var boxes = HTMLBuilder()
            for net in subnets.keys.sorted() {
                let nodes = subnets[net] ?? []
                let cols = aggregate ? 1 : min(columns, max(nodes.count, 1))
                let rows = aggregate ? 1 : (nodes.count + columns - 1) / columns
                let boxWidth = aggregate ? 150.0 : max(Double(cols) * spacing + 20, 120)
                let boxHeight = aggregate ? 80.0 : Double(rows) * spacing + 30
                if x + boxWidth > width - 10 {
                    x = 110
                    y += rowHeight + 10
                    rowHeight = 0
                }
                boxes.raw(zones == nil ? "<g class=\"subnet\"" : "<g class=\"subnet zone\"")
                if zones != nil { boxes.attr("data-zone", net == outsideZones ? "" : String(net.dropFirst(5))) }
                boxes.raw("><rect")
                boxes.attr("x", fmt(x))
                boxes.attr("y", fmt(y + 10))
                boxes.attr("width", fmt(boxWidth))
                boxes.attr("height", fmt(boxHeight))
                boxes.raw(" rx=\"4\"/><text")
                boxes.attr("x", fmt(x + 6))
                boxes.attr("y", fmt(y + 23))
                boxes.raw(" class=\"subnet-label\">")
                boxes.text(net)
                boxes.raw("</text>")
                for (i, node) in nodes.enumerated() {
                    var n = node
                    if aggregate {
                        n.x = x + boxWidth / 2
                        n.y = y + 55
                        n.r = min(6 + Double(n.count).squareRoot() * 1.5, 28)
                    } else {
                        n.x = x + 20 + Double(i % columns) * spacing
                        n.y = y + 40 + Double(i / columns) * spacing
                    }
                    positions[n.key] = (n.x, n.y)
                    nodeLayer.raw("<a class=\"node\"")
                    nodeLayer.attr("href", n.href)
                    nodeLayer.raw("><circle")
                    nodeLayer.attr("cx", fmt(n.x))
                    nodeLayer.attr("cy", fmt(n.y))
                    nodeLayer.attr("r", fmt(n.r))
                    nodeLayer.raw("><title>")
                    nodeLayer.text(aggregate ? "\(n.label): \(n.count) assets" : n.label)
                    nodeLayer.raw("</title></circle>")
                    if aggregate {
                        nodeLayer.raw("<text class=\"count\"")
                        nodeLayer.attr("x", fmt(n.x))
                        nodeLayer.attr("y", fmt(n.y + 4))
                        nodeLayer.raw(">")
                        nodeLayer.text(String(n.count))
                        nodeLayer.raw("</text>")
                    }
                    nodeLayer.raw("</a>")
                }
                boxes.raw("</g>")
                x += boxWidth + 10
                rowHeight = max(rowHeight, boxHeight + 10)
            }
            y += rowHeight + 10
            body.raw("<g class=\"band\"")
            body.attr("data-level", band)
            body.raw("><rect class=\"band-bg\" x=\"0\"")
            body.attr("y", fmt(bandTop))
            body.attr("width", fmt(width))
            body.attr("height", fmt(y - bandTop))
            body.raw("/><text class=\"band-label\" x=\"8\"")
            body.attr("y", fmt(bandTop + 20))
            body.raw(">")
            body.text(OverviewPage.levelLabel(band))
            body.raw("</text>")
            body.raw(boxes.html)
            body.raw("</g>")
        }

        // Edges under the nodes: drawn first.
        var edges = HTMLBuilder()
        var drawn = Set<String>()
        var risky = 0
        for c in communications {
            guard drawn.count < maxEdges, let a = nodeOf[c.client], let b = nodeOf[c.server], a != b,
                let p = positions[a], let q = positions[b]
            else { continue }
            let fam = family(c.proto)
            guard drawn.insert(a + "\u{1}" + b + "\u{1}" + fam.rawValue).inserted else { continue }
            let stands = standsOut(client: levelOf[c.client], server: levelOf[c.server])
            if stands { risky += 1 }
            edges.raw("<line")
            edges.attr("class", "edge " + fam.rawValue + (stands ? " risky" : ""))
            edges.attr("x1", fmt(p.0))
            edges.attr("y1", fmt(p.1))
            edges.attr("x2", fmt(q.0))
            edges.attr("y2", fmt(q.1))
            edges.raw("><title>")
            edges.text("\(c.client) → \(c.server) \(c.proto)" + (stands ? " (crosses levels)" : ""))
            edges.raw("</title></line>")
        }

        var svg = HTMLBuilder()
        svg.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\" class=\"map\"")
        svg.attr("viewBox", "0 0 \(fmt(width)) \(fmt(max(y, 100)))")
        svg.attr("data-assets", String(total))
        svg.attr("data-risky", String(risky))
        svg.raw(" preserveAspectRatio=\"xMidYMin meet\"><g id=\"viewport\">")
        svg.raw(body.html)
        svg.raw("<g class=\"edges\">")
        svg.raw(edges.html)
        svg.raw("</g><g class=\"nodes\">")
        svg.raw(nodeLayer.html)
        svg.raw("</g></g></svg>")
        return (svg.html, aggregate)
    }

    /// Two or more levels apart (3.5 counts as a level), or IT straight into OT.
    static func standsOut(client: String?, server: String?) -> Bool {
        let order = ["0", "1", "2", "3", "3.5", "4", "5"]
        guard let c = client, let s = server, let i = order.firstIndex(of: c), let j = order.firstIndex(of: s) else {
            return false
        }
        let itToOT = i >= 5 && j <= 3
        return abs(i - j) >= 2 || itToOT
    }

    static func fmt(_ value: Double) -> String { String(Int(value.rounded())) }
}
