import ConvergeModel
import Foundation

/// The evidence behind an inventory, as rows a store keeps between runs: one JSON record per
/// address, per Ethernet address and per conversation. A later run restores them, adds what its
/// captures show and builds the inventory from everything, so a second capture of the same plant
/// updates the same assets and their reasons.
public struct EvidenceRows: Sendable {
    public var hosts: [(key: String, record: Data)] = []
    public var links: [(key: String, record: Data)] = []
    public var edges: [(client: String, server: String, proto: String, record: Data)] = []

    public init() {}
    public var isEmpty: Bool { hosts.isEmpty && links.isEmpty && edges.isEmpty }
}

/// A stored evidence record that cannot be read back (a damaged store, a future format).
public struct EvidenceError: Error, CustomStringConvertible {
    public var description: String
}

extension InventoryBuilder {
    /// The records changed since the last call (or since `restore`), encoded; the change marks are
    /// cleared.
    public func takeChangedEvidence() throws -> EvidenceRows {
        foldPendingFlows()
        var rows = EvidenceRows()
        for address in changedHosts.sorted() {
            guard let index = hosts.index(forKey: address) else { continue }
            hosts.values[index].marked = false
            let host = hosts.values[index]
            // The address as text once, for the row's key and the record.
            let text = AddressText.text(address)
            rows.hosts.append((text, EvidenceJSON.host(host, addressText: host.address == address ? text : nil)))
        }
        for mac in changedLinks.sorted() {
            guard let index = links.index(forKey: mac) else { continue }
            links.values[index].marked = false
            let link = links.values[index]
            rows.links.append((MACAddress.text(mac), EvidenceJSON.link(link)))
        }
        for key in changedEdges.sorted(by: { ($0.client, $0.server, $0.proto) < ($1.client, $1.server, $1.proto) }) {
            guard let index = edges.index(forKey: key) else { continue }
            edges.values[index].marked = false
            let edge = edges.values[index]
            let client = AddressText.text(key.client)
            rows.edges.append((client, AddressText.text(key.server), key.proto, EvidenceJSON.edge(edge)))
        }
        changedHosts.removeAll()
        changedLinks.removeAll()
        changedEdges.removeAll()
        return rows
    }

    /// Loads stored records (before adding a new run's events). Each row names what it is about, so
    /// a record is filed under its row's key whatever it says inside.
    public func restore(_ rows: EvidenceRows) throws {
        let decoder = JSONDecoder()
        for row in rows.hosts {
            guard let address = IPAddress(row.key) else { throw EvidenceError(description: "evidence for host \(row.key): not an address") }
            var host = try decode(Host.self, row.record, what: "host \(row.key)", decoder)
            host.address = address
            hosts[address] = host
        }
        for row in rows.links {
            guard let mac = MACText.parse(row.key) else { throw EvidenceError(description: "evidence for link \(row.key): not a MAC") }
            var link = try decode(Link.self, row.record, what: "link \(row.key)", decoder)
            link.mac = mac
            links[mac] = link
        }
        for row in rows.edges {
            guard let client = IPAddress(row.client), let server = IPAddress(row.server) else {
                throw EvidenceError(description: "evidence for edge \(row.client) → \(row.server): not addresses")
            }
            edges[EdgeKey(client: client, server: server, proto: row.proto)] =
                try decode(Edge.self, row.record, what: "edge \(row.client) → \(row.server) \(row.proto)", decoder)
        }
        // Nothing is changed now: records added before this call lose their marks with the sets.
        for index in hosts.indices where hosts.values[index].marked { hosts.values[index].marked = false }
        for index in links.indices where links.values[index].marked { links.values[index].marked = false }
        for index in edges.indices where edges.values[index].marked { edges.values[index].marked = false }
        changedHosts.removeAll()
        changedLinks.removeAll()
        changedEdges.removeAll()
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, what: String, _ decoder: JSONDecoder) throws -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw EvidenceError(description: "evidence for \(what) cannot be read: \(error)")
        }
    }
}
