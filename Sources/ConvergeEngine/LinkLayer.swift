import ConvergeModel
import ConvergeProtocols
import ConvergeWire

/// Frames that belong to no flow (ARP, LLDP, CDP, STP, PROFINET, GOOSE, SV): one message a frame, counted and turned into
/// events here; the ARP bindings of the whole capture are kept here too, since they belong to the
/// broadcast domain rather than to any conversation, and so is each GOOSE publisher's stNum/sqNum
/// sequence.
final class LinkLayer {
    /// Counter slots, one per link protocol, in the order of `names`.
    enum Slot: Int, CaseIterable {
        case arp, lldp, cdp, stp, profinet, goose, sv
    }
    static let names: [Slot: String] = [
        .arp: ARP.name, .lldp: LLDP.name, .cdp: CDP.name, .stp: STP.name, .profinet: PROFINET.name,
        .goose: GOOSE.name, .sv: SV.name,
    ]

    var eventSink: ((Event) -> Void)?
    /// The packet being handled, stamped on its events.
    var frame = FrameReference()
    private let counters = ProtocolCounters()
    private var bindings = ARP.Bindings()
    /// Each GOOSE publisher's last stNum/sqNum (bounded, least recently seen evicted).
    private var gooseSequences = GOOSE.SequenceTable()
    /// PROFINET cyclic frames per (source MAC, destination MAC); pairs beyond `maxPairs` are only
    /// counted in `pairsDropped`, so forged addresses cannot grow the table.
    private var cyclicPairs: [CyclicPair: UInt64] = [:]
    private var pairsDropped: UInt64 = 0
    static let maxPairs = 16_384
    static let maxListedPairs = 100

    private struct CyclicPair: Hashable {
        var source: UInt64
        var destination: UInt64
        var frameID: UInt16
    }
    /// Facts already reported: switches repeat their LLDP/CDP/STP frames every few seconds with the
    /// same identity, which would otherwise repeat every fact each time.
    private var reported = Set<FactKey>()
    static let maxRememberedFacts = 65_536

    private struct FactKey: Hashable {
        var mac: String?
        var address: IPAddress
        var kind: AssetFact.Kind
        var value: String
    }
    private(set) var malformed: UInt64 = 0

    /// One non-IP frame, as decoded; `frame` holds the bytes the decoder's offsets point into.
    func handle(_ packet: borrowing DecodedPacket, frame: Span<UInt8>, time: Timestamp) {
        let payload = frame.extracting(clamped(packet.payloadOffset, packet.payloadLength, frame.count))
        switch packet.network {
        case .arp: arp(packet, payload, time)
        case .other:
            let type = packet.etherType
            if PROFINET.claims(etherType: type, payload: payload) {
                if let frame = dissect(PROFINET.self, slot: .profinet, packet, payload, time),
                    frame.functionCode == PROFINET.Function.cyclic
                {
                    countCyclic(source: packet.sourceMAC, destination: packet.destinationMAC, frameID: frame.frameID)
                }
            } else if LLDP.claims(etherType: type, payload: payload) {
                dissect(LLDP.self, slot: .lldp, packet, payload, time)
            } else if CDP.claims(etherType: type, payload: payload) {
                dissect(CDP.self, slot: .cdp, packet, payload, time)
            } else if STP.claims(etherType: type, payload: payload) {
                dissect(STP.self, slot: .stp, packet, payload, time)
            } else if GOOSE.claims(etherType: type, payload: payload) {
                goose(packet, payload, time)
            } else if SV.claims(etherType: type, payload: payload) {
                dissect(SV.self, slot: .sv, packet, payload, time)
            }
        default: break
        }
    }

    /// A frame one of the stateless link dissectors claimed: counted, and its event and facts
    /// handed on when something consumes them. Returns the parsed frame (nil when malformed).
    @discardableResult
    private func dissect<D: LinkDissector>(
        _ dissector: D.Type, slot: Slot, _ packet: borrowing DecodedPacket, _ payload: Span<UInt8>, _ time: Timestamp
    ) -> D.Parsed? {
        let parsed: D.Parsed
        do {
            parsed = try D.parse(payload)
        } catch {
            malformed &+= 1
            return nil
        }
        guard parsed.isMessage else { return parsed }
        counters.count(slot.rawValue, function: parsed.hasFunction ? parsed.functionCode : nil)
        guard let eventSink else { return parsed }
        let context = LinkContext(
            time: time, sourceMAC: packet.sourceMAC, destinationMAC: packet.destinationMAC, vlan: packet.vlan)
        var event = D.event(parsed, payload: payload, context: context)
        event.stamp(frame)
        eventSink(.message(event))
        for fact in D.facts(parsed, payload: payload, context: context) where isNew(fact) {
            eventSink(.assetFact(fact))
        }
        return parsed
    }

    private func countCyclic(source: UInt64, destination: UInt64, frameID: UInt16) {
        let pair = CyclicPair(source: source, destination: destination, frameID: frameID)
        if let frames = cyclicPairs[pair] {
            cyclicPairs[pair] = frames &+ 1
        } else if cyclicPairs.count < Self.maxPairs {
            cyclicPairs[pair] = 1
        } else {
            pairsDropped &+= 1
        }
    }

    /// Whether the fact says something not reported before (bounded: when the memory is full it
    /// starts over, repeating facts rather than growing).
    private func isNew(_ fact: AssetFact) -> Bool {
        let key = FactKey(mac: fact.mac, address: fact.address, kind: fact.kind, value: fact.value)
        if reported.contains(key) { return false }
        if reported.count >= Self.maxRememberedFacts { reported.removeAll(keepingCapacity: true) }
        reported.insert(key)
        return true
    }

    /// GOOSE keeps per-publisher state: every frame goes through the sequence check (state
    /// changes, sqNum gaps, stNum regressions, replays), whether or not events are consumed.
    private func goose(_ packet: borrowing DecodedPacket, _ payload: Span<UInt8>, _ time: Timestamp) {
        let pdu: GOOSE.PDU
        do {
            pdu = try GOOSE.parse(payload)
        } catch {
            malformed &+= 1
            return
        }
        counters.count(Slot.goose.rawValue, function: pdu.hasFunction ? pdu.functionCode : nil)
        let findings = gooseSequences.observe(pdu, payload: payload, sourceMAC: packet.sourceMAC)
        guard let eventSink else { return }
        let context = LinkContext(
            time: time, sourceMAC: packet.sourceMAC, destinationMAC: packet.destinationMAC, vlan: packet.vlan)
        var message = GOOSE.event(pdu, payload: payload, context: context)
        GOOSE.apply(findings, to: &message)
        message.stamp(self.frame)
        eventSink(.message(message))
        for fact in GOOSE.facts(pdu, payload: payload, context: context) where isNew(fact) {
            eventSink(.assetFact(fact))
        }
    }

    private func arp(_ packet: borrowing DecodedPacket, _ payload: Span<UInt8>, _ time: Timestamp) {
        let frame: ARP.Frame
        do {
            frame = try ARP.parse(payload)
        } catch {
            malformed &+= 1
            return
        }
        counters.count(Slot.arp.rawValue, function: frame.functionCode)
        let change =
            frame.isIPv4OverEthernet ? bindings.observe(ip: frame.senderIP, mac: frame.senderMAC) : .same
        guard let eventSink else { return }
        var message = ARP.event(
            frame, change: change, time: time, sourceMAC: packet.sourceMAC, destinationMAC: packet.destinationMAC)
        message.stamp(self.frame)
        eventSink(.message(message))
        for fact in ARP.facts(frame, change: change, time: time) { eventSink(.assetFact(fact)) }
    }

    func fill(_ summary: inout AnalysisSummary) {
        for slot in Slot.allCases {
            let messages = counters.messages(slot.rawValue)
            guard messages > 0, let name = Self.names[slot] else { continue }
            var functions: [String: UInt64] = [:]
            for (code, n) in counters.functions(slot.rawValue) { functions[String(code)] = n }
            summary.protocols[name] = .init(messages: messages, functions: functions)
        }
        summary.health.malformedMessages &+= malformed
        let busiest = cyclicPairs.sorted { ($0.value, $1.key.source) > ($1.value, $0.key.source) }
        summary.linkConversations = busiest.prefix(Self.maxListedPairs).map {
            .init(
                proto: "profinet_rt", source: MACAddress.text($0.key.source),
                destination: MACAddress.text($0.key.destination), frameID: Int($0.key.frameID), frames: $0.value)
        }
        summary.linkConversationsNotListed = UInt64(max(busiest.count - Self.maxListedPairs, 0)) &+ pairsDropped
    }
}
