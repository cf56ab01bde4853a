import ConvergeModel

/// Flow records are many (one per conversation, tens of thousands a minute on a busy plant) and
/// each touches both hosts and an edge: folded one by one that is ~25 hash-table updates per flow.
/// They are summed instead by (client, server, protocol, who asks) into `PendingFlows`, one
/// hash-table update each, and folded in once per distinct key when the inventory or its evidence
/// is read. Sums, minima and maxima are all the fold uses, so the result is the same.
struct PendingFlows {
    /// Distinct keys summed before they are folded in early (bounds the memory of a scan).
    static let capacity = 65_536

    struct Key: Hashable {
        var client: IPAddress
        var server: IPAddress
        /// The application, or nil with the server port standing for it (`tcp/8080`).
        var application: String?
        var transport: Transport
        var ipProtocol: UInt8
        var serverPort: UInt16
        /// The server side asked more than the client (a peer-to-peer protocol): the fold swaps roles.
        var swapped: Bool
    }

    struct Sum {
        var record: FlowRecord
        var fromClient = InlineArray<10, UInt64>(repeating: 0)
        var fromServer = InlineArray<10, UInt64>(repeating: 0)
        var messages: UInt64 = 0
        var transfers: [Operation: [Timestamp]] = [:]
        var counted = false
    }

    var sums: [Key: Sum] = [:]

    /// Adds one flow; false when full (fold, then add again).
    mutating func add(_ flow: FlowRecord) -> Bool {
        let operations = flow.application == nil ? nil : flow.operations
        var swapped = false
        if let operations {
            swapped = operations.fromServer.values.reduce(0, &+) > operations.fromClient.values.reduce(0, &+)
        }
        let key = Key(
            client: flow.client.address, server: flow.server.address, application: flow.application,
            transport: flow.transport, ipProtocol: flow.ipProtocol,
            serverPort: flow.application == nil ? flow.server.port : 0, swapped: swapped)
        // One hash of the key for a flow of a known key (nearly all): the sum changes in place.
        if let index = sums.index(forKey: key) {
            Self.merge(flow, operations, into: &sums.values[index])
            return true
        }
        guard sums.count < Self.capacity else { return false }
        var sum = Sum(record: Self.empty(flow))
        Self.merge(flow, operations, into: &sum)
        sums[key] = sum
        return true
    }

    private static func merge(_ flow: FlowRecord, _ operations: FlowOperations?, into sum: inout Sum) {
        sum.record.firstSeen = min(sum.record.firstSeen, flow.firstSeen)
        sum.record.lastSeen = max(sum.record.lastSeen, flow.lastSeen)
        sum.record.packetsToServer &+= flow.packetsToServer
        sum.record.packetsToClient &+= flow.packetsToClient
        sum.record.bytesToServer &+= flow.bytesToServer
        sum.record.bytesToClient &+= flow.bytesToClient
        guard let operations else { return }
        sum.counted = true
        sum.messages &+= operations.messages
        for (operation, n) in operations.fromClient { sum.fromClient[operation.index] &+= n }
        for (operation, n) in operations.fromServer { sum.fromServer[operation.index] &+= n }
        for (operation, span) in operations.transfers {
            guard let first = span.first, let last = span.last, first <= last else { continue }
            let known = sum.transfers[operation]
            sum.transfers[operation] = [min(known?.first ?? first, first), max(known?.last ?? last, last)]
        }
    }

    /// The summed flows as records the fold takes, and the table emptied.
    mutating func take() -> [FlowRecord] {
        defer { sums.removeAll(keepingCapacity: true) }
        return sums.values.map { sum in
            var record = sum.record
            guard sum.counted else { return record }
            var operations = FlowOperations()
            operations.messages = sum.messages
            for (slot, operation) in Operation.allCases.enumerated() {
                if sum.fromClient[slot] > 0 { operations.fromClient[operation] = sum.fromClient[slot] }
                if sum.fromServer[slot] > 0 { operations.fromServer[operation] = sum.fromServer[slot] }
            }
            operations.transfers = sum.transfers
            record.operations = operations
            return record
        }
    }

    /// A record that stands for every flow of its key: the first flow's endpoints, nothing counted.
    private static func empty(_ flow: FlowRecord) -> FlowRecord {
        var record = flow
        record.packetsToServer = 0
        record.packetsToClient = 0
        record.bytesToServer = 0
        record.bytesToClient = 0
        record.operations = nil
        return record
    }
}

extension InventoryBuilder {
    /// Folds the flows summed so far into hosts and edges.
    func foldPendingFlows() {
        for record in pendingFlows.take() { fold(record) }
    }
}
