import ConvergeModel

/// Gathers what the analysis says about each address and each Ethernet address (facts, bindings,
/// conversations, operations) and builds the inventory from it (`build()`): one asset per device,
/// its identity with provenance, its role and Purdue level with reasons, and the changes seen.
///
/// Fed with the engine's events (`add(_:)`) in capture order. Everything it keeps is bounded: at
/// most `maxHosts` addresses, `maxLinks` Ethernet addresses and `maxEdges` conversations; beyond
/// that new ones are counted in `dropped`, never stored.
public final class InventoryBuilder {
    public static let maxHosts = 1 << 20
    public static let maxLinks = 1 << 18
    public static let maxEdges = 1 << 20
    /// Ethernet addresses remembered per IP address (a host that moves between NICs, a spoofer).
    static let maxMACsPerHost = 8

    /// What one IP address showed.
    struct Host: Codable {
        var address: IPAddress
        var firstSeen: Timestamp
        var lastSeen: Timestamp
        /// The MAC the device itself claimed (ARP, DHCP), latest last.
        var bound: [Claim] = []
        /// MACs that frames from or to this IP carried (the host's own, or a router's).
        var sightings: [UInt64: Timestamp] = [:]
        var facts: [AssetFact.Kind: ObservationList] = [:]
        var serves: [String: Use] = [:]
        var uses: [String: Use] = [:]
        /// Whether the address sent anything (a subnet broadcast address only ever receives).
        var sent = false
        /// In `changedHosts` already (not stored).
        var marked = false

        enum CodingKeys: String, CodingKey {
            case address, firstSeen, lastSeen, bound, sightings, facts, serves, uses, sent
        }
    }

    /// A device's own claim to an address (an ARP reply, a DHCP lease).
    struct Claim: Codable {
        var mac: UInt64
        var source: String
        var time: Timestamp
    }

    /// What one Ethernet address showed on its own (LLDP, CDP, STP, PROFINET: facts without an IP).
    struct Link: Codable {
        var mac: UInt64
        var firstSeen: Timestamp
        var lastSeen: Timestamp
        var facts: [AssetFact.Kind: ObservationList] = [:]
        /// Link-layer protocols the device spoke (`lldp`, `stp`, `goose`).
        var speaks: [String: UInt64] = [:]
        /// In `changedLinks` already (not stored).
        var marked = false

        enum CodingKeys: String, CodingKey {
            case mac, firstSeen, lastSeen, facts, speaks
        }
    }

    struct Use: Codable {
        var messages: UInt64 = 0
        var peers: Set<IPAddress> = []
        var operations: [Operation: UInt64] = [:]
        static let maxPeers = 4096
    }

    struct EdgeKey: Hashable, Codable {
        var client: IPAddress
        var server: IPAddress
        var proto: String
    }

    struct Edge: Codable {
        var messages: UInt64 = 0
        var operations: [Operation: UInt64] = [:]
        /// When program and firmware operations began and ended (for the change history).
        var transfers: [Operation: ClosedRange<Timestamp>] = [:]
        var packets: UInt64 = 0
        var bytes: UInt64 = 0
        var firstSeen: Timestamp
        var lastSeen: Timestamp
        /// In `changedEdges` already (not stored).
        var marked = false

        enum CodingKeys: String, CodingKey {
            case messages, operations, transfers, packets, bytes, firstSeen, lastSeen
        }
    }

    var hosts: [IPAddress: Host] = [:]
    var links: [UInt64: Link] = [:]
    var edges: [EdgeKey: Edge] = [:]
    /// Records changed since they were restored (`restore`) or handed out (`takeChangedEvidence`):
    /// a store rewrites only these. A record's `marked` says it is in its set already, so the
    /// many updates of a known record cost no second hash here.
    var changedHosts: Set<IPAddress> = []
    var changedLinks: Set<UInt64> = []
    var changedEdges: Set<EdgeKey> = []
    public private(set) var dropped: UInt64 = 0
    /// Flow records summed by key, not yet folded in (`InventoryBuilder+Flows.swift`).
    var pendingFlows = PendingFlows()

    public init() {}

    public func add(_ event: Event) {
        switch event {
        case .message(let message): add(message)
        case .assetFact(let fact): add(fact)
        case .flow(let flow): add(flow)
        case .processValue: break
        }
    }

    public func add(_ fact: AssetFact) {
        let mac = fact.mac.flatMap(MACText.parse)
        let hasAddress = fact.address.bits != 0 && AddressScope(fact.address).isDevice
        let confidence = fact.confidence ?? .high
        if fact.kind == .macAddress {
            // A binding: the IP's own claim (ARP, DHCP), or the MAC its frames carried.
            guard hasAddress, let bindingMAC = MACText.parse(fact.value), Self.isUnicast(bindingMAC) else { return }
            guard updateHost(fact.address, time: fact.time, { host in
                if confidence == .high {
                    host.bound.removeAll { $0.mac == bindingMAC }
                    host.bound.append(Claim(mac: bindingMAC, source: fact.source, time: fact.time))
                    if host.bound.count > Self.maxMACsPerHost { host.bound.removeFirst() }
                }
                Self.sight(bindingMAC, at: fact.time, in: &host)
            }) else { return }
            touchLink(bindingMAC, time: fact.time)
            return
        }
        if hasAddress {
            _ = updateHost(fact.address, time: fact.time) { host in
                host.facts[fact.kind, default: ObservationList()].add(
                    fact.value, source: fact.source, confidence: confidence, time: fact.time)
                if let mac, Self.isUnicast(mac) { Self.sight(mac, at: fact.time, in: &host) }
            }
        } else if let mac, Self.isUnicast(mac) {
            touchLink(mac, time: fact.time) { link in
                link.facts[fact.kind, default: ObservationList()].add(
                    fact.value, source: fact.source, confidence: confidence, time: fact.time)
            }
        }
    }

    public func add(_ message: Message) {
        if let source = message.sourceMAC.flatMap(MACText.parse) {
            // A link-layer message (ARP, LLDP, STP, PROFINET, GOOSE): the sender speaks it.
            guard Self.isUnicast(source) else { return }
            touchLink(source, time: message.time) { $0.speaks[message.proto, default: 0] &+= 1 }
            return
        }
        // Who asked and who answered, from the message rather than the flow: on a peer-to-peer
        // protocol (BACnet over UDP 47808 both ways) the flow's client is whoever spoke first, maybe
        // a controller announcing itself, while the workstation's requests then travel "to_client".
        let sender = message.direction == .toServer ? message.client.address : message.server.address
        let receiver = message.direction == .toServer ? message.server.address : message.client.address
        // A paired response carries its round trip; a request awaiting its answer is `pending`.
        // Messages of unpaired protocols follow the flow: toward the server is a request.
        let isResponse: Bool
        if message.roundTripNanoseconds != nil {
            isResponse = true
        } else if message.status == .pending {
            isResponse = false
        } else {
            isResponse = message.direction == .toClient
        }
        let isRequest = !isResponse
        let client = isResponse ? receiver : sender
        let server = isResponse ? sender : receiver
        guard AddressScope(client).isDevice || AddressScope(server).isDevice else { return }
        var message = message
        message.proto = Self.carriers[message.proto] ?? message.proto
        if AddressScope(server).isDevice {
            _ = updateHost(server, time: message.time) { host in
                Self.count(&host.serves[message.proto, default: Use()], peer: client, message, isRequest)
                if isResponse { host.sent = true }
            }
        }
        if AddressScope(client).isDevice {
            _ = updateHost(client, time: message.time) { host in
                Self.count(&host.uses[message.proto, default: Use()], peer: server, message, isRequest)
                if isRequest { host.sent = true }
            }
        }
        updateEdge(EdgeKey(client: client, server: server, proto: message.proto), time: message.time) { edge in
            edge.messages &+= 1
            guard isRequest else { return }
            edge.operations[message.operation, default: 0] &+= 1
            if message.operation == .program || message.operation == .firmware {
                let span = edge.transfers[message.operation]
                edge.transfers[message.operation] =
                    min(span?.lowerBound ?? message.time, message.time)...max(span?.upperBound ?? message.time, message.time)
            }
        }
    }

    public func add(_ flow: FlowRecord) {
        if !pendingFlows.add(flow) {
            foldPendingFlows()
            _ = pendingFlows.add(flow)
        }
    }

    /// One flow folded into its hosts and edge, as a sum of one (whose key `fold` never reads).
    func fold(_ flow: FlowRecord) {
        fold(PendingFlows.Sum(PendingFlows.Key(client: 0, server: 0, shape: 0), flow, PendingFlows.Counts(flow)))
    }

    /// The sum of the flows of one key folded into its hosts and edge.
    func fold(_ sum: PendingFlows.Sum) {
        let flow = sum.first
        let proto = flow.application ?? Self.fallbackName(flow)
        let client = flow.client.address
        let server = flow.server.address
        for (address, sent) in [(client, sum.packetsToServer > 0), (server, sum.packetsToClient > 0)]
        where AddressScope(address).isDevice {
            _ = updateHost(address, time: sum.firstSeen) { host in
                host.lastSeen = max(host.lastSeen, sum.lastSeen)
                if sent { host.sent = true }
            }
        }
        updateEdge(EdgeKey(client: client, server: server, proto: proto), time: sum.firstSeen) { edge in
            edge.packets &+= sum.packetsToServer &+ sum.packetsToClient
            edge.bytes &+= sum.bytesToServer &+ sum.bytesToClient
            edge.lastSeen = max(edge.lastSeen, sum.lastSeen)
        }
        if sum.counted, flow.application != nil { addOperations(of: sum, proto: proto) }
    }

    /// A flow's messages counted by operation (the analysis's inventory feed) instead of one event
    /// each: the same tallies as `add(_ message:)` would make, per side of the flow.
    private func addOperations(of sum: PendingFlows.Sum, proto: String) {
        var fromClient: UInt64 = 0
        var fromServer: UInt64 = 0
        for slot in 0..<10 {
            fromClient &+= sum.fromClient[slot]
            fromServer &+= sum.fromServer[slot]
        }
        let flow = sum.first
        // On a peer-to-peer protocol the side that asks more is the client, whoever opened the flow.
        let swapped = fromServer > fromClient
        let requester = swapped ? flow.server.address : flow.client.address
        let responder = swapped ? flow.client.address : flow.server.address
        let time = sum.lastSeen
        for (asker, answerer, counts, total) in [
            (flow.client.address, flow.server.address, sum.fromClient, fromClient),
            (flow.server.address, flow.client.address, sum.fromServer, fromServer),
        ] where total > 0 {
            updateEdge(EdgeKey(client: asker, server: answerer, proto: proto), time: sum.firstSeen) { edge in
                Self.add(counts, to: &edge.operations)
            }
            if AddressScope(asker).isDevice {
                _ = updateHost(asker, time: time) { host in
                    Self.tally(&host.uses[proto, default: Use()], peer: answerer, counts)
                }
            }
            if AddressScope(answerer).isDevice {
                _ = updateHost(answerer, time: time) { host in
                    Self.tally(&host.serves[proto, default: Use()], peer: asker, counts)
                }
            }
        }
        // Every message counts for both ends, as each event would.
        if AddressScope(responder).isDevice {
            _ = updateHost(responder, time: time) { host in
                host.serves[proto, default: Use()].messages &+= sum.messages
                if host.serves[proto]?.peers.count ?? 0 < Use.maxPeers, AddressScope(requester).isDevice {
                    host.serves[proto]?.peers.insert(requester)
                }
            }
        }
        if AddressScope(requester).isDevice {
            _ = updateHost(requester, time: time) { host in
                host.uses[proto, default: Use()].messages &+= sum.messages
                if host.uses[proto]?.peers.count ?? 0 < Use.maxPeers, AddressScope(responder).isDevice {
                    host.uses[proto]?.peers.insert(responder)
                }
            }
        }
        updateEdge(EdgeKey(client: requester, server: responder, proto: proto), time: sum.firstSeen) { edge in
            edge.messages &+= sum.messages
            for (operation, span) in sum.transfers {
                let known = edge.transfers[operation]
                let first = min(known?.lowerBound ?? span.lowerBound, span.lowerBound)
                edge.transfers[operation] = first...max(known?.upperBound ?? span.upperBound, span.upperBound)
            }
        }
    }

    /// The operations in slot order (`Operation.index`), made once.
    static let operationSlots = Operation.allCases

    /// Counts by operation slot (`Operation.index`) added to a table by operation.
    private static func add(_ counts: InlineArray<10, UInt64>, to table: inout [Operation: UInt64]) {
        for (slot, operation) in Self.operationSlots.enumerated() where counts[slot] > 0 {
            table[operation, default: 0] &+= counts[slot]
        }
    }

    private static func tally(_ use: inout Use, peer: IPAddress, _ counts: InlineArray<10, UInt64>) {
        if use.peers.count < Use.maxPeers, AddressScope(peer).isDevice { use.peers.insert(peer) }
        add(counts, to: &use.operations)
    }

    // MARK: - bounded updates

    /// Applies `change` to the address's record, creating it if there is room; false when full.
    private func updateHost(_ address: IPAddress, time: Timestamp, _ change: (inout Host) -> Void) -> Bool {
        // A known address (nearly every call) is hashed once and its record changed in place (no
        // copy of its tables); a new one is made only while there is room.
        if let index = hosts.index(forKey: address) {
            if !Self.touch(&hosts.values[index], time, change) { changedHosts.insert(address) }
            return true
        }
        guard hosts.count < Self.maxHosts else {
            dropped &+= 1
            return false
        }
        changedHosts.insert(address)
        var host = Host(address: address, firstSeen: time, lastSeen: time)
        _ = Self.touch(&host, time, change)
        hosts[address] = host
        return true
    }

    private func touchLink(_ mac: UInt64, time: Timestamp, _ change: (inout Link) -> Void = { _ in }) {
        if let index = links.index(forKey: mac) {
            if !Self.touch(&links.values[index], time, change) { changedLinks.insert(mac) }
            return
        }
        guard links.count < Self.maxLinks else {
            dropped &+= 1
            return
        }
        changedLinks.insert(mac)
        var link = Link(mac: mac, firstSeen: time, lastSeen: time)
        _ = Self.touch(&link, time, change)
        links[mac] = link
    }

    private func updateEdge(_ key: EdgeKey, time: Timestamp, _ change: (inout Edge) -> Void) {
        if let index = edges.index(forKey: key) {
            if !Self.touch(&edges.values[index], time, change) { changedEdges.insert(key) }
            return
        }
        guard edges.count < Self.maxEdges else {
            dropped &+= 1
            return
        }
        changedEdges.insert(key)
        var edge = Edge(firstSeen: time, lastSeen: time)
        _ = Self.touch(&edge, time, change)
        edges[key] = edge
    }

    /// Applies `change` and marks the record changed; returns whether it was marked already.
    private static func touch<R: TimeSpan>(_ record: inout R, _ time: Timestamp, _ change: (inout R) -> Void) -> Bool {
        record.firstSeen = min(record.firstSeen, time)
        record.lastSeen = max(record.lastSeen, time)
        change(&record)
        let wasMarked = record.marked
        record.marked = true
        return wasMarked
    }

    private static func sight(_ mac: UInt64, at time: Timestamp, in host: inout Host) {
        if host.sightings[mac] == nil, host.sightings.count >= maxMACsPerHost { return }
        host.sightings[mac] = max(host.sightings[mac] ?? time, time)
    }

    private static func count(_ use: inout Use, peer: IPAddress, _ message: Message, _ isRequest: Bool) {
        use.messages &+= 1
        if use.peers.count < Use.maxPeers, AddressScope(peer).isDevice { use.peers.insert(peer) }
        if isRequest { use.operations[message.operation, default: 0] &+= 1 }
    }

    /// Protocols reported inside another's conversation, counted under the conversation's name:
    /// CIP messages travel in EtherNet/IP sessions (the flow is `enip`).
    static let carriers = ["cip": "enip"]

    static func isUnicast(_ mac: UInt64) -> Bool { mac != 0 && !MACAddress.isGroup(mac) }

    static func fallbackName(_ flow: FlowRecord) -> String {
        switch flow.transport {
        case .tcp: "tcp/\(flow.server.port)"
        case .udp: "udp/\(flow.server.port)"
        default: "ip/\(flow.ipProtocol)"
        }
    }
}

/// A record with a first and last time seen, and whether it is marked changed.
protocol TimeSpan {
    var firstSeen: Timestamp { get set }
    var lastSeen: Timestamp { get set }
    var marked: Bool { get set }
}

extension InventoryBuilder.Host: TimeSpan {}
extension InventoryBuilder.Link: TimeSpan {}
extension InventoryBuilder.Edge: TimeSpan {}

/// `00:1b:1b:aa:bb:cc` ↔ 48-bit integer.
enum MACText {
    static func parse(_ text: String) -> UInt64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var value: UInt64 = 0
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(byte)
        }
        return value
    }
}
