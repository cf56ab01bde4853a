extension FirewallExport {
    /// An `nft -f` file: one table, one set per zone and family, a forward chain.
    func nftables() -> String {
        let (rules, skipped) = rules()
        var lines: [String] = []
        header(&lines, skipped: skipped)
        lines.append("table inet converge_policy")
        lines.append("delete table inet converge_policy")
        lines.append("table inet converge_policy {")
        var families: [(v4: [AddressRange], v6: [AddressRange])] = []
        var allV4: [AddressRange] = []
        var allV6: [AddressRange] = []
        for (index, zone) in policy.zones.enumerated() {
            let family = family(index)
            families.append(family)
            allV4 += family.v4
            allV6 += family.v6
            set(&lines, name: "z\(index)_v4", type: "ipv4_addr", ranges: family.v4, comment: "zone \(zone.name)")
            set(&lines, name: "z\(index)_v6", type: "ipv6_addr", ranges: family.v6, comment: "zone \(zone.name)")
        }
        set(&lines, name: "zones_v4", type: "ipv4_addr", ranges: AddressPartition.merge(allV4), comment: "every zone")
        set(&lines, name: "zones_v6", type: "ipv6_addr", ranges: AddressPartition.merge(allV6), comment: "every zone")
        lines.append("    chain forward {")
        lines.append("        type filter hook forward priority filter; policy accept;")
        lines.append("        ct state established,related accept")
        for (index, zone) in policy.zones.enumerated() {
            let comment = Self.safe("inside zone \(zone.name)")
            if !families[index].v4.isEmpty {
                lines.append("        ip saddr @z\(index)_v4 ip daddr @z\(index)_v4 accept comment \"\(comment)\"")
            }
            if !families[index].v6.isEmpty {
                lines.append("        ip6 saddr @z\(index)_v6 ip6 daddr @z\(index)_v6 accept comment \"\(comment)\"")
            }
        }
        var lastConduit = ""
        for rule in rules {
            let comment = comment(rule)
            if rule.conduit.name != lastConduit {
                lines.append("        " + heading(rule))
                lastConduit = rule.conduit.name
            }
            for (transport, ports) in Self.byTransport(rule.ports) {
                let portText =
                    ports.count == 1 ? "\(ports[0])" : "{ \(ports.map { String($0) }.joined(separator: ", ")) }"
                for (family, v, has) in [
                    ("ip", "v4", !families[rule.from].v4.isEmpty && !families[rule.to].v4.isEmpty),
                    ("ip6", "v6", !families[rule.from].v6.isEmpty && !families[rule.to].v6.isEmpty),
                ] where has {
                    lines.append(
                        "        \(family) saddr @z\(rule.from)_\(v) \(family) daddr @z\(rule.to)_\(v) "
                        + "\(transport) dport \(portText) accept comment \"\(comment)\""
                    )
                }
            }
        }
        if !allV4.isEmpty {
            lines.append(
                "        ip saddr @zones_v4 ip daddr @zones_v4 drop comment \"between zones: no conduit allows it\"")
        }
        if !allV6.isEmpty {
            lines.append(
                "        ip6 saddr @zones_v6 ip6 daddr @zones_v6 drop comment \"between zones: no conduit allows it\"")
        }
        lines.append("    }")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func set(_ lines: inout [String], name: String, type: String, ranges: [AddressRange], comment: String) {
        guard !ranges.isEmpty else { return }
        lines.append("    set \(name) {")
        lines.append("        type \(type)")
        lines.append("        flags interval")
        lines.append("        comment \"\(Self.safe(comment))\"")
        var chunk: [String] = []
        var first = true
        // Elements in lines of a few each, so a zone of thousands of hosts stays readable.
        for range in ranges {
            chunk.append(range.text)
            if chunk.count == 8 {
                lines.append(
                    (first ? "        elements = { " : "                     ") + chunk.joined(separator: ", ") + ",")
                first = false
                chunk = []
            }
        }
        if !chunk.isEmpty {
            lines.append(
                (first ? "        elements = { " : "                     ") + chunk.joined(separator: ", ") + " }")
        } else if var last = lines.popLast() {
            last.removeLast()
            lines.append(last + " }")
        }
        lines.append("    }")
    }

    static func byTransport(_ ports: [PortSpec]) -> [(String, [UInt16])] {
        var tcp: [UInt16] = []
        var udp: [UInt16] = []
        for port in ports {
            switch port.transport {
            case .tcp: if !tcp.contains(port.port) { tcp.append(port.port) }
            case .udp: if !udp.contains(port.port) { udp.append(port.port) }
            }
        }
        return [("tcp", tcp), ("udp", udp)].filter { !$0.1.isEmpty }
    }
}
