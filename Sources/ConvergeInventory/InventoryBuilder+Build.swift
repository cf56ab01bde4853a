import ConvergeModel

/// The inventory as built from one pass of evidence.
public struct Inventory: Sendable, Codable {
    public var assets: [Asset]
    public var communications: [Communication]
    public var changes: [AssetChange]
    /// Addresses, MACs or conversations not kept because a bound was reached.
    public var dropped: UInt64

    public init(assets: [Asset], communications: [Communication], changes: [AssetChange], dropped: UInt64) {
        self.assets = assets
        self.communications = communications
        self.changes = changes
        self.dropped = dropped
    }

    public func asset(_ id: String) -> Asset? { assets.first { $0.id == id } }

    /// The asset holding `address`, if any.
    public func asset(at address: IPAddress) -> Asset? {
        assets.first { $0.addresses.contains { $0.address == address } }
    }
}

extension InventoryBuilder {
    /// Distinct IPv4 addresses (or any addresses) seen behind one MAC that make it a router's:
    /// a host has one or two addresses; a gateway forwards for every routed host.
    static let gatewayIPv4Threshold = 3
    static let gatewayAnyThreshold = 8
    /// Identity kinds whose change over time is reported (a new firmware, a swapped module).
    public static let trackedKinds: [AssetFact.Kind] = [
        .vendor, .model, .productCode, .firmware, .revision, .serial, .moduleName, .hostname,
    ]

    public func build() -> Inventory {
        foldPendingFlows()
        let gateways = gatewayMACs()
        var byMAC: [UInt64: [IPAddress]] = [:]
        var ipOnly: [IPAddress] = []
        var notes: [IPAddress: [String]] = [:]
        for (address, host) in hosts where host.sent || !host.bound.isEmpty || !host.sightings.isEmpty {
            let own = ownMAC(host, gateways: gateways, notes: &notes[address, default: []])
            if let own { byMAC[own, default: []].append(address) } else { ipOnly.append(address) }
        }
        var drafts: [AssetDraft] = []
        var claimedLinks = Set<UInt64>()
        for (mac, addresses) in byMAC {
            claimedLinks.insert(mac)
            drafts.append(draft(mac: mac, addresses: addresses.sorted(), gateways: gateways, notes: notes))
        }
        for (mac, link) in links where !claimedLinks.contains(mac) && (!link.facts.isEmpty || !link.speaks.isEmpty) {
            drafts.append(draft(mac: mac, addresses: [], gateways: gateways, notes: notes))
        }
        for address in ipOnly {
            drafts.append(draft(mac: nil, addresses: [address], gateways: gateways, notes: notes))
        }
        drafts = mergeBySerial(drafts)
        drafts.sort { $0.id < $1.id }
        var owner: [IPAddress: String] = [:]
        for draft in drafts { for address in draft.addresses { owner[address.address] = draft.id } }
        let communications = communications(owner: owner)
        let assets = Classifier(drafts: drafts, communications: communications).classify()
        return Inventory(
            assets: assets, communications: communications,
            changes: (changes(assets) + transfers(owner: owner, assets: assets)).sorted {
                ($0.time, $0.asset, $0.kind.rawValue) < ($1.time, $1.asset, $1.kind.rawValue)
            },
            dropped: dropped)
    }

    /// MACs behind which many addresses were seen that did not claim them: routers and firewalls.
    private func gatewayMACs() -> Set<UInt64> {
        var v4: [UInt64: Int] = [:]
        var any: [UInt64: Int] = [:]
        for host in hosts.values {
            for mac in host.sightings.keys where !host.bound.contains(where: { $0.mac == mac }) {
                any[mac, default: 0] += 1
                if host.address.isV4 { v4[mac, default: 0] += 1 }
            }
        }
        var out = Set<UInt64>()
        for (mac, n) in any where n >= Self.gatewayAnyThreshold || (v4[mac] ?? 0) >= Self.gatewayIPv4Threshold {
            out.insert(mac)
        }
        return out
    }

    /// The MAC that is the device's own: its latest ARP/DHCP claim, else the one non-router MAC
    /// its frames carried. Nil for a host seen only through a router.
    private func ownMAC(_ host: Host, gateways: Set<UInt64>, notes: inout [String]) -> UInt64? {
        let claimed = Set(host.bound.map(\.mac))
        if claimed.count > 1 {
            let list = host.bound.map { "\(MACAddress.text($0.mac)) (\($0.source))" }.joined(separator: ", ")
            notes.append("\(host.address) was claimed by \(claimed.count) MACs: \(list)")
        }
        if let latest = host.bound.last { return latest.mac }
        let local = host.sightings.filter { !gateways.contains($0.key) }
        if local.count > 1 {
            let list = local.keys.sorted().map(MACAddress.text).joined(separator: ", ")
            notes.append("\(host.address) was seen with \(local.count) MACs: \(list)")
        }
        return local.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }

    private func draft(
        mac: UInt64?, addresses: [IPAddress], gateways: Set<UInt64>, notes: [IPAddress: [String]]
    ) -> AssetDraft {
        var d = AssetDraft(id: mac.map { "mac:" + MACAddress.text($0) } ?? "ip:\(addresses.first ?? .none)")
        if let mac {
            d.macs = [mac]
            d.isGateway = gateways.contains(mac)
            if let link = links[mac] {
                d.span(link.firstSeen, link.lastSeen)
                for (kind, list) in link.facts { d.facts[kind, default: ObservationList()].merge(list) }
                d.linkProtocols = link.speaks
            }
        }
        for address in addresses {
            guard let host = hosts[address] else { continue }
            d.span(host.firstSeen, host.lastSeen)
            let binding: String
            if let mac, let claim = host.bound.last(where: { $0.mac == mac }) {
                binding = claim.source.hasPrefix("dhcp") ? "dhcp" : "arp"
            } else {
                binding = mac == nil ? "ip" : "ethernet"
            }
            d.addresses.append(AssetAddress(
                address: address, scope: AddressScope(address), binding: binding,
                firstSeen: host.firstSeen, lastSeen: host.lastSeen))
            if mac == nil {
                d.routed = !host.sightings.isEmpty && host.sightings.keys.allSatisfy(gateways.contains)
            }
            for (kind, list) in host.facts { d.facts[kind, default: ObservationList()].merge(list) }
            for (name, use) in host.serves { d.serves[name, default: Use()].merge(use) }
            for (name, use) in host.uses { d.uses[name, default: Use()].merge(use) }
            d.notes += notes[address] ?? []
        }
        return d
    }

    /// Two records with the same serial number and model are one device with two NICs.
    private func mergeBySerial(_ drafts: [AssetDraft]) -> [AssetDraft] {
        var out: [AssetDraft] = []
        var bySerial: [String: Int] = [:]
        for draft in drafts {
            guard let serial = draft.strongest(.serial), !serial.isEmpty,
                let model = draft.strongest(.model) ?? draft.strongest(.productCode)
            else {
                out.append(draft)
                continue
            }
            let key = model + "\u{0}" + serial
            if let i = bySerial[key] {
                out[i].absorb(draft)
            } else {
                bySerial[key] = out.count
                out.append(draft)
            }
        }
        return out
    }

    private func communications(owner: [IPAddress: String]) -> [Communication] {
        var merged: [String: Communication] = [:]
        for (key, edge) in edges {
            guard let client = owner[key.client], let server = owner[key.server] else { continue }
            let id = client + "\u{0}" + server + "\u{0}" + key.proto
            // A conversation seen before is changed in place: copied out and stored back, its
            // operations table would be copied whole for every edge.
            if let index = merged.index(forKey: id) {
                Self.add(edge, to: &merged.values[index])
                continue
            }
            var c = Communication(
                client: client, server: server, proto: key.proto, messages: 0, operations: [:], packets: 0,
                bytes: 0, firstSeen: edge.firstSeen, lastSeen: edge.lastSeen)
            Self.add(edge, to: &c)
            merged[id] = c
        }
        return merged.values.sorted { ($0.client, $0.server, $0.proto) < ($1.client, $1.server, $1.proto) }
    }

    private static func add(_ edge: Edge, to c: inout Communication) {
        c.messages &+= edge.messages
        for (operation, n) in edge.operations { c.operations[operation.rawValue, default: 0] &+= n }
        c.packets &+= edge.packets
        c.bytes &+= edge.bytes
        c.firstSeen = min(c.firstSeen, edge.firstSeen)
        c.lastSeen = max(c.lastSeen, edge.lastSeen)
    }

    private func changes(_ assets: [Asset]) -> [AssetChange] {
        var out: [AssetChange] = []
        for asset in assets {
            let name = asset.addresses.first.map { "\($0.address)" } ?? asset.macs.first ?? asset.id
            out.append(AssetChange(
                time: asset.firstSeen, asset: asset.id, kind: .newAsset, field: nil, previous: nil,
                current: name, source: nil, text: "new asset \(name) (\(asset.role.label))"))
            for address in asset.addresses.dropFirst() where address.firstSeen > asset.firstSeen {
                out.append(AssetChange(
                    time: address.firstSeen, asset: asset.id, kind: .newAddress, field: "address", previous: nil,
                    current: "\(address.address)", source: address.binding,
                    text: "\(name) also uses \(address.address)"))
            }
            for kind in Self.trackedKinds {
                let values = (asset.identity[kind.rawValue] ?? []).filter { $0.confidence != .low }
                for (previous, next) in zip(values, values.dropFirst()) where next.firstSeen > previous.firstSeen {
                    out.append(AssetChange(
                        time: next.firstSeen, asset: asset.id, kind: .identityChange, field: kind.rawValue,
                        previous: previous.value, current: next.value, source: next.source,
                        text: "\(name): \(kind.rawValue) changed from \(previous.value) to \(next.value) "
                            + "(\(next.source))"))
                }
            }
        }
        return out
    }

    /// Firmware and logic sent to a device: its firmware or program changed (or was read out),
    /// whatever it reports about itself before or after. The device is the controller end of the
    /// conversation (in an S7 download the PLC itself asks the workstation for blocks), one change
    /// per device, operation and protocol.
    private func transfers(owner: [IPAddress: String], assets: [Asset]) -> [AssetChange] {
        let byID = Dictionary(assets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Key: Hashable {
            var device: IPAddress
            var peer: IPAddress
            var operation: Operation
            var proto: String
        }
        var merged: [Key: (span: ClosedRange<Timestamp>, count: UInt64)] = [:]
        for (key, edge) in edges {
            guard let serverID = owner[key.server], let clientID = owner[key.client] else { continue }
            let clientIsDevice = byID[clientID].map { Self.controllerRoles.contains($0.role) } ?? false
            let serverIsDevice = byID[serverID].map { Self.controllerRoles.contains($0.role) } ?? false
            let (device, peer) = clientIsDevice && !serverIsDevice ? (key.client, key.server) : (key.server, key.client)
            for (operation, span) in edge.transfers {
                let k = Key(device: device, peer: peer, operation: operation, proto: key.proto)
                let n = edge.operations[operation] ?? 0
                if let known = merged[k] {
                    merged[k] = (min(known.span.lowerBound, span.lowerBound)...max(known.span.upperBound, span.upperBound),
                                 known.count &+ n)
                } else {
                    merged[k] = (span, n)
                }
            }
        }
        var out: [AssetChange] = []
        for (key, value) in merged {
            guard let deviceID = owner[key.device], let peerID = owner[key.peer] else { continue }
            let revision = byID[deviceID].flatMap { $0.current(.firmware) ?? $0.current(.revision) }
            let what = key.operation == .firmware ? "firmware" : "logic (program)"
            var text = "\(key.device) received \(what) operations from \(key.peer) over \(key.proto): "
                + "\(value.count) between \(value.span.lowerBound) and \(value.span.upperBound)"
            if let revision { text += "; it reports firmware/revision \(revision)" }
            out.append(AssetChange(
                time: value.span.lowerBound, asset: deviceID,
                kind: key.operation == .firmware ? .firmwareUpdate : .programTransfer, field: key.operation.rawValue,
                previous: nil, current: revision, source: "\(key.proto) from \(peerID)", text: text))
        }
        return out
    }

    /// Roles whose end of a conversation is the device a transfer changes.
    static let controllerRoles: Set<Role> = [.plc, .rtu, .ied, .safetyController, .fieldDevice, .iotController]
}

extension InventoryBuilder.Use {
    mutating func merge(_ other: InventoryBuilder.Use) {
        messages &+= other.messages
        for peer in other.peers where peers.count < Self.maxPeers { peers.insert(peer) }
        for (operation, n) in other.operations { operations[operation, default: 0] &+= n }
    }

    var summary: ProtocolUse {
        var out = ProtocolUse(messages: messages, peers: peers.count)
        for (operation, n) in operations { out.operations[operation.rawValue] = n }
        return out
    }
}

/// An asset while it is being put together, before it is classified.
struct AssetDraft {
    var id: String
    var macs: [UInt64] = []
    var addresses: [AssetAddress] = []
    var facts: [AssetFact.Kind: ObservationList] = [:]
    var serves: [String: InventoryBuilder.Use] = [:]
    var uses: [String: InventoryBuilder.Use] = [:]
    var linkProtocols: [String: UInt64] = [:]
    var isGateway = false
    var routed = false
    var firstSeen = Timestamp(nanoseconds: .max)
    var lastSeen = Timestamp(nanoseconds: .min)
    var notes: [String] = []

    init(id: String) { self.id = id }

    mutating func span(_ first: Timestamp, _ last: Timestamp) {
        firstSeen = min(firstSeen, first)
        lastSeen = max(lastSeen, last)
    }

    /// The most trusted, then most repeated value of `kind`.
    func strongest(_ kind: AssetFact.Kind) -> String? {
        facts[kind]?.items.max { ($0.confidence.rank, $0.count) < ($1.confidence.rank, $1.count) }?.value
    }

    mutating func absorb(_ other: AssetDraft) {
        macs += other.macs.filter { !macs.contains($0) }
        addresses += other.addresses
        for (kind, list) in other.facts { facts[kind, default: ObservationList()].merge(list) }
        for (name, use) in other.serves { serves[name, default: InventoryBuilder.Use()].merge(use) }
        for (name, use) in other.uses { uses[name, default: InventoryBuilder.Use()].merge(use) }
        for (name, n) in other.linkProtocols { linkProtocols[name, default: 0] &+= n }
        span(other.firstSeen, other.lastSeen)
        notes += other.notes
        notes.append("\(other.id) merged in: same serial number and model")
    }
}
