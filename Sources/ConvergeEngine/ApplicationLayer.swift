import ConvergeModel
import ConvergeProtocols
import ConvergeWire

/// Picks a dissector for each new flow (port hint, then the dissector's probe), keeps each flow's
/// stream reassembly and dissector state in pools indexed from the flow table, and counts messages.
///
/// Dispatch is a `switch` over `AppProtocol` calling each dissector's static functions, so no
/// existential call happens per packet (DESIGN.md, "Performance by design").
struct ApplicationLayer {
    /// Per flow that has a candidate or confirmed application protocol.
    struct FlowApp {
        var app: AppProtocol
        var confirmed = false
        var toServer = TCPStream()
        var toClient = TCPStream()
        /// Index into the protocol's own state pool.
        var stateIndex: Int32 = -1
    }

    var eventSink: ((Message) -> Void)?
    private var tcpHints = [UInt8](repeating: 0, count: 65_536)
    private var udpHints = [UInt8](repeating: 0, count: 65_536)
    private var apps = Pool<FlowApp>()
    private var modbus = Pool<ModbusTCP.State>()
    private var counters = [ProtocolCounters](repeating: ProtocolCounters(), count: 256)
    private var reassembly = ReassemblyBudget()
    private(set) var malformed: UInt64 = 0

    init() {
        for entry in Registry.entries {
            for port in entry.portHints.tcp where tcpHints[Int(port)] == 0 { tcpHints[Int(port)] = entry.id.rawValue }
            for port in entry.portHints.udp where udpHints[Int(port)] == 0 { udpHints[Int(port)] = entry.id.rawValue }
        }
    }

    mutating func flowStarted(slot: Int, packet: borrowing DecodedPacket, flows: FlowTable) {
        let flow = flows.flow(at: slot)
        let hints: [UInt8]
        switch packet.transport {
        case .tcp: hints = tcpHints
        case .udp: hints = udpHints
        default: return
        }
        let candidate = hints[Int(flow.server.port)] != 0 ? hints[Int(flow.server.port)] : hints[Int(flow.client.port)]
        guard candidate != 0, let app = AppProtocol(rawValue: candidate) else { return }
        var state = FlowApp(app: app)
        switch app {
        case .modbus: state.stateIndex = modbus.insert(ModbusTCP.makeState())
        }
        let index = apps.insert(state)
        flows.setApplication(app.rawValue, state: index, at: slot)
    }

    mutating func handle(
        slot: Int, packet: borrowing DecodedPacket, payload: Span<UInt8>, direction: Direction,
        time: Timestamp, flows: FlowTable
    ) {
        let flow = flows.flow(at: slot)
        guard flow.application != 0, flow.appState >= 0 else { return }
        let index = flow.appState
        if packet.transport == .tcp {
            var stream = direction == .toServer ? apps[index].toServer : apps[index].toClient
            
            if direction == .toServer { apps[index].toServer = stream } else { apps[index].toClient = stream }
        } else if payload.count > 0 {
            _ = dissect(payload, app: index, direction: direction, time: time, slot: slot, flows: flows)
        }
    }

    /// Feeds in-order bytes to the flow's dissector; returns how many it used (the rest, a partial
    /// message, stays buffered in the stream).
    private mutating func dissect(
        _ bytes: Span<UInt8>, app index: Int32, direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) -> Int {
        switch apps[index].app {
        case .modbus:
            return run(ModbusTCP.self, bytes, app: index, states: &modbus, direction: direction, time: time, slot: slot, flows: flows)
        }
    }

    private mutating func run<D: Dissector>(
        _ dissector: D.Type, _ bytes: Span<UInt8>, app index: Int32, states: inout Pool<D.State>,
        direction: Direction, time: Timestamp, slot: Int, flows: FlowTable
    ) -> Int {
        let stateIndex = apps[index].stateIndex
        if !apps[index].confirmed {
            switch D.probe(bytes, direction: direction) {
            case .needMore: return 0
            case .reject:
                release(slot: slot, flows: flows)
                return bytes.count
            case .match: apps[index].confirmed = true
            }
        }
        let protocolID = Int(apps[index].app.rawValue)
        var used = 0
        while used < bytes.count {
            let rest = bytes.extracting(used..<bytes.count)
            do {
                let (message, consumed) = try D.parse(rest, direction: direction, time: time, state: &states[stateIndex])
                guard consumed > 0 else { break }
                counters[protocolID].count(function: message.hasFunction ? message.functionCode : nil)
                if let eventSink {
                    let flow = flows.flow(at: slot)
                    let context = MessageContext(
                        time: time, flowID: flow.id, client: flow.client, server: flow.server, direction: direction)
                    eventSink(D.event(message, bytes: rest.extracting(0..<min(consumed, rest.count)), context: context, state: &states[stateIndex]))
                }
                used &+= consumed
            } catch {
                switch error {
                case .needMore: return used
                case .malformed:
                    // Framing is lost: drop what is buffered and pick up again at a later segment.
                    malformed &+= 1
                    return bytes.count
                }
            }
        }
        return used
    }

    func applicationName(slot: Int, flows: FlowTable) -> String? {
        let flow = flows.flow(at: slot)
        guard flow.application != 0, flow.appState >= 0, apps[flow.appState].confirmed else { return nil }
        return AppProtocol(rawValue: flow.application)?.name
    }

    mutating func flowEnded(slot: Int, flows: FlowTable) {
        release(slot: slot, flows: flows)
    }

    private mutating func release(slot: Int, flows: FlowTable) {
        let flow = flows.flow(at: slot)
        guard flow.appState >= 0 else { return }
        let app = apps[flow.appState]
        switch app.app {
        case .modbus: modbus.remove(app.stateIndex)
        }
        apps.remove(flow.appState)
        flows.setApplication(0, state: -1, at: slot)
    }

    func fill(_ summary: inout AnalysisSummary) {
        for entry in Registry.entries {
            let c = counters[Int(entry.id.rawValue)]
            guard c.messages > 0 else { continue }
            var functions: [String: UInt64] = [:]
            for (code, n) in c.functions { functions[String(code)] = n }
            summary.protocols[entry.name] = .init(messages: c.messages, functions: functions)
        }
        summary.health.malformedMessages = malformed
    }
}

/// A slab of values addressed by `Int32` with a free list, so per-flow state is reused instead of
/// reallocated and flows can refer to it by a plain integer.
struct Pool<Element> {
    private var items: [Element] = []
    private var free: [Int32] = []

    mutating func insert(_ value: Element) -> Int32 {
        if let index = free.popLast() {
            items[Int(index)] = value
            return index
        }
        items.append(value)
        return Int32(truncatingIfNeeded: items.count &- 1)
    }

    mutating func remove(_ index: Int32) {
        free.append(index)
    }

    subscript(index: Int32) -> Element {
        get { items[Int(index)] }
        _modify { yield &items[Int(index)] }
    }
}
