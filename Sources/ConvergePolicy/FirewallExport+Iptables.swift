extension FirewallExport {
    /// An `iptables-restore` file (IPv4; IPv6 ranges are listed in comments for ip6tables).
    /// Chains: CONVERGE-POLICY (hooked from FORWARD) accepts inside zones and on conduits, then
    /// sends traffic from any zone to CONVERGE-TO-ZONE, which drops it when it goes to a zone.
    func iptables() -> String {
        let (rules, skipped) = rules()
        var lines: [String] = []
        header(&lines, skipped: skipped)
        lines.append("*filter")
        lines.append(":FORWARD ACCEPT [0:0]")
        lines.append(":CONVERGE-POLICY - [0:0]")
        lines.append(":CONVERGE-TO-ZONE - [0:0]")
        lines.append("-A FORWARD -j CONVERGE-POLICY")
        lines.append("-A CONVERGE-POLICY -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")
        let v4 = policy.zones.indices.map { family($0).v4 }
        for (index, zone) in policy.zones.enumerated() {
            if !family(index).v6.isEmpty {
                lines.append("# zone \(Self.safe(zone.name)) has IPv6 ranges: not in this IPv4 file")
            }
            let comment = Self.safe("inside zone \(zone.name)")
            for source in v4[index] {
                for destination in v4[index] {
                    lines.append(
                        "-A CONVERGE-POLICY \(Self.match(source, "s")) \(Self.match(destination, "d")) -m "
                        + "comment --comment \"\(comment)\" -j ACCEPT"
                    )
                }
            }
        }
        var lastConduit = ""
        for rule in rules {
            let comment = comment(rule)
            if rule.conduit.name != lastConduit {
                lines.append(heading(rule))
                lastConduit = rule.conduit.name
            }
            for (transport, ports) in Self.byTransport(rule.ports) {
                let portMatch =
                    ports.count == 1
                    ? "--dport \(ports[0])"
                    : "-m multiport --dports \(ports.prefix(15).map { String($0) }.joined(separator: ","))"
                for source in v4[rule.from] {
                    for destination in v4[rule.to] {
                        lines.append(
                            "-A CONVERGE-POLICY \(Self.match(source, "s")) \(Self.match(destination, "d")) -p "
                            + "\(transport) -m \(transport) \(portMatch) -m comment --comment \"\(comment)\" -j ACCEPT"
                        )
                    }
                }
            }
        }
        let all = AddressPartition.merge(v4.flatMap { $0 })
        for range in all { lines.append("-A CONVERGE-POLICY \(Self.match(range, "s")) -j CONVERGE-TO-ZONE") }
        for range in all {
            lines.append(
                "-A CONVERGE-TO-ZONE \(Self.match(range, "d")) -m comment --comment \"between zones: no conduit "
                + "allows it\" -j DROP"
            )
        }
        lines.append("COMMIT")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `-s 10.0.0.0/24` for an aligned block, `-m iprange --src-range a-b` otherwise.
    static func match(_ range: AddressRange, _ side: String) -> String {
        let text = range.text
        if text.contains("-") {
            return "-m iprange --\(side == "s" ? "src" : "dst")-range \(text)"
        }
        return "-\(side) \(text)"
    }
}
