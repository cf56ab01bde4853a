import ConvergeModel

/// Packets and bytes per IP address, summed from flow records as flows end (per flow, not per
/// packet, so the hot path pays nothing). Bounded: past `maxHosts` new hosts are counted only in
/// `untracked`.
struct TopTalkers {
    struct Tally: Sendable {
        var packets: UInt64 = 0
        var bytes: UInt64 = 0
    }

    static let maxHosts = 100_000
    private(set) var hosts: [IPAddress: Tally] = [:]
    private(set) var untracked = Tally()

    mutating func add(_ flow: FlowRecord) {
        let packets = flow.packetsToServer &+ flow.packetsToClient
        let bytes = flow.bytesToServer &+ flow.bytesToClient
        for address in [flow.client.address, flow.server.address] {
            if hosts[address] != nil || hosts.count < Self.maxHosts {
                hosts[address, default: Tally()].packets &+= packets
                hosts[address, default: Tally()].bytes &+= bytes
            } else {
                untracked.packets &+= packets
                untracked.bytes &+= bytes
            }
        }
    }

    /// The `limit` hosts with the most bytes, ties broken by address so output is stable.
    func top(_ limit: Int) -> [(address: IPAddress, tally: Tally)] {
        hosts.sorted { a, b in
            a.value.bytes != b.value.bytes ? a.value.bytes > b.value.bytes : a.key < b.key
        }
        .prefix(limit)
        .map { ($0.key, $0.value) }
    }
}
