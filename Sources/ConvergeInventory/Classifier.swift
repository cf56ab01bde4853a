import ConvergeModel

/// Gives each asset a role and a Purdue level, each with the reasons a person can check
/// ("level 1: answers modbus from 3 clients; identified as Schneider Electric BMX P34 by
/// modbus/43.14").
///
/// Role comes first, from what the device answers, what it asks for and what it says it is; the
/// level follows from the role, and for devices whose role does not fix a level (network gear,
/// infrastructure servers, unknown hosts) from the assets of their subnet. A second pass puts
/// level 3/4 servers that OT and IT both reach in the DMZ (3.5).
struct Classifier {
    let drafts: [AssetDraft]
    let communications: [Communication]

    func classify() -> [Asset] {
        var assets = drafts.map(firstPass)
        let levels = Dictionary(assets.map { ($0.id, $0.level) }, uniquingKeysWith: { a, _ in a })
        let segments = segmentLevels(assets)
        let byAsset = conversationsByAsset()
        for i in assets.indices {
            settleLevel(&assets[i], segments: segments)
            placeInDMZ(&assets[i], levels: levels, conversations: byAsset[assets[i].id] ?? [])
        }
        return assets
    }

    /// Each asset's conversations (indexes into `communications`, in order), as client or server:
    /// the DMZ pass reads only an asset's own instead of every conversation for every asset.
    private func conversationsByAsset() -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (i, c) in communications.enumerated() {
            out[c.server, default: []].append(i)
            if c.client != c.server { out[c.client, default: []].append(i) }
        }
        return out
    }

    // MARK: - role

    private func firstPass(_ draft: AssetDraft) -> Asset {
        var identity: [String: [Observation]] = [:]
        for (kind, list) in draft.facts where kind != .macAddress && kind != .ipAddress {
            identity[kind.rawValue] = list.chronological
        }
        var asset = Asset(
            id: draft.id, macs: draft.macs.map(MACAddress.text), macVendor: draft.macs.first.flatMap(OUI.vendor),
            addresses: draft.addresses.sorted { $0.address < $1.address }, identity: identity, role: .unknown,
            roleReasons: [], level: nil, levelReasons: [], routed: draft.routed,
            // A public address seen only through a router is outside; one whose own frames were
            // seen (a plant that numbers its network from public space) is not.
            external: draft.macs.isEmpty && draft.addresses.contains { $0.scope == .public }
                && !draft.addresses.contains { $0.scope == .private || $0.scope == .linkLocal },
            firstSeen: draft.firstSeen, lastSeen: draft.lastSeen,
            serves: draft.serves.mapValues(\.summary), uses: draft.uses.mapValues(\.summary), notes: draft.notes)
        for (kind, values) in identity where values.count > 1 && kind != "software" && kind != "fingerprint" {
            let strong = values.filter { $0.confidence != .low }
            if Set(strong.map(\.value)).count > 1 {
                asset.notes.append("\(kind) has \(strong.count) values: " + strong.map(\.value).joined(separator: " / "))
            }
        }
        let (role, reasons) = role(of: draft, asset: asset)
        asset.role = role
        asset.roleReasons = reasons
        if let level = Self.level(of: role, asset: asset) {
            asset.level = level
            asset.levelReasons = ["level \(level.rawValue): \(role.label) — " + reasons.joined(separator: "; ")]
        }
        return asset
    }

    private func role(of draft: AssetDraft, asset: Asset) -> (Role, [String]) {
        var reasons: [String] = []
        let serving = draft.serves.filter { $0.value.messages > 0 }
        func served(_ family: Set<String>) -> [String] { serving.keys.filter(family.contains).sorted() }
        func describeServed(_ names: [String]) -> String {
            names.map { name in
                let use = draft.serves[name] ?? InventoryBuilder.Use()
                return "answers \(name) from \(use.peers.count) client\(use.peers.count == 1 ? "" : "s") "
                    + "(\(use.messages) messages)"
            }.joined(separator: ", ")
        }
        let said = identityRole(draft)
        if let said { reasons.append(said.reason) }
        let identityText = identitySummary(asset)
        func result(_ role: Role, _ why: String) -> (Role, [String]) {
            var all = [why] + reasons.filter { $0 != why }
            if let identityText { all.append(identityText) }
            return (role, all)
        }

        if !served(ProtocolFamilies.safety).isEmpty {
            return result(.safetyController, describeServed(served(ProtocolFamilies.safety)))
        }
        let substation = served(ProtocolFamilies.substation)
        let publishes = draft.linkProtocols.keys.filter(ProtocolFamilies.substationLink.contains).sorted()
        if !substation.isEmpty || !publishes.isEmpty {
            let why = substation.isEmpty ? "publishes \(publishes.joined(separator: ", "))" : describeServed(substation)
            return result(.ied, why)
        }
        if let said, said.role == .plc || said.role == .fieldDevice || said.role == .hmi {
            let ot = served(ProtocolFamilies.ot)
            return result(said.role, ot.isEmpty ? said.reason : describeServed(ot))
        }
        // What it asks of OT devices: programming makes an engineering workstation, polling an HMI
        // or (for telecontrol masters) a SCADA server.
        let otUses = draft.uses.filter { ProtocolFamilies.ot.contains($0.key) && $0.value.messages > 0 }
        // A controller mostly answers. A workstation answers a little too (an S7 download is the PLC
        // asking the programming device for blocks), so it must ask more than it answers.
        let askedOT = otUses.values.reduce(0) { $0 + $1.messages }
        let answeredOT = serving.filter { ProtocolFamilies.ot.contains($0.key) }.values.reduce(0) { $0 + $1.messages }
        if answeredOT >= askedOT {
            let controller = served(ProtocolFamilies.controller)
            if !controller.isEmpty { return result(.plc, describeServed(controller)) }
            let telecontrol = served(ProtocolFamilies.telecontrol)
            if !telecontrol.isEmpty { return result(.rtu, describeServed(telecontrol)) }
            let field = served(ProtocolFamilies.fieldIO)
            if !field.isEmpty { return result(.fieldDevice, describeServed(field)) }
        }
        // BACnet is peer to peer: a workstation that polls controllers answers BACnet too, so
        // answering it makes a building controller only when the device polls nothing else.
        let building = served(ProtocolFamilies.buildingAutomation)
        if !building.isEmpty, otUses.keys.allSatisfy(ProtocolFamilies.buildingAutomation.contains) {
            return result(.iotController, describeServed(building))
        }
        let programming = otUses.filter { ($0.value.operations[.program] ?? 0) + ($0.value.operations[.firmware] ?? 0) > 0 }
        if !programming.isEmpty {
            let why = programming.keys.sorted().map { name in
                let use = programming[name] ?? InventoryBuilder.Use()
                let n = (use.operations[.program] ?? 0) + (use.operations[.firmware] ?? 0)
                return "sends \(n) program/firmware operations over \(name) to \(use.peers.count) device(s)"
            }.joined(separator: ", ")
            return result(.engineeringWorkstation, why)
        }
        if let said, said.role == .engineeringWorkstation { return result(said.role, said.reason) }
        let opc = served(ProtocolFamilies.opcServer)
        let polledTelecontrol = otUses.keys.filter(ProtocolFamilies.telecontrol.contains).sorted()
        if !opc.isEmpty || !polledTelecontrol.isEmpty {
            let why = !opc.isEmpty ? describeServed(opc) : "polls \(polledTelecontrol.joined(separator: ", ")) outstations"
            return result(.scadaServer, why)
        }
        if let name = asset.current(.hostname) ?? asset.current(.model), name.lowercased().contains("historian") {
            return result(.historian, "named \(name)")
        }
        if !otUses.isEmpty {
            let why = otUses.keys.sorted().map { name in
                let use = otUses[name] ?? InventoryBuilder.Use()
                return "polls \(use.peers.count) device(s) over \(name) (\(use.messages) messages)"
            }.joined(separator: ", ")
            return result(.hmi, why)
        }
        let broker = served(ProtocolFamilies.broker)
        if !broker.isEmpty || said?.role == .mqttBroker {
            return result(.mqttBroker, broker.isEmpty ? (said?.reason ?? "") : describeServed(broker))
        }
        if said?.role == .iotController { return result(.iotController, said?.reason ?? "") }
        let link = draft.linkProtocols.keys.filter(ProtocolFamilies.networkLink.contains).sorted()
        let networkMaker = asset.macVendor.flatMap { vendor in
            ProtocolFamilies.networkVendors.first { vendor.lowercased().contains($0) } != nil ? vendor : nil
        }
        let managedNetworkGear = networkMaker != nil && draft.serves["snmp"] != nil
        if draft.isGateway || !link.isEmpty || said?.role == .networkDevice || managedNetworkGear {
            var why: [String] = []
            if managedNetworkGear, let networkMaker {
                why.append("MAC registered to \(networkMaker), a maker of network gear, and answers snmp")
            }
            if draft.isGateway { why.append("forwards traffic for many addresses (one MAC behind many IPs)") }
            if !link.isEmpty { why.append("sends \(link.joined(separator: ", ")) frames") }
            if let said, said.role == .networkDevice { why.append(said.reason) }
            return result(.networkDevice, why.joined(separator: "; "))
        }
        let infrastructure = served(ProtocolFamilies.infrastructure)
        if !infrastructure.isEmpty || said?.role == .infrastructureServer {
            return result(.infrastructureServer, infrastructure.isEmpty ? (said?.reason ?? "") : describeServed(infrastructure))
        }
        let it = served(ProtocolFamilies.itService)
        if !it.isEmpty || said?.role == .itServer {
            return result(.itServer, it.isEmpty ? (said?.reason ?? "") : describeServed(it))
        }
        let clientOf = draft.uses.filter { $0.value.messages > 0 }.keys.sorted()
        if !clientOf.isEmpty { return result(.itWorkstation, "uses \(clientOf.joined(separator: ", "))") }
        return result(.unknown, "no service answered or used that tells its role")
    }

    /// What the device says it is (CIP device type, PROFINET role, service role hints).
    private func identityRole(_ draft: AssetDraft) -> (role: Role, reason: String)? {
        // LLDP/CDP capabilities (`bridge,router`) say what a device forwards.
        for fact in draft.facts[.capabilities]?.items ?? [] {
            let value = fact.value.lowercased()
            if ["bridge", "router", "switch"].contains(where: value.contains) {
                return (.networkDevice, "announces capabilities \(fact.value) (\(fact.source))")
            }
        }
        guard let facts = draft.facts[.role]?.items, !facts.isEmpty else { return nil }
        let table: [(keywords: [String], role: Role)] = [
            (["programmable logic controller", "io_controller", "plc"], .plc),
            (["human-machine interface", "hmi"], .hmi),
            (["pn_supervisor"], .engineeringWorkstation),
            (["communications adapter", "io_device", "drive", "motor", "adapter", "valve", "sensor", "encoder",
              "starter", "contactor", "overload", "i/o"], .fieldDevice),
            (["mqtt_broker"], .mqttBroker),
            (["sparkplug_edge_node"], .iotController),
            (["router", "switch", "bridge"], .networkDevice),
            (["dhcp_server", "dns_server", "kerberos_kdc", "ldap_server", "radius_server", "domain", "ntp_server"],
             .infrastructureServer),
            (["smb_server", "ssh_server", "server"], .itServer),
        ]
        for entry in table {
            for fact in facts {
                let value = fact.value.lowercased()
                if entry.keywords.contains(where: value.contains) {
                    return (entry.role, "says it is \"\(fact.value)\" (\(fact.source))")
                }
            }
        }
        return nil
    }

    /// "identified as Siemens 6ES7 315-2EH14-0AB0 (firmware V3.2) by s7comm/szl".
    private func identitySummary(_ asset: Asset) -> String? {
        let vendor = asset.current(.vendor)
        let model = asset.current(.model) ?? asset.current(.productCode) ?? asset.current(.moduleName)
        guard vendor != nil || model != nil else { return nil }
        var text = "identified as " + [vendor, model].compactMap { $0 }.joined(separator: " ")
        if let firmware = asset.current(.firmware) ?? asset.current(.revision) { text += " (firmware \(firmware))" }
        let source = (asset.identity[AssetFact.Kind.model.rawValue] ?? asset.identity[AssetFact.Kind.vendor.rawValue])?
            .last?.source
        if let source { text += " by \(source)" }
        return text
    }

    // MARK: - level

    private static func level(of role: Role, asset: Asset) -> PurdueLevel? {
        if asset.external { return .level5 }
        switch role {
        case .fieldDevice: return isInstrument(asset) ? .level0 : .level1
        case .plc, .rtu, .ied, .safetyController: return .level1
        // A building controller is basic control; an IoT edge gateway collects from it.
        case .iotController: return asset.serves.keys.contains("bacnet") ? .level1 : .level2
        case .hmi, .engineeringWorkstation, .scadaServer: return .level2
        case .historian, .mqttBroker: return .level3
        case .itWorkstation: return .level4
        case .networkDevice, .infrastructureServer, .itServer, .unknown: return nil
        }
    }

    /// Sensors, actuators and drives sit at level 0; I/O adapters and communication modules,
    /// which take part in control, at level 1.
    private static func isInstrument(_ asset: Asset) -> Bool {
        if asset.serves.keys.contains(where: { $0.hasPrefix("hart") }) { return true }
        let said = (asset.identity[AssetFact.Kind.role.rawValue] ?? []).map { $0.value.lowercased() }
        let words = ["drive", "motor", "valve", "sensor", "encoder", "starter", "contactor", "overload", "instrument"]
        return said.contains { value in words.contains(where: value.contains) }
    }

    /// A subnet key (/24 for IPv4, /64 for IPv6) → the most common level of its assets whose role
    /// fixed one.
    private func segmentLevels(_ assets: [Asset]) -> [UInt128: PurdueLevel] {
        var counts: [UInt128: [PurdueLevel: Int]] = [:]
        for asset in assets {
            guard let level = asset.level, level != .level5 else { continue }
            for key in Set(asset.addresses.compactMap(Self.segment)) { counts[key, default: [:]][level, default: 0] += 1 }
        }
        // The most common level; a tie goes to the higher level (the subnet's gear serves it all).
        return counts.compactMapValues { $0.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key }
    }

    static func segment(_ address: AssetAddress) -> UInt128? {
        guard address.scope == .private || address.scope == .linkLocal else { return nil }
        return address.address.isV4 ? address.address.bits >> 8 : address.address.bits >> 64
    }

    private func settleLevel(_ asset: inout Asset, segments: [UInt128: PurdueLevel]) {
        guard asset.level == nil else { return }
        let segment = asset.addresses.lazy.compactMap(Self.segment).first
        if let segment, let level = segments[segment] {
            // Network gear and servers sit with the devices of their subnet; a DNS server in a
            // control-room subnet is a level-2/3 server, not a business one.
            let adjusted: PurdueLevel
            switch asset.role {
            case .infrastructureServer, .itServer: adjusted = max(level, .level3)
            default: adjusted = level
            }
            asset.level = adjusted
            asset.levelReasons = [
                "level \(adjusted.rawValue): \(asset.role.label) in a subnet whose devices are level \(level.rawValue) — "
                    + asset.roleReasons.joined(separator: "; ")
            ]
        } else if asset.role == .infrastructureServer || asset.role == .itServer {
            asset.level = .level4
            asset.levelReasons = ["level 4: \(asset.role.label) with no OT device in its subnet — "
                + asset.roleReasons.joined(separator: "; ")]
        } else if asset.role == .networkDevice {
            asset.level = .level3
            asset.levelReasons = ["level 3: \(asset.role.label) whose subnet holds no classified device — "
                + asset.roleReasons.joined(separator: "; ")]
        }
    }

    /// A level 3/4 server that IT clients (level 4+) reach and that talks with OT devices
    /// (level 0–2) sits between the two: the DMZ.
    private func placeInDMZ(_ asset: inout Asset, levels: [String: PurdueLevel?], conversations: [Int]) {
        guard let level = asset.level, level == .level3 || level == .level4, asset.role != .networkDevice else { return }
        var itClients = Set<String>()
        var otPeers = Set<String>()
        for i in conversations {
            let c = communications[i]
            if c.server == asset.id, let peer = levels[c.client] ?? nil {
                if peer >= .level4 { itClients.insert(c.client) }
                if peer <= .level2 { otPeers.insert(c.client) }
            } else if c.client == asset.id, let peer = levels[c.server] ?? nil, peer <= .level2 {
                otPeers.insert(c.server)
            }
        }
        guard !itClients.isEmpty, !otPeers.isEmpty else { return }
        asset.level = .dmz
        asset.levelReasons = [
            "level 3.5: reached by \(itClients.count) IT host(s) at level 4+ and talks with \(otPeers.count) OT "
                + "device(s) at level 0–2 — between the enterprise and control networks"
        ] + asset.levelReasons
    }
}
