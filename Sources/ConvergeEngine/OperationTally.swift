import ConvergeModel

/// One flow's application messages counted by operation for the inventory's feed: fixed-size,
/// no allocation per message.
struct OperationTally {
    // Fields in the order a message reads them (the count, the samples check, the operation), so
    // that most messages touch one cache line of the flow's tally.
    var messages: UInt32 = 0
    /// Per sender (the flow's client, its server): the `FactSamples.generation` in which that
    /// sender's fact samples for the flow's protocol were found used up; 0 = not known.
    var samplesUsedUp: (fromClient: UInt32, fromServer: UInt32) = (0, 0)
    var fromClient = InlineArray<10, UInt32>(repeating: 0)
    var fromServer = InlineArray<10, UInt32>(repeating: 0)
    /// First and last program / firmware request (ns; 0 = none).
    var programFirst: Int64 = 0
    var programLast: Int64 = 0
    var firmwareFirst: Int64 = 0
    var firmwareLast: Int64 = 0

    @inline(__always)
    func samplesUsedUp(fromClient: Bool, generation: UInt32) -> Bool {
        (fromClient ? samplesUsedUp.fromClient : samplesUsedUp.fromServer) == generation
    }

    @inline(__always)
    mutating func noteSamplesUsedUp(fromClient: Bool, generation: UInt32) {
        if fromClient { samplesUsedUp.fromClient = generation } else { samplesUsedUp.fromServer = generation }
    }

    static let operations: [Operation] = [
        .read, .write, .control, .program, .firmware, .diagnostic, .discovery, .session, .auth, .other,
    ]

    @inline(__always)
    mutating func request(_ operation: Operation, fromClient: Bool, time: Timestamp) {
        let slot = operation.index
        if fromClient { self.fromClient[slot] &+= 1 } else { fromServer[slot] &+= 1 }
        if operation == .program {
            if programFirst == 0 { programFirst = time.nanoseconds }
            programLast = time.nanoseconds
        } else if operation == .firmware {
            if firmwareFirst == 0 { firmwareFirst = time.nanoseconds }
            firmwareLast = time.nanoseconds
        }
    }

    /// What the flow record carries; nil when nothing was counted.
    var record: FlowOperations? {
        guard messages > 0 else { return nil }
        var out = FlowOperations()
        out.messages = UInt64(messages)
        // Each table made at its final size at once (a growing one is made again at 2 and at 4).
        var clientCount = 0
        var serverCount = 0
        for slot in Self.operations.indices {
            if fromClient[slot] > 0 { clientCount &+= 1 }
            if fromServer[slot] > 0 { serverCount &+= 1 }
        }
        if clientCount > 0 { out.fromClient = Dictionary(minimumCapacity: clientCount) }
        if serverCount > 0 { out.fromServer = Dictionary(minimumCapacity: serverCount) }
        for (slot, operation) in Self.operations.enumerated() {
            if fromClient[slot] > 0 { out.fromClient[operation] = UInt64(fromClient[slot]) }
            if fromServer[slot] > 0 { out.fromServer[operation] = UInt64(fromServer[slot]) }
        }
        if programFirst != 0 {
            out.transfers[.program] = [Timestamp(nanoseconds: programFirst), Timestamp(nanoseconds: programLast)]
        }
        if firmwareFirst != 0 {
            out.transfers[.firmware] = [Timestamp(nanoseconds: firmwareFirst), Timestamp(nanoseconds: firmwareLast)]
        }
        return out
    }
}
