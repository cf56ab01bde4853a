import ConvergeModel
import ConvergeProtocols

/// Why a flow record was emitted (`FlowRecord.endReason`).
enum FlowEndReason {
    case end, idle, active, evicted, fin, rst, reuse

    var name: String {
        switch self {
        case .end: "end"
        case .idle: "idle"
        case .active: "active"
        case .evicted: "evicted"
        case .fin: "fin"
        case .rst: "rst"
        case .reuse: "reuse"
        }
    }
}

/// Creating, updating and ending flows.
extension FlowTable {
    func create(key: FlowKey, hash: UInt64, sourceIsA: Bool, transport: Transport, flags: UInt8, sequence: UInt32,
                now: Int64) -> Int {
        if counters.active >= capacity { evictOne() }
        let slot = allocateSlot()
        var state = TCPState.none
        var clientIsA: Bool
        var bits: UInt8 = 0
        var isn: UInt32 = 0
        if transport == .tcp && flags & TCPFlags.syn != 0 {
            // SYN alone comes from the client, SYN+ACK from the server.
            let fromClient = flags & TCPFlags.ack == 0
            clientIsA = fromClient == sourceIsA
            state = fromClient ? .synSent : .synReceived
            if fromClient {
                isn = sequence
                bits |= Flow.Bits.hasISN
            }
        } else {
            clientIsA = sourceIsA
            if let aIsServer = ServicePorts.aIsServer(portA: key.portA, portB: key.portB) {
                clientIsA = !aIsServer
            }
            if transport == .tcp { state = .midstream }
        }
        if clientIsA { bits |= Flow.Bits.clientIsA }
        let timeoutClass = TimeoutClass.of(transport: transport, state: state).rawValue
        (flows + slot).initialize(to: Flow(
            key: key, bits: bits, transport: transport, tcpState: state, timeoutClass: timeoutClass,
            application: 0, appState: -1, id: nextID, first: now, last: now, activeSince: now,
            packetsToServer: 0, packetsToClient: 0, bytesToServer: 0, bytesToClient: 0,
            lruPrev: FlowTable.nil32, lruNext: FlowTable.nil32, clientISN: isn))
        nextID &+= idStride
        insertIntoIndex(slot: slot, hash: hash)
        linkAtHead(slot, timeoutClass)
        counters.active &+= 1
        switch transport {
        case .tcp: counters.createdTCP &+= 1
        case .udp: counters.createdUDP &+= 1
        case .icmp, .icmpv6: counters.createdICMP &+= 1
        case .other: counters.createdOther &+= 1
        }
        return slot
    }

    /// Counts the packet, advances the TCP state and moves the flow to the head of its idle list.
    @inline(__always)
    func update(slot: Int, sourceIsA: Bool, flags: UInt8, sequence: UInt32, wireLength: Int, now: Int64)
        -> Direction {
        let flow = flows + slot
        let fromClient = sourceIsA == flow.pointee.clientIsA
        let bytes = UInt64(truncatingIfNeeded: max(wireLength, 0))
        if fromClient {
            flow.pointee.packetsToServer &+= 1
            flow.pointee.bytesToServer &+= bytes
        } else {
            flow.pointee.packetsToClient &+= 1
            flow.pointee.bytesToClient &+= bytes
        }
        if now > flow.pointee.last { flow.pointee.last = now }
        if now < flow.pointee.first { flow.pointee.first = now }
        let oldClass = flow.pointee.timeoutClass
        var newClass = oldClass
        if flow.pointee.transport == .tcp {
            advanceTCP(flow, flags: flags, fromClient: fromClient, fromA: sourceIsA, sequence: sequence)
            newClass = TimeoutClass.of(transport: .tcp, state: flow.pointee.tcpState).rawValue
        }
        if newClass == oldClass {
            touch(slot, oldClass)
        } else {
            unlink(slot, oldClass)
            flow.pointee.timeoutClass = newClass
            linkAtHead(slot, newClass)
        }
        return fromClient ? .toServer : .toClient
    }

    /// The passive TCP state machine: RST wins; FINs are remembered per side; the handshake moves
    /// syn_sent → syn_received → established, and any non-SYN ACK completes a handshake whose
    /// middle step the capture missed.
    @inline(__always)
    func advanceTCP(_ flow: UnsafeMutablePointer<Flow>, flags: UInt8, fromClient: Bool, fromA: Bool,
                    sequence: UInt32) {
        var state = flow.pointee.tcpState
        if state == .reset { return }
        if flags & TCPFlags.rst != 0 {
            flow.pointee.tcpState = .reset
            return
        }
        let syn = flags & TCPFlags.syn != 0, ack = flags & TCPFlags.ack != 0
        switch state {
        case .synSent:
            if syn && ack && !fromClient {
                state = .synReceived
            } else if !syn && ack {
                state = .established
            } else if syn && !ack && fromClient && flow.pointee.bits & Flow.Bits.hasISN == 0 {
                flow.pointee.clientISN = sequence
                flow.pointee.bits |= Flow.Bits.hasISN
            }
        case .synReceived:
            if !syn && ack { state = .established }
        default:
            break
        }
        if flags & TCPFlags.fin != 0 {
            flow.pointee.bits |= fromA ? Flow.Bits.finFromA : Flow.Bits.finFromB
        }
        let fins = flow.pointee.bits & (Flow.Bits.finFromA | Flow.Bits.finFromB)
        if fins == Flow.Bits.finFromA | Flow.Bits.finFromB {
            state = .closed
        } else if fins != 0 {
            state = .closing
        }
        flow.pointee.tcpState = state
    }

    /// Whether a SYN without ACK on an existing TCP flow opens a new connection on the same ports:
    /// when the client's initial sequence number is known, a different one (a retransmitted SYN
    /// keeps it); otherwise when the old flow is closed or reset.
    @inline(__always)
    func startsNewConnection(_ flow: UnsafeMutablePointer<Flow>, fromA: Bool, sequence: UInt32) -> Bool {
        guard flow.pointee.transport == .tcp else { return false }
        if flow.pointee.bits & Flow.Bits.hasISN != 0 {
            return fromA != flow.pointee.clientIsA || sequence != flow.pointee.clientISN
        }
        return flow.pointee.tcpState.isFinished
    }

    /// Emits the final record, then frees the slot: the record and `flow(at:)` are valid during
    /// the callback.
    func end(slot: Int, reason: FlowEndReason) {
        let record = makeRecord(slot: slot, reason: reason)
        onRecord(record, slot, true)
        let flow = flows[slot]
        removeFromIndex(slot: slot, hash: flow.key.hash(seed: seed))
        unlink(slot, flow.timeoutClass)
        releaseSlot(slot)
        counters.active &-= 1
        switch reason {
        case .end: counters.flushed &+= 1
        case .idle: counters.idleTimeouts &+= 1
        case .evicted: counters.evicted &+= 1
        case .fin, .rst, .reuse: counters.closed &+= 1
        case .active: break
        }
    }

    func emitInterim(slot: Int, now: Int64) {
        onRecord(makeRecord(slot: slot, reason: .active), slot, false)
        flows[slot].activeSince = now
        counters.interimRecords &+= 1
    }

    /// Makes room at capacity: a lingering closed TCP flow if there is one (its record says fin/rst,
    /// nothing is lost), else the least recently active flow of the other lists (counted as evicted).
    func evictOne() {
        let closedTail = tail(TimeoutClass.tcpClosed.rawValue)
        if closedTail != FlowTable.nil32 {
            let slot = Int(closedTail)
            end(slot: slot, reason: flows[slot].tcpState == .reset ? .rst : .fin)
            return
        }
        var victim = -1
        var oldest = Int64.max
        for timeoutClass in [TimeoutClass.tcpOpen, .udp, .other] {
            let t = tail(timeoutClass.rawValue)
            if t != FlowTable.nil32 && flows[Int(t)].last <= oldest {
                oldest = flows[Int(t)].last
                victim = Int(t)
            }
        }
        if victim >= 0 { end(slot: victim, reason: .evicted) }
    }

    /// Ends flows idle past their class's timeout, stalest first, at most `limit` in this run.
    func runExpiry(limit: Int) {
        var budget = limit
        var rotations = 0
        for timeoutClass in TimeoutClass.allCases {
            let c = timeoutClass.rawValue
            let timeout = idleTimeouts[Int(c)]
            while budget > 0 {
                let t = tail(c)
                if t == FlowTable.nil32 { break }
                let slot = Int(t)
                let last = flows[slot].last
                if clock &- last <= timeout {
                    // A tail stamped ahead of packet time (a bad timestamp, or time stepping back)
                    // must not shield the flows in front of it: rotate it to the head, once each.
                    guard last > clock, rotations < counters.active else { break }
                    rotations &+= 1
                    budget &-= 1
                    unlink(slot, c)
                    linkAtHead(slot, c)
                    continue
                }
                let reason: FlowEndReason = timeoutClass != .tcpClosed ? .idle
                    : flows[slot].tcpState == .reset ? .rst : .fin
                end(slot: slot, reason: reason)
                budget &-= 1
            }
        }
        nextExpiryCheck = budget > 0 ? clock &+ expiryInterval : clock
    }

    func makeRecord(slot: Int, reason: FlowEndReason) -> FlowRecord {
        let flow = flows[slot]
        return FlowRecord(
            id: flow.id, transport: flow.transport, ipProtocol: flow.key.ipProtocol, vlan: flow.key.vlan,
            client: flow.client, server: flow.server, firstSeen: flow.firstSeen, lastSeen: flow.lastSeen,
            packetsToServer: flow.packetsToServer, packetsToClient: flow.packetsToClient,
            bytesToServer: flow.bytesToServer, bytesToClient: flow.bytesToClient,
            application: flow.application == 0 ? nil : applicationName(flow.application),
            tcpState: flow.transport == .tcp ? flow.tcpState.name : nil, endReason: reason.name)
    }
}
