/// A conversation's summary, emitted when it ends, times out, is evicted or is flushed at the end.
public struct FlowRecord: Sendable, Codable, Hashable {
    public var id: UInt64
    public var transport: Transport
    /// The IP protocol number (differs from `transport` only for `.other`).
    public var ipProtocol: UInt8
    public var vlan: UInt16
    public var client: Endpoint
    public var server: Endpoint
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var packetsToServer: UInt64
    public var packetsToClient: UInt64
    public var bytesToServer: UInt64
    public var bytesToClient: UInt64
    /// The application protocol a dissector claimed the flow for, if any.
    public var application: String?
    /// TCP: the state reached ("syn_sent", "established", "closed", "reset", "midstream" …).
    public var tcpState: String?
    /// Why the record was emitted: "end", "idle", "active", "evicted", "fin", "rst".
    public var endReason: String
    /// The application messages of the flow counted by operation, when the analysis counts them for
    /// the inventory (`Analyzer.inventorySink`) instead of building an event for each; else nil.
    public var operations: FlowOperations? = nil

    public init(
        id: UInt64, transport: Transport, ipProtocol: UInt8, vlan: UInt16, client: Endpoint,
        server: Endpoint, firstSeen: Timestamp, lastSeen: Timestamp, packetsToServer: UInt64,
        packetsToClient: UInt64, bytesToServer: UInt64, bytesToClient: UInt64,
        application: String?, tcpState: String?, endReason: String
    ) {
        self.id = id
        self.transport = transport
        self.ipProtocol = ipProtocol
        self.vlan = vlan
        self.client = client
        self.server = server
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.packetsToServer = packetsToServer
        self.packetsToClient = packetsToClient
        self.bytesToServer = bytesToServer
        self.bytesToClient = bytesToClient
        self.application = application
        self.tcpState = tcpState
        self.endReason = endReason
    }
}

/// A flow's application messages as the inventory needs them: how many, the requests each side sent
/// by operation (on a peer-to-peer protocol the flow's server asks too), and when program and
/// firmware requests began and ended.
public struct FlowOperations: Sendable, Codable, Hashable {
    public var messages: UInt64 = 0
    public var fromClient: [Operation: UInt64] = [:]
    public var fromServer: [Operation: UInt64] = [:]
    /// `program` / `firmware` → [first, last] request time.
    public var transfers: [Operation: [Timestamp]] = [:]

    public init() {}
}
