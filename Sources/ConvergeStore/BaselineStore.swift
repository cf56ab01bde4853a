import ConvergeDetection
import ConvergeModel

/// The baseline as rows (one per asset, one JSON record per pair) and back, for both backends.
struct BaselineRows {
    var assets: [(address: String, record: String)] = []
    var pairs: [(client: String, server: String, proto: String, record: String)] = []
    var assetRows: [(address: String, firstSeen: Int64, lastSeen: Int64, record: String)] = []
    var pairRows: [(client: String, server: String, proto: String, lastSeen: Int64, record: String)] = []

    init() {}

    init(_ baseline: Baseline) throws {
        for (address, record) in baseline.assets.sorted(by: { $0.key < $1.key }) {
            assetRows.append(
                (
                    "\(address)", record.firstSeen.nanoseconds, record.lastSeen.nanoseconds,
                    try StoreCodec.encode(record)
                ))
        }
        for (pair, record) in baseline.sortedPairs {
            pairRows.append(
                (
                    "\(pair.client)", "\(pair.server)", pair.proto, record.lastSeen.nanoseconds,
                    try StoreCodec.encode(record)
                ))
        }
    }

    func baseline() throws -> Baseline {
        var out = Baseline()
        for row in assets {
            guard let address = IPAddress(row.address) else {
                throw StoreError("stored baseline asset \(row.address) is not an address")
            }
            out.assets[address] = try StoreCodec.decode(Baseline.AssetRecord.self, row.record, what: "baseline asset")
        }
        for row in pairs {
            guard let client = IPAddress(row.client), let server = IPAddress(row.server) else {
                throw StoreError("stored baseline pair \(row.client)>\(row.server) is not a pair of addresses")
            }
            out.pairs[Baseline.Pair(client: client, server: server, proto: row.proto)] = try StoreCodec.decode(
                Baseline.PairRecord.self, row.record, what: "baseline pair")
        }
        return out
    }

    static func prune(
        _ baseline: inout Baseline, olderThan: Timestamp?, pair: Baseline.Pair?
    ) -> (pairs: Int, assets: Int) {
        var removed = (pairs: 0, assets: 0)
        if let pair, baseline.remove(pair: pair) { removed.pairs += 1 }
        if let olderThan {
            let more = baseline.prune(lastSeenBefore: olderThan)
            removed.pairs += more.pairs
            removed.assets += more.assets
        }
        return removed
    }
}
