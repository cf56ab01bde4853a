import ConvergeModel
import ConvergeProtocols
import ConvergeWire

/// Picks a dissector for each new flow (port hint, then the dissector's probe), keeps each flow's
/// stream reassembly and dissector state in pools indexed from the flow table, and counts messages.
///
/// Dispatch is a `switch` over `AppProtocol` calling each dissector's static functions, so no
/// existential call happens per packet (DESIGN.md, "Performance by design"). A class held in a
/// `let`: its `let` pools are then reached without the retain and release a struct's would cost
/// around every call that could reassign the struct (each delivery closure could).
final class ApplicationLayer {
    /// Per flow that has a candidate or confirmed application protocol. Plain scalars ordered to
    /// pack into 16 bytes: trivially copyable, so reading a field through `apps` never copies or
    /// retains anything (the flow's TCP streams, which hold buffers, sit beside it in its record).
    struct FlowApp {
        var app: AppProtocol
        var confirmed = false
        /// The protocol's port is the flow's client port (the device at the service port opened
        /// the connection, or the handshake was missed): the dissector's roles are the flow's,
        /// swapped, so that requests are what goes to the service port.
        var reversed = false
        /// The probe said this flow is not the protocol: its state is released once the current
        /// delivery has returned (not during it, while its stream is being read).
        var rejected = false
        /// Deliveries the probe turned down so far.
        var probeRejects: UInt8 = 0
        var transport: Transport = .tcp
        /// Set by a probe that said no when another protocol shares the port hint.
        var switchTo: AppProtocol?
        /// Per direction (`Direction.rawValue`): the stream lost bytes, so the next delivery starts
        /// mid-message and the dissector must find a boundary first.
        var lostSync: (Bool, Bool) = (false, false)
        /// The port that offered the flow to `app`, so the next protocol hinted by the same port can
        /// be tried when this one's probe says no (S7comm and S7comm-plus share TCP 102).
        var hintPort: UInt16 = 0
        /// Index into the protocol's own state pool.
        var stateIndex: Int32 = -1

        init(app: AppProtocol) { self.app = app }

        func isLost(_ d: Direction) -> Bool { d == .toServer ? lostSync.0 : lostSync.1 }
        mutating func setLost(_ d: Direction, _ value: Bool) {
            if d == .toServer { lostSync.0 = value } else { lostSync.1 = value }
        }
        /// Whether `run` must look before parsing: a direction that lost sync, or no probe yet.
        func needsBegin(_ d: Direction) -> Bool { !confirmed || isLost(d) }
    }

    /// Deliveries a probe may turn down before the flow is given up as not this protocol.
    static let maxProbeRejects: UInt8 = 4
    /// Counters of sub-functions (CIP inside EtherNet/IP) sit at this offset from their protocol's.
    static let subCounterBase = 128
    var eventSink: ((Event) -> Void)?
    /// The packet being handled (capture index, frame number), stamped on the events it completes.
    var frame = FrameReference()
    /// The inventory's feed (`Analyzer.inventorySink`): messages are counted by operation per flow
    /// (`operations(slot:flows:)`) and only their asset facts are built, handed here.
    var factSink: ((AssetFact) -> Void)?
    /// Detection's feed beside `factSink` (`Analyzer.messageSink`): each message's event only.
    var messageSink: ((Message) -> Void)?
    /// The message feed's gate (`Analyzer.messageVerdict`): shapes of message no detector acts on
    /// are not built. Nil: every message is.
    var feedGate: FeedGate? {
        didSet { feedGateRef = feedGate.map(Unmanaged.passUnretained) }
    }
    /// `feedGate` again, as the per-message path reads it: through a strong reference, every
    /// message would retain and release the gate (`feedGate` keeps it alive).
    private var feedGateRef: Unmanaged<FeedGate>?
    /// Per `AppProtocol.rawValue`: which of `messageSink`'s events need their targets
    /// (`Analyzer.messageTargets`); all unless told otherwise.
    private var feedTargets = [TargetNeed](repeating: .all, count: 256)

    /// Which events on the message feed need targets, asked by the names their events carry
    /// (`Dissector.eventProtocols`): a protocol needs what any of its names does.
    func setMessageTargets(_ need: (String) -> TargetNeed) {
        for entry in Registry.entries {
            feedTargets[Int(entry.proto.rawValue)] = entry.eventProtocols.reduce(TargetNeed.none) { $0.union(need($1)) }
        }
    }
    /// How many messages of each sender and protocol had their facts built (`IdentityHint.sample`).
    private let factSamples = FactSamples()
    private var tcpHints = [UInt8](repeating: 0, count: 65_536)
    private var udpHints = [UInt8](repeating: 0, count: 65_536)
    /// A port's place in its protocol's hint list (0 first): when both ends of a flow hint at the
    /// same protocol (DHCP 67/68, DHCPv6 547/546), the earlier-listed port is the server's.
    private var tcpRanks = [UInt8](repeating: 0, count: 65_536)
    private var udpRanks = [UInt8](repeating: 0, count: 65_536)
    private let apps = FlowSessions()
    /// Per-protocol dissector state, in a class so a dissector can hold its state `inout` while
    /// this struct's counters change.
    private let states = DissectorStates()
    private let counters = ProtocolCounters()
    private let reassembly = TCPReassembly()
    private(set) var malformed: UInt64 = 0
    private(set) var streamGaps: UInt64 = 0

    init() {
        for entry in Registry.entries {
            for (rank, port) in entry.ports.tcp.enumerated() where tcpHints[Int(port)] == 0 {
                tcpHints[Int(port)] = entry.proto.rawValue
                tcpRanks[Int(port)] = UInt8(clamping: rank)
            }
            for (rank, port) in entry.ports.udp.enumerated() where udpHints[Int(port)] == 0 {
                udpHints[Int(port)] = entry.proto.rawValue
                udpRanks[Int(port)] = UInt8(clamping: rank)
            }
        }
    }

    func flowStarted(slot: Int, packet: borrowing DecodedPacket, flows: FlowTable) {
        guard let flow = flows.flow(at: slot) else { return }
        let hints: [UInt8]
        let ranks: [UInt8]
        switch packet.transport {
        case .tcp: (hints, ranks) = (tcpHints, tcpRanks)
        case .udp: (hints, ranks) = (udpHints, udpRanks)
        default: return
        }
        var byServerPort = hints[Int(flow.server.port)]
        let byClientPort = hints[Int(flow.client.port)]
        if byServerPort != 0, byServerPort == byClientPort, ranks[Int(flow.client.port)] < ranks[Int(flow.server.port)] {
            // Both ports belong to the protocol and the client's is its server port (a DHCP server
            // answering from 67 to 68): the roles are the flow's, swapped.
            byServerPort = 0
        }
        let candidate = byServerPort != 0 ? byServerPort : byClientPort
        guard candidate != 0, let app = AppProtocol(rawValue: candidate) else { return }
        var state = FlowApp(app: app)
        state.reversed = byServerPort == 0
        state.hintPort = byServerPort != 0 ? flow.server.port : flow.client.port
        state.transport = packet.transport
        state.stateIndex = states.insert(for: app)
        // The record comes with a fresh tally (`FlowSessions`), read only while `factSink` is set.
        let index = apps.insert(state)
        flows.setApplication(app.rawValue, state: index, at: slot)
    }

    func handle(
        slot: Int, packet: borrowing DecodedPacket, payload: Span<UInt8>, direction: Direction,
        time: Timestamp, flows: FlowTable
    ) {
        guard let index = flows.applicationState(at: slot) else { return }
        // The flow's record and streams are reached through their addresses, fetched once: nothing
        // inserts into `apps` while a packet is handled (only `flowStarted` does).
        let session = apps.app(index)
        if packet.transport == .tcp {
            let lanes = apps.lanes(index)
            let lane = Int(direction.rawValue)
            let flags = packet.tcpFlags
            if payload.count == 0 && flags & (DecodedPacket.syn | DecodedPacket.rst) == 0 {
                // A bare acknowledgment: nothing for the stream, only maybe news of a lost hole.
            } else if let start = lanes[lane].takeInOrder(
                sequence: packet.sequence, flags: flags, count: payload.count, shared: reassembly)
            {
                // In order with nothing held (nearly every segment): dissected in place, no closure.
                let bytes = payload.extracting(start..<payload.count)
                let used = dissect(bytes, app: index, direction: direction, time: time, slot: slot, flows: flows)
                if used < bytes.count, !session.pointee.rejected {
                    lanes[lane].keepUnconsumed(
                        bytes.extracting(max(used, 0)..<bytes.count), shared: reassembly)
                }
            } else {
                lanes[lane].receive(
                    sequence: packet.sequence, flags: flags, payload: payload, shared: reassembly
                ) { bytes, gap in
                    if gap > 0 { self.streamGap(index, direction) }
                    return self.dissect(bytes, app: index, direction: direction, time: time, slot: slot, flows: flows)
                }
            }
            let other = Int(direction.reversed.rawValue)
            if flags & DecodedPacket.ack != 0, lanes[other].isHolding, !session.pointee.rejected {
                // The peer acknowledging bytes we never saw means they were lost to the capture:
                // let the other direction skip its hole instead of waiting for it.
                lanes[other].peerAcknowledged(packet.acknowledgment, shared: reassembly) { bytes, gap in
                    if gap > 0 { self.streamGap(index, direction.reversed) }
                    return self.dissect(
                        bytes, app: index, direction: direction.reversed, time: time, slot: slot, flows: flows)
                }
            }
        } else if payload.count > 0 {
            _ = dissect(payload, app: index, direction: direction, time: time, slot: slot, flows: flows)
        }
        if session.pointee.rejected { release(slot: slot, flows: flows) }
    }

    /// The protocol after `app.app` in registry order whose port hints also hold the flow's hint port.
    private func nextCandidate(after app: FlowApp) -> AppProtocol? {
        let entries = Registry.entries
        guard let position = entries.firstIndex(where: { $0.proto == app.app }) else { return nil }
        return entries[(position + 1)...].first { entry in
            let ports = app.transport == .tcp ? entry.ports.tcp : entry.ports.udp
            return ports.contains(app.hintPort)
        }?.proto
    }

    /// A hole in the stream: the dissector's partial message is gone, it picks up again at the
    /// next message boundary it can find.
    private func streamGap(_ index: Int32, _ flowDirection: Direction) {
        streamGaps &+= 1
        guard apps.contains(index) else { return }
        apps[index].setLost(apps[index].reversed ? flowDirection.reversed : flowDirection, true)
    }

    /// Feeds in-order bytes to the flow's dissector; returns how many it used (the rest, a partial
    /// message, stays buffered in the stream).
    private func dissect(
        _ bytes: Span<UInt8>, app index: Int32, direction flowDirection: Direction, time: Timestamp, slot: Int,
        flows: FlowTable
    ) -> Int {
        let session = apps.app(index)
        // The probe may have rejected the flow earlier in this same delivery.
        guard !session.pointee.rejected else { return bytes.count }
        let direction = session.pointee.reversed ? flowDirection.reversed : flowDirection
        let stateIndex = session.pointee.stateIndex
        let used: Int
        // One case per protocol, so each dissector's code is specialised and no existential call
        // happens per packet; its state is reached through its address (the `run` below).
        switch session.pointee.app {
        case .modbus:
            used = run(ModbusTCP.self, .modbus, stateIndex, bytes, index, direction, time, slot, flows)
        case .iec104:
            used = run(IEC104.self, .iec104, stateIndex, bytes, index, direction, time, slot, flows)
        case .opcua:
            used = run(OPCUA.self, .opcua, stateIndex, bytes, index, direction, time, slot, flows)
        case .mqtt:
            used = run(MQTT.self, .mqtt, stateIndex, bytes, index, direction, time, slot, flows)
        case .dnp3:
            used = run(DNP3.self, .dnp3, stateIndex, bytes, index, direction, time, slot, flows)
        case .bacnet:
            used = run(BACnetIP.self, .bacnet, stateIndex, bytes, index, direction, time, slot, flows)
        case .enip:
            used = run(EtherNetIP.self, .enip, stateIndex, bytes, index, direction, time, slot, flows)
        case .enipIO:
            used = run(EtherNetIPIO.self, .enipIO, stateIndex, bytes, index, direction, time, slot, flows)
        case .s7comm:
            used = run(S7Comm.self, .s7comm, stateIndex, bytes, index, direction, time, slot, flows)
        case .s7commPlus:
            used = run(S7CommPlus.self, .s7commPlus, stateIndex, bytes, index, direction, time, slot, flows)
        case .tls:
            used = run(TLS.self, .tls, stateIndex, bytes, index, direction, time, slot, flows)
        case .ssh:
            used = run(SSH.self, .ssh, stateIndex, bytes, index, direction, time, slot, flows)
        case .http:
            used = run(HTTP.self, .http, stateIndex, bytes, index, direction, time, slot, flows)
        case .snmp:
            used = run(SNMP.self, .snmp, stateIndex, bytes, index, direction, time, slot, flows)
        case .ntp:
            used = run(NTP.self, .ntp, stateIndex, bytes, index, direction, time, slot, flows)
        case .smb:
            used = run(SMB.self, .smb, stateIndex, bytes, index, direction, time, slot, flows)
        case .rdp:
            used = run(RDP.self, .rdp, stateIndex, bytes, index, direction, time, slot, flows)
        case .ftp:
            used = run(FTP.self, .ftp, stateIndex, bytes, index, direction, time, slot, flows)
        case .telnet:
            used = run(Telnet.self, .telnet, stateIndex, bytes, index, direction, time, slot, flows)
        case .dns:
            used = run(DNS.self, .dns, stateIndex, bytes, index, direction, time, slot, flows)
        case .dnsTCP:
            used = run(DNSOverTCP.self, .dnsTCP, stateIndex, bytes, index, direction, time, slot, flows)
        case .mdns:
            used = run(MDNS.self, .mdns, stateIndex, bytes, index, direction, time, slot, flows)
        case .llmnr:
            used = run(LLMNR.self, .llmnr, stateIndex, bytes, index, direction, time, slot, flows)
        case .nbns:
            used = run(NetBIOSNS.self, .nbns, stateIndex, bytes, index, direction, time, slot, flows)
        case .nbdgm:
            used = run(NetBIOSDatagram.self, .nbdgm, stateIndex, bytes, index, direction, time, slot, flows)
        case .dhcp:
            used = run(DHCP.self, .dhcp, stateIndex, bytes, index, direction, time, slot, flows)
        case .dhcpv6:
            used = run(DHCPv6.self, .dhcpv6, stateIndex, bytes, index, direction, time, slot, flows)
        case .ssdp:
            used = run(SSDP.self, .ssdp, stateIndex, bytes, index, direction, time, slot, flows)
        case .kerberos:
            used = run(Kerberos.self, .kerberos, stateIndex, bytes, index, direction, time, slot, flows)
        case .kerberosTCP:
            used = run(KerberosOverTCP.self, .kerberosTCP, stateIndex, bytes, index, direction, time, slot, flows)
        case .ldap:
            used = run(LDAP.self, .ldap, stateIndex, bytes, index, direction, time, slot, flows)
        case .cldap:
            used = run(CLDAP.self, .cldap, stateIndex, bytes, index, direction, time, slot, flows)
        case .vnc:
            used = run(VNC.self, .vnc, stateIndex, bytes, index, direction, time, slot, flows)
        case .syslog:
            used = run(Syslog.self, .syslog, stateIndex, bytes, index, direction, time, slot, flows)
        case .syslogTCP:
            used = run(SyslogTCP.self, .syslogTCP, stateIndex, bytes, index, direction, time, slot, flows)
        case .radius:
            used = run(RADIUS.self, .radius, stateIndex, bytes, index, direction, time, slot, flows)
        case .tacacs:
            used = run(TACACS.self, .tacacs, stateIndex, bytes, index, direction, time, slot, flows)
        case .fins:
            used = run(FINS.self, .fins, stateIndex, bytes, index, direction, time, slot, flows)
        case .finsTCP:
            used = run(FINSTCP.self, .finsTCP, stateIndex, bytes, index, direction, time, slot, flows)
        case .melsec:
            used = run(MELSEC.self, .melsec, stateIndex, bytes, index, direction, time, slot, flows)
        case .melsecUDP:
            used = run(MELSECUDP.self, .melsecUDP, stateIndex, bytes, index, direction, time, slot, flows)
        case .ads:
            used = run(ADS.self, .ads, stateIndex, bytes, index, direction, time, slot, flows)
        case .adsUDP:
            used = run(ADSUDP.self, .adsUDP, stateIndex, bytes, index, direction, time, slot, flows)
        case .hartIP:
            used = run(HARTIP.self, .hartIP, stateIndex, bytes, index, direction, time, slot, flows)
        case .c37118:
            used = run(C37118.self, .c37118, stateIndex, bytes, index, direction, time, slot, flows)
        case .fox:
            used = run(Fox.self, .fox, stateIndex, bytes, index, direction, time, slot, flows)
        case .srtp:
            used = run(SRTP.self, .srtp, stateIndex, bytes, index, direction, time, slot, flows)
        case .tristation:
            used = run(TriStation.self, .tristation, stateIndex, bytes, index, direction, time, slot, flows)
        case .codesys:
            used = run(Codesys.self, .codesys, stateIndex, bytes, index, direction, time, slot, flows)
        case .codesysUDP:
            used = run(CodesysUDP.self, .codesysUDP, stateIndex, bytes, index, direction, time, slot, flows)
        case .mms:
            used = run(MMS.self, .mms, stateIndex, bytes, index, direction, time, slot, flows)
        case .pnioCM:
            used = run(PNIOCM.self, .pnioCM, stateIndex, bytes, index, direction, time, slot, flows)
        }
        if let next = session.pointee.switchTo {
            session.pointee.switchTo = nil
            states.remove(session.pointee.app, stateIndex)
            session.pointee.app = next
            session.pointee.stateIndex = states.insert(for: next)
            session.pointee.probeRejects = 0
            flows.setApplication(next.rawValue, state: index, at: slot)
            return dissect(bytes, app: index, direction: flowDirection, time: time, slot: slot, flows: flows)
        }
        return used
    }

    /// `run` on the state of `app` at `stateIndex`, reached through its address in one flat table
    /// (`DissectorStates.address`), not through the pool and slab objects: the pools live as long
    /// as this layer and nothing adds to them while a dissector runs, and an inout access through a
    /// pool's subscript would retain and release the pool on every delivery.
    @inline(__always)
    private func run<D: Dissector>(
        _ dissector: D.Type, _ app: AppProtocol, _ stateIndex: Int32, _ bytes: Span<UInt8>, _ index: Int32,
        _ direction: Direction, _ time: Timestamp, _ slot: Int, _ flows: FlowTable
    ) -> Int {
        run(D.self, bytes, app: index, state: &states.address(app, stateIndex).pointee, direction: direction,
            time: time, slot: slot, flows: flows)
    }

    private func run<D: Dissector>(
        _ dissector: D.Type, _ bytes: Span<UInt8>, app index: Int32, state: inout D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) -> Int {
        var used = 0
        if apps.app(index).pointee.needsBegin(direction) {
            let start = begin(D.self, bytes, app: index, direction: direction)
            guard start.proceed else { return start.used }
            used = start.used
        }
        if eventSink != nil {
            return runEmitting(
                D.self, bytes, from: used, app: index, state: &state, direction: direction, time: time, slot: slot,
                flows: flows)
        }
        if factSink != nil {
            return runTallying(
                D.self, bytes, from: used, app: index, state: &state, direction: direction, time: time, slot: slot,
                flows: flows)
        }
        return messages(
            D.self, bytes, from: used, app: index, state: &state, direction: direction, time: time, slot: slot,
            flows: flows, mode: .count)
    }

    /// What `messages` does with each message besides counting it.
    enum Mode {
        case count
        /// Count by operation per flow and hand on its facts (the inventory's feed).
        case tally
        /// Build its event, facts and process values.
        case emit
    }

    /// `run`'s loop for the inventory's feed. Out of line, so the counting-only loop stays small.
    @inline(never)
    private func runTallying<D: Dissector>(
        _ dissector: D.Type, _ bytes: Span<UInt8>, from start: Int, app index: Int32, state: inout D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) -> Int {
        messages(
            D.self, bytes, from: start, app: index, state: &state, direction: direction, time: time, slot: slot,
            flows: flows, mode: .tally)
    }

    /// `run`'s loop when something consumes events: each message is also turned into its event,
    /// facts and process values. Out of line, so the counting-only loop stays small.
    @inline(never)
    private func runEmitting<D: Dissector>(
        _ dissector: D.Type, _ bytes: Span<UInt8>, from start: Int, app index: Int32, state: inout D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) -> Int {
        messages(
            D.self, bytes, from: start, app: index, state: &state, direction: direction, time: time, slot: slot,
            flows: flows, mode: .emit)
    }

    /// Takes messages from `bytes` from `start` on, counting each. Always inlined with `mode` a
    /// constant: without events, only the function and length of the parsed message are read, so the
    /// compiler need not load the rest of what `parse` wrote.
    @inline(__always)
    private func messages<D: Dissector>(
        _ dissector: D.Type, _ bytes: Span<UInt8>, from start: Int, app index: Int32, state: inout D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable, mode: Mode
    ) -> Int {
        var used = start
        let protocolID = Int(apps[index].app.rawValue)
        while used < bytes.count {
            let rest = bytes.extracting(used..<bytes.count)
            do {
                let parsed = try D.parse(rest, direction: direction, time: time, state: &state)
                let consumed = parsed.consumed
                guard consumed > 0 else { break }
                if parsed.message.isMessage {
                    counters.count(protocolID, function: parsed.message.hasFunction ? parsed.message.functionCode : nil)
                    if D.subFunctionsName != nil {
                        D.forEachSubFunction(parsed.message, bytes: rest.extracting(0..<min(consumed, rest.count))) {
                            counters.count(Self.subCounterBase &+ protocolID, function: $0)
                        }
                    }
                    switch mode {
                    case .count: break
                    case .tally:
                        tally(D.self, parsed.message, rest.extracting(0..<min(consumed, rest.count)), app: index,
                              state: &state, direction: direction, time: time, slot: slot, flows: flows)
                    case .emit:
                        emit(D.self, parsed.message, rest.extracting(0..<min(consumed, rest.count)), app: index,
                             state: &state, direction: direction, time: time, slot: slot, flows: flows)
                    }
                }
                used &+= consumed
            } catch {
                switch error {
                case .needMore: return used
                case .malformed:
                    guard let next = recover(D.self, bytes, after: used, app: index, direction: direction) else {
                        return bytes.count
                    }
                    used = next
                }
            }
        }
        return used
    }

    /// Where `run` starts in `bytes`, or that it must stop (with how much it used): a lost stream
    /// looks for a message boundary first; an unconfirmed flow asks the probe.
    @inline(never)
    private func begin<D: Dissector>(
        _ dissector: D.Type, _ bytes: Span<UInt8>, app index: Int32, direction: Direction
    ) -> (proceed: Bool, used: Int) {
        var used = 0
        if apps[index].isLost(direction) {
            guard let start = D.resynchronize(bytes, direction: direction) else {
                // No boundary in sight: drop these bytes and look again in the next delivery.
                return (false, bytes.count)
            }
            apps[index].setLost(direction, false)
            used = start
        }
        if apps[index].confirmed { return (true, used) }
        switch D.probe(bytes.extracting(used..<bytes.count), direction: direction) {
        case .needMore: return (false, used)
        case .match:
            apps[index].confirmed = true
            return (true, used)
        case .reject:
            if used == 0, let next = nextCandidate(after: apps[index]) {
                // Another protocol shares this port hint: it gets the same bytes once this
                // dissector's state is no longer borrowed (see `dissect`).
                apps[index].switchTo = next
                return (false, 0)
            }
            // One bad segment (a fuzzed SYN carrying junk, a stray retransmission) must not hide a
            // real flow: drop it and look for a message boundary in the next delivery. After
            // `maxProbeRejects` the flow is given up.
            apps[index].probeRejects &+= 1
            if apps[index].probeRejects >= Self.maxProbeRejects {
                apps[index].rejected = true
            } else {
                apps[index].setLost(direction, true)
            }
            return (false, bytes.count)
        }
    }

    /// Framing is lost at `used`: the next message boundary past that byte, or nil when there is
    /// none (the stream waits for one in the next delivery).
    @inline(never)
    private func recover<D: Dissector>(
        _ dissector: D.Type, _ bytes: Span<UInt8>, after used: Int, app index: Int32, direction: Direction
    ) -> Int? {
        malformed &+= 1
        let after = bytes.extracting((used &+ 1)..<bytes.count)
        guard let skip = D.resynchronize(after, direction: direction) else {
            apps[index].setLost(direction, true)
            return nil
        }
        return used &+ 1 &+ skip
    }

    /// Builds and hands on the message's event, asset facts and process values (only when
    /// something consumes events: it allocates).
    @inline(never)
    private func emit<D: Dissector>(
        _ dissector: D.Type, _ message: D.Parsed, _ adu: Span<UInt8>, app index: Int32, state: inout D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) {
        guard let eventSink, let context = context(app: index, slot: slot, flows: flows, direction, time) else {
            return
        }
        var event = D.event(message, bytes: adu, context: context, state: &state)
        assertNamed(D.self, event)
        event.stamp(frame)
        eventSink(.message(event))
        for fact in D.facts(message, bytes: adu, context: context, state: state) { eventSink(.assetFact(fact)) }
        for value in D.processValues(message, event: event, bytes: adu, context: context, state: state) {
            eventSink(.processValue(value))
        }
    }

    /// Debug builds check the dissector's promise (`FeedKey`): a skipped message's event, built
    /// anyway on a copy of the flow's state, has the shape of the event its verdict was asked for.
    /// Tests run every capture through here.
    @inline(__always)
    private func assertSameShape<D: Dissector>(
        _ dissector: D.Type, _ message: D.Parsed, _ adu: Span<UInt8>, app index: Int32, state: D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable,
        gate: (flow: UInt64, tag: UInt64, unit: Int?)
    ) {
        #if DEBUG
            guard let context = context(app: index, slot: slot, flows: flows, direction, time) else { return }
            var copy = state
            let event = D.event(message, bytes: adu, context: context, state: &copy)
            feedGate?.noteShape(flow: gate.flow, tag: gate.tag, unit: gate.unit, event)
        #endif
    }

    /// Debug builds check each event's protocol is one the dissector names (`eventProtocols`); tests
    /// run every capture through here. A missing name would let the message feed skip targets a
    /// rule needs.
    @inline(__always)
    private func assertNamed<D: Dissector>(_ dissector: D.Type, _ event: Message) {
        assert(D.eventProtocols.contains(event.proto), "\(D.name) emitted a \(event.proto) event")
    }

    /// What a dissector's event and facts need to know of the message's flow, in the dissector's
    /// roles (a flow whose first packet came from the server is reversed).
    private func context(
        app index: Int32, slot: Int, flows: FlowTable, _ direction: Direction, _ time: Timestamp
    ) -> MessageContext? {
        guard let flow = flows.flow(at: slot) else { return nil }
        let reversed = apps[index].reversed
        return MessageContext(
            time: time, flowID: flow.id, client: reversed ? flow.server : flow.client,
            server: reversed ? flow.client : flow.server, direction: direction)
    }

    /// The message's event alone, for `messageSink` (it allocates: out of line); returns the
    /// operation it requests, as `Dissector.requestOperation` would.
    @inline(never)
    private func emitMessage<D: Dissector>(
        _ dissector: D.Type, _ message: D.Parsed, _ adu: Span<UInt8>, app index: Int32, state: inout D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) -> Operation? {
        var gate = (slot: -1, flow: UInt64(0), tag: UInt64(0), unit: Int?.none)
        // Where the shape's skip between these endpoints is kept (`FeedScope.endpoints`), if asked.
        var ends = (slot: -1, id: UInt64(0), skip: false)
        if let gateRef = feedGateRef, let key = D.feedKey(message, state: state) {
            let app = apps[index].app.rawValue
            let flow = flows.id(at: slot)
            gate = (FeedGate.slot(flow: flow, app: app, key: key), flow, FeedGate.tag(app: app, key: key), key.unit)
            var shapeFlow = flow
            let unbuilt = gateRef._withUnsafeGuaranteedRef { feedGate -> Bool in
                switch feedGate.verdict(slot: gate.slot, flow: flow, tag: gate.tag) {
                case .skip?:
                    feedGate.skipped &+= 1
                    return true
                case .count(let plan)?:
                    // A plan that is gone: this message is built below and its shape asked again.
                    return feedGate.count(
                        plan, FeedSighting(time: time, unit: key.unit, frame: frame.number, capture: frame.capture),
                        slot: gate.slot, flow: flow, tag: gate.tag)
                case .build?:
                    return false
                case nil:
                    // A new flow's shape: skipped if it is between endpoints where it was skipped before.
                    ends = endpointsSkip(
                        app: index, slot: slot, flows: flows, direction, time, gate: feedGate, key: key,
                        flowPlace: gate.slot, tag: gate.tag)
                    if ends.skip { shapeFlow = ends.id }
                    return ends.skip
                }
            }
            if unbuilt {
                assertSameShape(D.self, message, adu, app: index, state: state, direction: direction, time: time,
                                slot: slot, flows: flows, gate: (shapeFlow, gate.tag, key.unit))
                return D.requestOperation(message, bytes: adu, direction: direction, state: &state)
            }
        }
        guard let messageSink, var context = context(app: index, slot: slot, flows: flows, direction, time) else {
            return D.requestOperation(message, bytes: adu, direction: direction, state: &state)
        }
        context.targetNeed = feedTargets[Int(apps[index].app.rawValue)]
        var event = D.event(message, bytes: adu, context: context, state: &state)
        assertNamed(D.self, event)
        event.stamp(frame)
        messageSink(event)
        if gate.slot >= 0, let feedGate {
            feedGate.noteShape(flow: gate.flow, tag: gate.tag, unit: gate.unit, event)
            if feedGate.verdict(slot: gate.slot, flow: gate.flow, tag: gate.tag) == nil {
                let verdict = feedGate.gate.verdict(event)
                feedGate.record(slot: gate.slot, flow: gate.flow, tag: gate.tag, verdict)
                if verdict == .skip, ends.slot >= 0 {
                    feedGate.noteShape(flow: ends.id, tag: gate.tag, unit: gate.unit, event)
                    feedGate.record(slot: ends.slot, flow: ends.id, tag: gate.tag, verdict)
                }
            }
        }
        return D.requestOperation(of: event)
    }

    /// Where the gate keeps skips of this shape between the flow's endpoints (in the dissector's
    /// roles, as its event would name them), and whether it holds one: then the message is counted
    /// as skipped and the skip kept for the flow too (in `flowPlace`), so its next messages of the
    /// shape find it without hashing endpoints. No place when skips reach only their flow.
    @inline(never)
    private func endpointsSkip(
        app index: Int32, slot: Int, flows: FlowTable, _ direction: Direction, _ time: Timestamp, gate: FeedGate,
        key: FeedKey, flowPlace: Int, tag: UInt64
    ) -> (slot: Int, id: UInt64, skip: Bool) {
        guard case .endpoints(let clientPort) = gate.gate.skipScope,
            let context = context(app: index, slot: slot, flows: flows, direction, time)
        else { return (-1, 0, false) }
        let app = apps[index].app.rawValue
        let id = FeedGate.endpoints(client: context.client, server: context.server, app: app, clientPort: clientPort)
        let place = FeedGate.slot(flow: id, app: app, key: key)
        guard gate.verdict(slot: place, flow: id, tag: tag) == .skip else { return (place, id, false) }
        gate.skipped &+= 1
        gate.record(slot: flowPlace, flow: context.flowID, tag: tag, .skip)
        return (place, id, true)
    }

    /// One message for the inventory's feed: counted by operation on its flow; its facts built for
    /// a flow's first messages and whenever the dissector says it may name a device.
    @inline(__always)
    private func tally<D: Dissector>(
        _ dissector: D.Type, _ message: D.Parsed, _ adu: Span<UInt8>, app index: Int32, state: inout D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) {
        // The flow's tally, in its session record; its address is taken again after the message
        // feed has run (only `flowStarted` adds records, which may move them).
        apps.tally(index).pointee.messages &+= 1
        let flowDirection = apps[index].reversed ? direction.reversed : direction
        // The event, when detection wants it, is built once: building it pairs a response with its
        // request in the dissector's state, so the operation is read from it, not parsed again.
        let operation =
            messageSink != nil
            ? emitMessage(D.self, message, adu, app: index, state: &state, direction: direction, time: time, slot: slot,
                          flows: flows)
            : D.requestOperation(message, bytes: adu, direction: direction, state: &state)
        let fromClient = flowDirection == .toServer
        let tally = apps.tally(index)
        if let operation { tally.pointee.request(operation, fromClient: fromClient, time: time) }
        switch D.identityHint(message) {
        case .never: break
        case .always:
            facts(D.self, message, adu, app: index, state: state, direction: direction, time: time, slot: slot, flows: flows)
        case .sample:
            // The sender's samples ran out earlier in this flow: asking again would say no again.
            if !tally.pointee.samplesUsedUp(fromClient: fromClient, generation: factSamples.generation) {
                sample(D.self, message, adu, app: index, state: state, direction: direction, fromClient: fromClient,
                       time: time, slot: slot, flows: flows)
            }
        }
    }

    /// A message whose facts are sampled: built while its sender has samples left (`FactSamples`);
    /// once they are used up the flow remembers it. Out of line: rarely past the check above.
    @inline(never)
    private func sample<D: Dissector>(
        _ dissector: D.Type, _ message: D.Parsed, _ adu: Span<UInt8>, app index: Int32, state: D.State,
        direction: Direction, fromClient: Bool, time: Timestamp, slot: Int, flows: FlowTable
    ) {
        guard let flow = flows.flow(at: slot) else { return }
        let generation = factSamples.generation
        let sender = fromClient ? flow.client.address : flow.server.address
        if factSamples.take(sender, apps[index].app) {
            facts(
                D.self, message, adu, app: index, state: state, direction: direction, time: time, slot: slot,
                flows: flows)
        } else {
            apps.tally(index).pointee.noteSamplesUsedUp(fromClient: fromClient, generation: generation)
        }
    }

    @inline(never)
    private func facts<D: Dissector>(
        _ dissector: D.Type, _ message: D.Parsed, _ adu: Span<UInt8>, app index: Int32, state: D.State,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) {
        guard let factSink, let context = context(app: index, slot: slot, flows: flows, direction, time) else {
            return
        }
        for fact in D.facts(message, bytes: adu, context: context, state: state) { factSink(fact) }
    }

    /// The flow's operation counts since its last record (the inventory's feed), then reset.
    func operations(slot: Int, flows: FlowTable) -> FlowOperations? {
        // The state index alone (`applicationState`), not a copy of the whole flow.
        guard factSink != nil, let state = flows.applicationState(at: slot), apps.contains(state) else {
            return nil
        }
        // Counted in the flow's own roles (who opened it), as its record names them.
        let tally = apps.tally(state).pointee
        apps.tally(state).pointee = OperationTally()
        return tally.record
    }

    func applicationName(slot: Int, flows: FlowTable) -> String? {
        // The two fields alone, not a copy of the whole flow (this runs for every flow record).
        guard let flow = flows.application(at: slot), apps[flow.state].confirmed else { return nil }
        return AppProtocol(rawValue: flow.application)?.description
    }

    /// The flow is over: out-of-order data still held (a hole never filled) is handed to the
    /// dissector past the hole, then everything is released.
    func flowEnded(slot: Int, flows: FlowTable, time: Timestamp) {
        // The state index alone (`applicationState`), not a copy of the whole flow.
        if let index = flows.applicationState(at: slot), apps.contains(index) {
            for direction in [Direction.toServer, .toClient] where !apps[index].rejected {
                let lane = apps.lanes(index) + Int(direction.rawValue)
                guard lane.pointee.bufferedBytes > 0 else { continue }
                lane.pointee.finish(shared: reassembly) { bytes, gap in
                    if gap > 0 { self.streamGap(index, direction) }
                    return self.dissect(bytes, app: index, direction: direction, time: time, slot: slot, flows: flows)
                }
            }
        }
        release(slot: slot, flows: flows)
    }

    private func release(slot: Int, flows: FlowTable) {
        guard let index = flows.applicationState(at: slot), apps.contains(index) else { return }
        let lanes = apps.lanes(index)
        lanes[0].release(shared: reassembly)
        lanes[1].release(shared: reassembly)
        states.remove(apps[index].app, apps[index].stateIndex)
        apps.remove(index)
        flows.setApplication(0, state: -1, at: slot)
    }

    func fill(_ summary: inout AnalysisSummary) {
        for entry in Registry.entries {
            let slot = Int(entry.proto.rawValue)
            let messages = counters.messages(slot)
            guard messages > 0 else { continue }
            var functions: [String: UInt64] = [:]
            for (code, n) in counters.functions(slot) { functions[entry.proto.functionKey(code)] = n }
            summary.protocols[entry.name] = .init(messages: messages, functions: functions)
            let subSlot = Self.subCounterBase + slot
            let subMessages = counters.messages(subSlot)
            if let name = entry.subFunctionsName, subMessages > 0 {
                var subFunctions: [String: UInt64] = [:]
                for (code, n) in counters.functions(subSlot) { subFunctions[String(code)] = n }
                summary.protocols[name] = .init(messages: subMessages, functions: subFunctions)
            }
        }
        summary.health.malformedMessages = malformed
        summary.health.streamGaps = streamGaps
        let stream = reassembly.counters
        summary.health.streamBytesDropped = stream.gapBytes &+ stream.overflowBytes
    }
}

/// The state pools of every dissector, one per protocol. Adding a protocol: a pool here, a line in
/// `insert` and `remove`, and a line in `ApplicationLayer.dissect`.
final class DissectorStates {
    let modbus = Pool<ModbusTCP.State>()
    let iec104 = Pool<IEC104.State>()
    let opcua = Pool<OPCUA.State>()
    let mqtt = Pool<MQTT.State>()
    let dnp3 = Pool<DNP3.State>()
    let bacnet = Pool<BACnetIP.State>()
    let enip = Pool<EtherNetIP.State>()
    let enipIO = Pool<EtherNetIPIO.State>()
    let s7comm = Pool<S7Comm.State>()
    let s7commPlus = Pool<S7CommPlus.State>()
    let tls = Pool<TLS.State>()
    let ssh = Pool<SSH.State>()
    let http = Pool<HTTP.State>()
    let snmp = Pool<SNMP.State>()
    let ntp = Pool<NTP.State>()
    let smb = Pool<SMB.State>()
    let rdp = Pool<RDP.State>()
    let ftp = Pool<FTP.State>()
    let telnet = Pool<Telnet.State>()
    let dns = Pool<DNS.State>()
    let dnsTCP = Pool<DNS.State>()
    let mdns = Pool<DNS.State>()
    let llmnr = Pool<DNS.State>()
    let nbns = Pool<DNS.State>()
    let nbdgm = Pool<NetBIOSDatagram.State>()
    let dhcp = Pool<DHCP.State>()
    let dhcpv6 = Pool<DHCPv6.State>()
    let ssdp = Pool<SSDP.State>()
    let kerberos = Pool<Kerberos.State>()
    let kerberosTCP = Pool<Kerberos.State>()
    let ldap = Pool<LDAP.State>()
    let cldap = Pool<LDAP.State>()
    let vnc = Pool<VNC.State>()
    let syslog = Pool<Syslog.State>()
    let syslogTCP = Pool<Syslog.State>()
    let radius = Pool<RADIUS.State>()
    let tacacs = Pool<TACACS.State>()
    let fins = Pool<FINS.State>()
    let finsTCP = Pool<FINS.State>()
    let melsec = Pool<MELSEC.State>()
    let melsecUDP = Pool<MELSEC.State>()
    let ads = Pool<ADS.State>()
    let adsUDP = Pool<ADSUDP.State>()
    let hartIP = Pool<HARTIP.State>()
    let c37118 = Pool<C37118.State>()
    let fox = Pool<Fox.State>()
    let srtp = Pool<SRTP.State>()
    let tristation = Pool<TriStation.State>()
    let codesys = Pool<Codesys.State>()
    let codesysUDP = Pool<Codesys.State>()
    let mms = Pool<MMS.State>()
    let pnioCM = Pool<PNIOCM.State>()

    /// Per `AppProtocol.rawValue`: where that protocol's pool keeps its states, refreshed after
    /// every insert (the only thing that moves them).
    private let storages: UnsafeMutablePointer<PoolStorage> = {
        let table = UnsafeMutablePointer<PoolStorage>.allocate(capacity: 256)
        table.initialize(repeating: PoolStorage(), count: 256)
        return table
    }()

    deinit {
        storages.deallocate()
    }

    /// The address of `app`'s state at `index`: one load from a flat table instead of a walk
    /// through the pool and slab objects. A bad index or a state type that is not the pool's
    /// stops the program rather than reading outside the pool.
    @inline(__always)
    func address<State>(_ app: AppProtocol, _ index: Int32) -> UnsafeMutablePointer<State> {
        let storage = storages[Int(app.rawValue)]
        let i = Int(index)
        guard i >= 0, i < storage.count, storage.stride == MemoryLayout<State>.stride, let base = storage.base else {
            preconditionFailure("dissector state index out of range")
        }
        return base.assumingMemoryBound(to: State.self) + i
    }

    /// Puts a fresh state in the pool and notes where the pool's states now are.
    private func insert<State>(_ state: State, into pool: Pool<State>, for app: AppProtocol) -> Int32 {
        let index = pool.insert(state)
        storages[Int(app.rawValue)] = pool.storage
        return index
    }

    func insert(for app: AppProtocol) -> Int32 {
        switch app {
        case .modbus: insert(ModbusTCP.makeState(), into: modbus, for: app)
        case .iec104: insert(IEC104.makeState(), into: iec104, for: app)
        case .opcua: insert(OPCUA.makeState(), into: opcua, for: app)
        case .mqtt: insert(MQTT.makeState(), into: mqtt, for: app)
        case .dnp3: insert(DNP3.makeState(), into: dnp3, for: app)
        case .bacnet: insert(BACnetIP.makeState(), into: bacnet, for: app)
        case .enip: insert(EtherNetIP.makeState(), into: enip, for: app)
        case .enipIO: insert(EtherNetIPIO.makeState(), into: enipIO, for: app)
        case .s7comm: insert(S7Comm.makeState(), into: s7comm, for: app)
        case .s7commPlus: insert(S7CommPlus.makeState(), into: s7commPlus, for: app)
        case .tls: insert(TLS.makeState(), into: tls, for: app)
        case .ssh: insert(SSH.makeState(), into: ssh, for: app)
        case .http: insert(HTTP.makeState(), into: http, for: app)
        case .snmp: insert(SNMP.makeState(), into: snmp, for: app)
        case .ntp: insert(NTP.makeState(), into: ntp, for: app)
        case .smb: insert(SMB.makeState(), into: smb, for: app)
        case .rdp: insert(RDP.makeState(), into: rdp, for: app)
        case .ftp: insert(FTP.makeState(), into: ftp, for: app)
        case .telnet: insert(Telnet.makeState(), into: telnet, for: app)
        case .dns: insert(DNS.makeState(), into: dns, for: app)
        case .dnsTCP: insert(DNSOverTCP.makeState(), into: dnsTCP, for: app)
        case .mdns: insert(MDNS.makeState(), into: mdns, for: app)
        case .llmnr: insert(LLMNR.makeState(), into: llmnr, for: app)
        case .nbns: insert(NetBIOSNS.makeState(), into: nbns, for: app)
        case .nbdgm: insert(NetBIOSDatagram.makeState(), into: nbdgm, for: app)
        case .dhcp: insert(DHCP.makeState(), into: dhcp, for: app)
        case .dhcpv6: insert(DHCPv6.makeState(), into: dhcpv6, for: app)
        case .ssdp: insert(SSDP.makeState(), into: ssdp, for: app)
        case .kerberos: insert(Kerberos.makeState(), into: kerberos, for: app)
        case .kerberosTCP: insert(KerberosOverTCP.makeState(), into: kerberosTCP, for: app)
        case .ldap: insert(LDAP.makeState(), into: ldap, for: app)
        case .cldap: insert(CLDAP.makeState(), into: cldap, for: app)
        case .vnc: insert(VNC.makeState(), into: vnc, for: app)
        case .syslog: insert(Syslog.makeState(), into: syslog, for: app)
        case .syslogTCP: insert(SyslogTCP.makeState(), into: syslogTCP, for: app)
        case .radius: insert(RADIUS.makeState(), into: radius, for: app)
        case .tacacs: insert(TACACS.makeState(), into: tacacs, for: app)
        case .fins: insert(FINS.makeState(), into: fins, for: app)
        case .finsTCP: insert(FINSTCP.makeState(), into: finsTCP, for: app)
        case .melsec: insert(MELSEC.makeState(), into: melsec, for: app)
        case .melsecUDP: insert(MELSECUDP.makeState(), into: melsecUDP, for: app)
        case .ads: insert(ADS.makeState(), into: ads, for: app)
        case .adsUDP: insert(ADSUDP.makeState(), into: adsUDP, for: app)
        case .hartIP: insert(HARTIP.makeState(), into: hartIP, for: app)
        case .c37118: insert(C37118.makeState(), into: c37118, for: app)
        case .fox: insert(Fox.makeState(), into: fox, for: app)
        case .srtp: insert(SRTP.makeState(), into: srtp, for: app)
        case .tristation: insert(TriStation.makeState(), into: tristation, for: app)
        case .codesys: insert(Codesys.makeState(), into: codesys, for: app)
        case .codesysUDP: insert(CodesysUDP.makeState(), into: codesysUDP, for: app)
        case .mms: insert(MMS.makeState(), into: mms, for: app)
        case .pnioCM: insert(PNIOCM.makeState(), into: pnioCM, for: app)
        }
    }

    func remove(_ app: AppProtocol, _ index: Int32) {
        switch app {
        case .modbus: modbus.remove(index)
        case .iec104: iec104.remove(index)
        case .opcua: opcua.remove(index)
        case .mqtt: mqtt.remove(index)
        case .dnp3: dnp3.remove(index)
        case .bacnet: bacnet.remove(index)
        case .enip: enip.remove(index)
        case .enipIO: enipIO.remove(index)
        case .s7comm: s7comm.remove(index)
        case .s7commPlus: s7commPlus.remove(index)
        case .tls: tls.remove(index)
        case .ssh: ssh.remove(index)
        case .http: http.remove(index)
        case .snmp: snmp.remove(index)
        case .ntp: ntp.remove(index)
        case .smb: smb.remove(index)
        case .rdp: rdp.remove(index)
        case .ftp: ftp.remove(index)
        case .telnet: telnet.remove(index)
        case .dns: dns.remove(index)
        case .dnsTCP: dnsTCP.remove(index)
        case .mdns: mdns.remove(index)
        case .llmnr: llmnr.remove(index)
        case .nbns: nbns.remove(index)
        case .nbdgm: nbdgm.remove(index)
        case .dhcp: dhcp.remove(index)
        case .dhcpv6: dhcpv6.remove(index)
        case .ssdp: ssdp.remove(index)
        case .kerberos: kerberos.remove(index)
        case .kerberosTCP: kerberosTCP.remove(index)
        case .ldap: ldap.remove(index)
        case .cldap: cldap.remove(index)
        case .vnc: vnc.remove(index)
        case .syslog: syslog.remove(index)
        case .syslogTCP: syslogTCP.remove(index)
        case .radius: radius.remove(index)
        case .tacacs: tacacs.remove(index)
        case .fins: fins.remove(index)
        case .finsTCP: finsTCP.remove(index)
        case .melsec: melsec.remove(index)
        case .melsecUDP: melsecUDP.remove(index)
        case .ads: ads.remove(index)
        case .adsUDP: adsUDP.remove(index)
        case .hartIP: hartIP.remove(index)
        case .c37118: c37118.remove(index)
        case .fox: fox.remove(index)
        case .srtp: srtp.remove(index)
        case .tristation: tristation.remove(index)
        case .codesys: codesys.remove(index)
        case .codesysUDP: codesysUDP.remove(index)
        case .mms: mms.remove(index)
        case .pnioCM: pnioCM.remove(index)
        }
    }
}
