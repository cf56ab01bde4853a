import ConvergeInventory
import ConvergeModel
import Yams

/// The `match:` block of a rule.
extension RuleParser {
    private static let messageKeys: Set<String> = [
        "proto", "operation", "function", "direction", "status", "anomaly", "target", "value", "unit",
        "binding_conflict",
    ]
    private static let commonKeys: Set<String> = [
        "client", "server", "crosses_levels", "it_to_ot", "unseen", "first_time",
    ]

    func parseMatch(_ node: Node, subject: Rule.Subject) throws(RuleError) -> RuleMatch {
        let allowed = Self.messageKeys.union(Self.commonKeys).union(["fact", "flow"])
        let fields = try mapping(node, allowed: allowed, what: "match")
        for (name, field) in fields {
            if Self.messageKeys.contains(name) && subject != .message {
                throw fail(field.key, "'\(name)' applies to messages only (this rule is on \(subject.rawValue))")
            }
            if name == "fact" && subject != .assetFact { throw fail(field.key, "'fact' needs 'on: asset_fact'") }
            if name == "flow" && subject != .flow { throw fail(field.key, "'flow' needs 'on: flow'") }
        }
        var m = RuleMatch()
        if let f = fields["proto"] {
            for item in try list(f.value) {
                let name = try string(item)
                guard KnownProtocols.names.contains(name) else { throw fail(item, "unknown protocol '\(name)'") }
                m.protocols.append(name)
            }
        }
        if let f = fields["operation"] {
            for item in try list(f.value) {
                let name = try string(item)
                guard let op = Operation(rawValue: name) else { throw fail(item, "unknown operation '\(name)'") }
                m.operations.append(op)
            }
        }
        if let f = fields["function"] {
            for item in try list(f.value) {
                let text = try string(item)
                guard !text.isEmpty else { throw fail(item, "empty function") }
                m.functions.append(Int(text).map { .code($0) } ?? .name(Glob(text)))
            }
        }
        if let f = fields["direction"] {
            switch try string(f.value) {
            case "to_server": m.direction = .toServer
            case "to_client": m.direction = .toClient
            case let text: throw fail(f.value, "unknown direction '\(text)' (to_server, to_client)")
            }
        }
        if let f = fields["status"] {
            let text = try string(f.value)
            guard let status = RuleMatch.StatusCondition(rawValue: text) else {
                throw fail(f.value, "unknown status '\(text)' (ok, exception, pending)")
            }
            m.status = status
        }
        if let f = fields["anomaly"] {
            if case .scalar(let s) = f.value, s.string == "true" || s.string == "false" {
                m.anomaly = .present(s.string == "true")
            } else {
                m.anomaly = .names(try globs(f.value))
            }
        }
        if let f = fields["target"] { m.target = try parseTarget(f.value) }
        if let f = fields["value"] { m.value = try parseValue(f.value) }
        if let f = fields["unit"] {
            for item in try list(f.value) { m.units.append(try integer(item)) }
        }
        if let f = fields["binding_conflict"] { m.bindingConflict = try boolean(f.value) }
        if let f = fields["client"] { m.client = try parseEndpoint(f.value, what: "client") }
        if let f = fields["server"] { m.server = try parseEndpoint(f.value, what: "server") }
        if let f = fields["crosses_levels"] {
            let n = try integer(f.value)
            guard n >= 1, n <= 6 else { throw fail(f.value, "crosses_levels must be 1…6") }
            m.crossesLevels = n
        }
        if let f = fields["it_to_ot"] { m.itToOT = try boolean(f.value) }
        if let f = fields["unseen"] {
            for item in try list(f.value) {
                let text = try string(item)
                guard let c = RuleMatch.BaselineCondition(rawValue: text) else {
                    throw fail(item, "unknown baseline condition '\(text)' (pair, function, writer, client, server)")
                }
                if subject != .message && (c == .function || c == .writer) {
                    throw fail(item, "unseen '\(text)' applies to messages only")
                }
                m.unseen.append(c)
            }
        }
        if let f = fields["first_time"] {
            let text = try string(f.value)
            guard let key = RuleMatch.FirstTimeKey(rawValue: text) else {
                throw fail(f.value, "unknown first_time key '\(text)' (pair, function, client, server)")
            }
            if subject != .message && key == .function { throw fail(f.value, "first_time 'function' needs messages") }
            m.firstTime = key
        }
        if let f = fields["fact"] { m.fact = try parseFact(f.value) }
        if let f = fields["flow"] { m.flow = try parseFlow(f.value) }
        return m
    }

    private func parseTarget(_ node: Node) throws(RuleError) -> RuleMatch.TargetCondition {
        let fields = try mapping(node, allowed: ["kind", "address", "name"], what: "target")
        var t = RuleMatch.TargetCondition()
        if let f = fields["kind"] { t.kinds = try globs(f.value) }
        if let f = fields["name"] { t.names = try globs(f.value) }
        if let f = fields["address"] {
            let r = try range(f.value)
            let lo = r.lowerBound < -9e18 ? Int.min : Int(r.lowerBound.rounded(.up))
            let hi = r.upperBound > 9e18 ? Int.max : Int(r.upperBound.rounded(.down))
            guard lo <= hi else { throw fail(f.value, "empty address range") }
            t.address = lo...hi
        }
        return t
    }

    private func parseValue(_ node: Node) throws(RuleError) -> RuleMatch.ValueCondition {
        let fields = try mapping(node, allowed: ["equals", "above", "below", "outside", "inside"], what: "value")
        var v = RuleMatch.ValueCondition()
        if let f = fields["equals"] {
            for item in try list(f.value) { v.equals.append(try number(item)) }
        }
        if let f = fields["above"] { v.above = try number(f.value) }
        if let f = fields["below"] { v.below = try number(f.value) }
        if let f = fields["outside"] { v.outside = try range(f.value) }
        if let f = fields["inside"] { v.inside = try range(f.value) }
        guard !fields.isEmpty else { throw fail(node, "value needs equals, above, below, outside or inside") }
        return v
    }

    private func parseEndpoint(_ node: Node, what: String) throws(RuleError) -> RuleMatch.EndpointCondition {
        let fields = try mapping(
            node, allowed: ["network", "port", "role", "level", "vendor", "zone", "external", "known"], what: what)
        var e = RuleMatch.EndpointCondition()
        if let f = fields["network"] {
            for item in try list(f.value) {
                let text = try string(item)
                guard let network = Network(text) else { throw fail(item, "bad address range '\(text)'") }
                e.networks.append(network)
            }
        }
        if let f = fields["port"] {
            for item in try list(f.value) {
                let port = try integer(item)
                guard port >= 0, port <= 65_535 else { throw fail(item, "port \(port) out of range") }
                e.ports.append(port)
            }
        }
        if let f = fields["role"] {
            for item in try list(f.value) {
                let text = try string(item)
                guard let role = Role(rawValue: text) else { throw fail(item, "unknown role '\(text)'") }
                e.roles.append(role)
            }
        }
        if let f = fields["level"] {
            for item in try list(f.value) {
                let text = try string(item)
                guard let level = PurdueLevel(rawValue: text) else {
                    throw fail(item, "unknown Purdue level '\(text)' (0, 1, 2, 3, 3.5, 4, 5)")
                }
                e.levels.append(level)
            }
        }
        if let f = fields["vendor"] { e.vendors = try globs(f.value) }
        if let f = fields["zone"] { e.zones = try globs(f.value) }
        if let f = fields["external"] { e.external = try boolean(f.value) }
        if let f = fields["known"] { e.known = try boolean(f.value) }
        return e
    }

    private func parseFact(_ node: Node) throws(RuleError) -> RuleMatch.FactCondition {
        let fields = try mapping(node, allowed: ["kind", "value", "source"], what: "fact")
        var c = RuleMatch.FactCondition()
        if let f = fields["kind"] {
            for item in try list(f.value) {
                let text = try string(item)
                guard let kind = AssetFact.Kind(rawValue: text) else { throw fail(item, "unknown fact kind '\(text)'") }
                c.kinds.append(kind)
            }
        }
        if let f = fields["value"] { c.values = try globs(f.value) }
        if let f = fields["source"] { c.sources = try globs(f.value) }
        return c
    }

    private func parseFlow(_ node: Node) throws(RuleError) -> RuleMatch.FlowCondition {
        let fields = try mapping(
            node,
            allowed: [
                "transport", "application", "unidentified", "tcp_state", "end_reason", "min_packets",
                "max_packets_to_client", "min_bytes",
            ], what: "flow")
        var c = RuleMatch.FlowCondition()
        if let f = fields["transport"] {
            for item in try list(f.value) {
                let text = try string(item)
                guard let t = [Transport.tcp, .udp, .icmp, .icmpv6, .other].first(where: { $0.description == text })
                else { throw fail(item, "unknown transport '\(text)'") }
                c.transports.append(t)
            }
        }
        if let f = fields["application"] {
            c.applications = try globs(f.value)
            for (item, glob) in zip(try list(f.value), c.applications)
            where !glob.pattern.contains("*") && !KnownProtocols.names.contains(glob.pattern) {
                throw fail(item, "unknown protocol '\(glob.pattern)'")
            }
        }
        if let f = fields["unidentified"] { c.unidentified = try boolean(f.value) }
        if let f = fields["tcp_state"] { c.tcpStates = try globs(f.value) }
        if let f = fields["end_reason"] { c.endReasons = try globs(f.value) }
        func count(_ name: String) throws(RuleError) -> UInt64? {
            guard let f = fields[name] else { return nil }
            let n = try integer(f.value)
            guard n >= 0 else { throw fail(f.value, "\(name) must not be negative") }
            return UInt64(n)
        }
        c.minPackets = try count("min_packets")
        c.maxPacketsToClient = try count("max_packets_to_client")
        c.minBytes = try count("min_bytes")
        return c
    }
}
