import ConvergeModel

/// Flow records are many (one per conversation, tens of thousands a minute on a busy plant) and
/// each touches both hosts and an edge: folded one by one that is ~25 hash-table updates per flow.
/// They are summed instead by (client, server, protocol, who asks) into `PendingFlows`, one
/// hash-table update each, and folded in once per distinct key when the inventory or its evidence
/// is read. Sums, minima and maxima are all the fold uses, so the result is the same.
struct PendingFlows {
    /// Distinct keys summed before they are folded in early (bounds the memory of a scan).
    static let capacity = 65_536
    /// Distinct application names among the keys (a name is kept as a small number in the key);
    /// more than this folds early too.
    static let maxNames = 1024

    /// Small and plain, so hashing and comparing it is a few word operations: the addresses'
    /// bits and everything else packed into one word (`shape(...)`).
    struct Key: Hashable {
        var client: UInt128
        var server: UInt128
        var shape: UInt64
    }

    struct Sum {
        // What a merge reads and writes comes first, next to the key a lookup compares, so that a
        // known key's flow touches the first cache lines of its sum; the first flow, read only when
        // folding, comes last.
        var key: Key
        var firstSeen: Timestamp
        var lastSeen: Timestamp
        var packetsToServer: UInt64 = 0
        var packetsToClient: UInt64 = 0
        var bytesToServer: UInt64 = 0
        var bytesToClient: UInt64 = 0
        /// Some flow of the key carried operation counts.
        var counted = false
        var messages: UInt64 = 0
        var fromClient = InlineArray<10, UInt64>(repeating: 0)
        var fromServer = InlineArray<10, UInt64>(repeating: 0)
        /// The earliest first and latest last request of each transfer operation (rare: a table).
        var transfers: [Operation: ClosedRange<Timestamp>] = [:]
        /// The first flow of the key: its endpoints, transport and application stand for all.
        var first: FlowRecord

        /// The sum of one flow.
        init(_ key: Key, _ flow: FlowRecord, _ counts: Counts) {
            self.key = key
            first = flow
            first.operations = nil
            firstSeen = flow.firstSeen
            lastSeen = flow.lastSeen
            merge(flow, counts)
        }

        mutating func merge(_ flow: FlowRecord, _ counts: Counts) {
            firstSeen = min(firstSeen, flow.firstSeen)
            lastSeen = max(lastSeen, flow.lastSeen)
            packetsToServer &+= flow.packetsToServer
            packetsToClient &+= flow.packetsToClient
            bytesToServer &+= flow.bytesToServer
            bytesToClient &+= flow.bytesToClient
            guard counts.counted else { return }
            counted = true
            messages &+= counts.messages
            for slot in 0..<10 {
                fromClient[slot] &+= counts.fromClient[slot]
                fromServer[slot] &+= counts.fromServer[slot]
            }
            guard counts.hasTransfers, let operations = flow.operations else { return }
            for (operation, span) in operations.transfers {
                guard let first = span.first, let last = span.last, first <= last else { continue }
                let known = transfers[operation]
                transfers[operation] = min(known?.lowerBound ?? first, first)...max(known?.upperBound ?? last, last)
            }
        }
    }

    /// The sums, in the order their keys were first met; each knows its key.
    private(set) var sums: [Sum] = []
    /// Where each key's sum is (`KeyIndex`): probed with a cheap mix of the key, no SipHash.
    private var index = KeyIndex()
    /// The application names of the keys, by their number in the key less one (0 = no application).
    private var names: [String] = []

    var count: Int { sums.count }
    var isEmpty: Bool { sums.isEmpty }

    /// Adds one flow; false when full (fold, then add again).
    mutating func add(_ flow: FlowRecord) -> Bool {
        let counts = Counts(flow)
        guard let name = nameNumber(flow.application) else { return false }
        let key = Key(
            client: flow.client.address.bits, server: flow.server.address.bits,
            shape: Self.shape(
                name: name, transport: flow.transport, ipProtocol: flow.ipProtocol,
                serverPort: flow.application == nil ? flow.server.port : 0, swapped: counts.swapped))
        // A known key (nearly every flow) changes its sum in place.
        let mix = KeyIndex.mix(key)
        if let place = index.find(mix, where: { sums[$0].key == key }) {
            sums[place].merge(flow, counts)
            return true
        }
        guard sums.count < Self.capacity else { return false }
        index.insert(mix, place: sums.count, growingFrom: sums)
        sums.append(Sum(key, flow, counts))
        return true
    }

    /// A flow's operations gathered once into fixed slots (`Operation.index`): their totals
    /// decide the roles, and a sum adds the slots. Plain values only (no copy of the flow's
    /// tables to carry around).
    struct Counts {
        /// The flow carried operation counts (and a dissector claimed it).
        var counted = false
        var messages: UInt64 = 0
        var hasTransfers = false
        var fromClient = InlineArray<10, UInt64>(repeating: 0)
        var fromServer = InlineArray<10, UInt64>(repeating: 0)
        var swapped = false

        init(_ flow: borrowing FlowRecord) {
            // A flow no dissector claimed has no messages to count.
            guard flow.application != nil, let operations = flow.operations else { return }
            counted = true
            messages = operations.messages
            hasTransfers = !operations.transfers.isEmpty
            var clientTotal: UInt64 = 0
            var serverTotal: UInt64 = 0
            for (operation, n) in operations.fromClient {
                fromClient[operation.index] &+= n
                clientTotal &+= n
            }
            for (operation, n) in operations.fromServer {
                fromServer[operation.index] &+= n
                serverTotal &+= n
            }
            swapped = serverTotal > clientTotal
        }
    }

    /// The number `application` goes by in keys (0: none); nil when there is no room for a new name.
    private mutating func nameNumber(_ application: String?) -> UInt64? {
        guard let application else { return 0 }
        // A handful of names, each usually the very same string (the registry's): a scan is cheap.
        for (i, known) in names.enumerated() where known == application { return UInt64(i) &+ 1 }
        guard names.count < Self.maxNames else { return nil }
        names.append(application)
        return UInt64(names.count)
    }

    static func shape(name: UInt64, transport: Transport, ipProtocol: UInt8, serverPort: UInt16, swapped: Bool)
        -> UInt64
    {
        name << 40 | UInt64(transport.rawValue) << 32 | UInt64(ipProtocol) << 24 | UInt64(serverPort) << 8
            | (swapped ? 1 : 0)
    }

    /// The sums, and the table emptied.
    mutating func takeSums() -> [Sum] {
        defer {
            index.removeAll()
            sums.removeAll(keepingCapacity: true)
            names.removeAll(keepingCapacity: true)
        }
        return sums
    }

    /// The summed flows as flow records (what folding them one by one would take), and the table
    /// emptied.
    mutating func take() -> [FlowRecord] {
        takeSums().map { $0.record }
    }
}

extension PendingFlows.Sum {
    /// The record that stands for every flow of the key.
    var record: FlowRecord {
        var record = first
        record.firstSeen = firstSeen
        record.lastSeen = lastSeen
        record.packetsToServer = packetsToServer
        record.packetsToClient = packetsToClient
        record.bytesToServer = bytesToServer
        record.bytesToClient = bytesToClient
        guard counted else { return record }
        var operations = FlowOperations()
        operations.messages = messages
        for (slot, operation) in InventoryBuilder.operationSlots.enumerated() {
            if fromClient[slot] > 0 { operations.fromClient[operation] = fromClient[slot] }
            if fromServer[slot] > 0 { operations.fromServer[operation] = fromServer[slot] }
        }
        for (operation, span) in transfers { operations.transfers[operation] = [span.lowerBound, span.upperBound] }
        record.operations = operations
        return record
    }
}

extension InventoryBuilder {
    /// Folds the flows summed so far into hosts and edges.
    func foldPendingFlows() {
        guard !pendingFlows.isEmpty else { return }
        for sum in pendingFlows.takeSums() { fold(sum) }
    }
}
