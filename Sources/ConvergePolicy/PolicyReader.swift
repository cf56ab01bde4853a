import ConvergeInventory
import ConvergeModel
import Yams

/// Walks the composed YAML tree into a `Policy`, collecting every problem with its line instead
/// of stopping at the first, and counting the nodes it visits so aliases cannot make it run away.
final class PolicyReader {
    private(set) var problems: [PolicyError.Problem] = []
    private var visited = 0
    private var gaveUp = false

    func read(_ root: Node) -> Policy {
        guard let top = mapping(root, what: "the policy", keys: ["policy", "name", "zones", "conduits", "exceptions"])
        else { return Policy(zones: []) }
        let name =
            top["policy"].flatMap { string($0, what: "policy") } ?? top["name"].flatMap { string($0, what: "name") }
        var zones: [Zone] = []
        if let node = top["zones"] {
            let items = sequence(node, what: "zones", max: PolicyLimits.maxZones)
            for item in items {
                if let zone = zone(item) { zones.append(zone) }
            }
            if items.isEmpty && problems.isEmpty {
                problem(node, "`zones:` is empty: a policy needs at least one zone")
            }
        } else {
            problem(root, "the policy has no `zones:` list")
        }
        var conduits: [Conduit] = []
        if let node = top["conduits"] {
            for item in sequence(node, what: "conduits", max: PolicyLimits.maxConduits) {
                if let conduit = conduit(item) { conduits.append(conduit) }
            }
        }
        var exceptions: [PolicyException] = []
        if let node = top["exceptions"] {
            for (index, item) in sequence(node, what: "exceptions", max: PolicyLimits.maxExceptions).enumerated() {
                if let exception = exception(item, index: index) { exceptions.append(exception) }
            }
        }
        checkNames(zones: zones, conduits: conduits, exceptions: exceptions)
        return Policy(name: name, zones: zones, conduits: conduits, exceptions: exceptions)
    }

    // MARK: Sections

    private func zone(_ node: Node) -> Zone? {
        guard
            let map = mapping(
                node, what: "a zone",
                keys: [
                    "name", "level", "security_level", "sl", "description", "members", "cidrs", "assets", "roles",
                    "vendors",
                ])
        else { return nil }
        guard let name = required(map, "name", in: node, what: "zone").flatMap({ identifier($0, what: "zone name") })
        else { return nil }
        var zone = Zone(name: name, members: .init(), line: line(node))
        if let level = map["level"] {
            let text = scalarText(level) ?? ""
            if let parsed = PurdueLevel(rawValue: text) ?? PurdueLevel(rawValue: text.replacingLevelWord()) {
                zone.level = parsed
            } else {
                problem(level, "zone \(name): level must be one of 0, 1, 2, 3, 3.5, 4, 5 (got \(text.quoted))")
            }
        }
        if let sl = map["security_level"] ?? map["sl"] {
            let text = scalarText(sl) ?? ""
            let digits = text.uppercased().hasPrefix("SL") ? String(text.dropFirst(2)).trimmed : text
            if let value = Int(digits), (1...4).contains(value) {
                zone.securityLevel = value
            } else {
                problem(sl, "zone \(name): security_level must be 1, 2, 3 or 4 (got \(text.quoted))")
            }
        }
        zone.description = map["description"].flatMap { string($0, what: "description") }
        // Members under `members:`, directly on the zone, or both (then both count).
        let before = problems.count
        zone.members = members(map, zone: name)
        if let node = map["members"] {
            guard let inner = mapping(node, what: "members", keys: ["cidrs", "assets", "roles", "vendors"]) else {
                return nil
            }
            let more = members(inner, zone: name)
            zone.members.cidrs += more.cidrs
            zone.members.assets += more.assets
            zone.members.roles += more.roles
            zone.members.vendors += more.vendors
        }
        // A zone whose members were all refused already has its errors; "no members" would be noise.
        if zone.members.isEmpty && problems.count == before {
            problem(node, "zone \(name) has no members (give cidrs, assets, roles or vendors)")
        }
        return zone
    }

    private func members(_ map: Node.Mapping, zone: String) -> Zone.Members {
        var members = Zone.Members()
        let cap = PolicyLimits.maxMembersPerZone
        for item in map["cidrs"].map({ sequence($0, what: "cidrs", max: cap) }) ?? [] {
            guard let text = scalarText(item) else { continue }
            if let cidr = CIDR(text.trimmed) {
                members.cidrs.append(cidr)
            } else {
                problem(item, "zone \(zone): \(text.quoted) is not a CIDR (a.b.c.d/n, an IPv6 prefix, or one address)")
            }
        }
        for item in map["assets"].map({ sequence($0, what: "assets", max: cap) }) ?? [] {
            if let id = string(item, what: "asset id"), !id.isEmpty { members.assets.append(id) }
        }
        for item in map["roles"].map({ sequence($0, what: "roles", max: cap) }) ?? [] {
            guard let text = scalarText(item) else { continue }
            if let role = Role(rawValue: text) {
                members.roles.append(role)
            } else {
                problem(
                    item,
                    "zone \(zone): unknown role \(text.quoted) (one of "
                    + "\(Role.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
        }
        for item in map["vendors"].map({ sequence($0, what: "vendors", max: cap) }) ?? [] {
            if let vendor = string(item, what: "vendor"), !vendor.isEmpty { members.vendors.append(vendor) }
        }
        return members
    }

    private func conduit(_ node: Node) -> Conduit? {
        guard
            let map = mapping(
                node, what: "a conduit", keys: ["name", "from", "to", "protocols", "description"])
        else { return nil }
        let from = required(map, "from", in: node, what: "conduit").flatMap { identifier($0, what: "zone name") }
        let to = required(map, "to", in: node, what: "conduit").flatMap { identifier($0, what: "zone name") }
        guard let from, let to else { return nil }
        let name = map["name"].flatMap { identifier($0, what: "conduit name") } ?? "\(from)->\(to)"
        var permissions: [Conduit.Permission] = []
        guard let protocols = required(map, "protocols", in: node, what: "conduit \(name)") else { return nil }
        for item in sequence(protocols, what: "protocols", max: PolicyLimits.maxProtocolsPerConduit) {
            if let permission = permission(item, conduit: name) { permissions.append(permission) }
        }
        var seen: Set<String> = []
        for permission in permissions where !seen.insert(permission.name).inserted {
            problems.append(
                .init(line: permission.line, reason: "conduit \(name) lists protocol \(permission.name) twice"))
        }
        return Conduit(
            name: name, from: from, to: to, protocols: permissions,
            description: map["description"].flatMap { string($0, what: "description") }, line: line(node))
    }

    /// `modbus` (every operation) or `{name: modbus, operations: [read], ports: [502/tcp]}`.
    private func permission(_ node: Node, conduit: String) -> Conduit.Permission? {
        if node.scalar != nil {
            guard let name = protocolName(node) else { return nil }
            return .init(name: name, line: line(node))
        }
        guard let map = mapping(node, what: "a protocol", keys: ["name", "operations", "ports"]) else { return nil }
        guard let name = required(map, "name", in: node, what: "protocol").flatMap({ protocolName($0) }) else {
            return nil
        }
        var permission = Conduit.Permission(name: name, line: line(node))
        if let ops = map["operations"] { permission.operations = operationSet(ops) }
        for item in map["ports"].map({ sequence($0, what: "ports", max: PolicyLimits.maxPortsPerProtocol) }) ?? [] {
            guard let text = scalarText(item) else { continue }
            if let port = PortSpec(text.trimmed) {
                permission.ports.append(port)
            } else {
                problem(item, "conduit \(conduit): \(text.quoted) is not a port (502/tcp, 2222/udp)")
            }
        }
        return permission
    }

    private func exception(_ node: Node, index: Int) -> PolicyException? {
        guard
            let map = mapping(
                node, what: "an exception",
                keys: ["name", "from", "to", "protocol", "operations", "owner", "expires", "reason"])
        else { return nil }
        let name = map["name"].flatMap { identifier($0, what: "exception name") } ?? "exception-\(index + 1)"
        let from = required(map, "from", in: node, what: "exception \(name)").flatMap { endpoint($0) }
        let to = required(map, "to", in: node, what: "exception \(name)").flatMap { endpoint($0) }
        let owner = required(map, "owner", in: node, what: "exception \(name)").flatMap { string($0, what: "owner") }
        let expiresNode = required(map, "expires", in: node, what: "exception \(name)")
        var expiry: Timestamp?
        var expires = ""
        if let expiresNode, let text = scalarText(expiresNode) {
            expires = text.trimmed
            expiry = expiryInstant(expires)
            if expiry == nil {
                problem(expiresNode, "exception \(name): expires must be a date YYYY-MM-DD (got \(text.quoted))")
            }
        }
        if let owner, owner.trimmed.isEmpty { problem(node, "exception \(name): owner is empty") }
        let proto = map["protocol"].flatMap { protocolName($0) }
        let operations = map["operations"].flatMap { operationSet($0) }
        guard let from, let to, let owner, let expiry else { return nil }
        return PolicyException(
            name: name, from: from, to: to, proto: proto, operations: operations, owner: owner, expires: expires,
            expiry: expiry, reason: map["reason"].flatMap { string($0, what: "reason") }, line: line(node))
    }

    // MARK: Cross-references

    private func checkNames(zones: [Zone], conduits: [Conduit], exceptions: [PolicyException]) {
        var zoneLines: [String: Int] = [:]
        for zone in zones {
            if let first = zoneLines[zone.name] {
                problems.append(
                    .init(line: zone.line, reason: "duplicate zone name \(zone.name) (first at line \(first))"))
            } else {
                zoneLines[zone.name] = zone.line
            }
        }
        var conduitLines: [String: Int] = [:]
        for conduit in conduits {
            if let first = conduitLines[conduit.name] {
                problems.append(
                    .init(line: conduit.line, reason: "duplicate conduit name \(conduit.name) (first at line \(first))")
                )
            } else {
                conduitLines[conduit.name] = conduit.line
            }
            for zone in [conduit.from, conduit.to] where zoneLines[zone] == nil {
                problems.append(
                    .init(line: conduit.line, reason: "conduit \(conduit.name) names unknown zone \(zone)"))
            }
        }
        var exceptionLines: [String: Int] = [:]
        for exception in exceptions {
            if let first = exceptionLines[exception.name] {
                problems.append(
                    .init(
                        line: exception.line,
                        reason: "duplicate exception name \(exception.name) (first at line \(first))"))
            } else {
                exceptionLines[exception.name] = exception.line
            }
            for case .zone(let zone) in [exception.from, exception.to] where zoneLines[zone] == nil {
                problems.append(
                    .init(line: exception.line, reason: "exception \(exception.name) names unknown zone \(zone)"))
            }
        }
    }

    // MARK: Typed values

    private func operationSet(_ node: Node) -> Set<Operation>? {
        if let text = node.scalar?.string.trimmed, text == "any" || text == "all" || text == "*" { return nil }
        var set: Set<Operation> = []
        for item in sequence(node, what: "operations", max: Operation.allCases.count * 4) {
            guard let text = scalarText(item) else { continue }
            if let operation = Operation(rawValue: text.trimmed.lowercased()) {
                set.insert(operation)
            } else {
                problem(
                    item,
                    "unknown operation \(text.quoted) (one of "
                    + "\(Operation.allCases.map(\.rawValue).joined(separator: ", ")), or any)"
                )
            }
        }
        return set
    }

    private func endpoint(_ node: Node) -> PolicyException.Endpoint? {
        guard let text = scalarText(node)?.trimmed else { return nil }
        if let cidr = CIDR(text) { return .block(cidr) }
        if text.contains("/") || (text.first?.isNumber == true && text.contains(".")) {
            problem(node, "\(text.quoted) is not an address or CIDR")
            return nil
        }
        return identifier(node, what: "zone name").map { .zone($0) }
    }

    private func protocolName(_ node: Node) -> String? {
        guard let text = scalarText(node)?.trimmed.lowercased(), !text.isEmpty else {
            problem(node, "a protocol name is required")
            return nil
        }
        guard text.count <= PolicyLimits.maxNameLength,
            text.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789_-./".unicodeScalars.contains($0))
            })
        else {
            problem(node, "\(text.quoted) is not a protocol name (letters, digits, _ - . /)")
            return nil
        }
        return text
    }

    /// Names people and firewall comments use: printable, no quotes, bounded.
    private func identifier(_ node: Node, what: String) -> String? {
        guard let text = string(node, what: what)?.trimmed else { return nil }
        guard !text.isEmpty, text.count <= PolicyLimits.maxNameLength,
            text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f && $0 != "\"" && $0 != "\\" })
        else {
            problem(
                node,
                "\(what) \(text.quoted) must be 1–\(PolicyLimits.maxNameLength) printable characters without quotes")
            return nil
        }
        return text
    }

    private func string(_ node: Node, what: String) -> String? {
        guard let text = scalarText(node) else { return nil }
        return text
    }

    private func scalarText(_ node: Node) -> String? {
        guard count(node) else { return nil }
        guard let scalar = node.scalar else {
            problem(node, "expected a single value here, not a \(node.mapping != nil ? "mapping" : "list")")
            return nil
        }
        return scalar.string
    }

    // MARK: Structure

    private func mapping(_ node: Node, what: String, keys: Set<String>) -> Node.Mapping? {
        guard count(node) else { return nil }
        guard let map = node.mapping else {
            problem(node, "\(what) must be a mapping (key: value)")
            return nil
        }
        for (key, _) in map {
            let name = key.scalar?.string ?? ""
            if !keys.contains(name) {
                problem(
                    key, "unknown key \(name.quoted) in \(what) (expected \(keys.sorted().joined(separator: ", ")))")
            }
        }
        return map
    }

    private func sequence(_ node: Node, what: String, max: Int) -> [Node] {
        guard count(node) else { return [] }
        if let scalar = node.scalar {
            // An empty value is an empty list; a lone value where a list is expected, a list of one.
            return ["", "~", "null"].contains(scalar.string) ? [] : [node]
        }
        guard let items = node.sequence else {
            if node.mapping != nil { problem(node, "\(what) must be a list") }
            return []
        }
        if items.count > max {
            problem(node, "\(what) has \(items.count) entries, more than the limit of \(max)")
            return []
        }
        return Array(items)
    }

    private func required(_ map: Node.Mapping, _ key: String, in node: Node, what: String) -> Node? {
        if let value = map[key] { return value }
        problem(node, "\(what) needs `\(key):`")
        return nil
    }

    /// Counts a visit; false once the budget is spent.
    private func count(_ node: Node) -> Bool {
        visited &+= 1
        if visited > PolicyLimits.maxNodes {
            if !gaveUp {
                gaveUp = true
                problem(node, "more than \(PolicyLimits.maxNodes) YAML nodes (aliases expanding?); giving up")
            }
            return false
        }
        return true
    }

    private func problem(_ node: Node, _ reason: String) {
        guard problems.count < PolicyLimits.maxProblems else { return }
        problems.append(.init(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, reason: reason))
    }

    private func line(_ node: Node) -> Int { node.mark?.line ?? 0 }
}

extension String {
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }

    /// Quoted for a message, shortened so a huge value cannot flood the terminal.
    var quoted: String {
        let short = count > 60 ? String(prefix(57)) + "…" : self
        return "\"\(short)\""
    }

    /// `L2`, `level 2`, `level2` → `2`.
    func replacingLevelWord() -> String {
        var text = lowercased()
        for prefix in ["level", "l"] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count)).trimmed
            break
        }
        return text
    }
}
