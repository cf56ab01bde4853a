import ConvergeCapture
import ConvergeModel
import ConvergeProtocols
import ConvergeWire

/// The packet path of DESIGN.md for one run: capture → decode → (defragment) → flows →
/// application layer, folding what it sees into an `AnalysisSummary`.
///
/// One analyzer owns all its state and runs on one thread; DESIGN's multi-core plan shards flows
/// across several of these.
public final class Analyzer {
    public let options: AnalysisOptions
    /// Receives each flow's record as it ends (and every open flow at the end of the run).
    public var flowSink: ((FlowRecord) -> Void)?
    /// Receives every application message as a normalised event, with the asset facts and process
    /// values it carries; building them costs allocations, so it is off unless set.
    public var eventSink: ((Event) -> Void)? {
        didSet {
            applications.eventSink = eventSink
            links.eventSink = eventSink
        }
    }

    /// The asset inventory's feed, cheaper than `eventSink`: asset facts and link-layer messages
    /// as events, application messages only counted by operation on their flow's record
    /// (`FlowRecord.operations`, with the records handed to `flowSink`). Ignored while `eventSink`
    /// is set.
    public var inventorySink: ((Event) -> Void)? {
        didSet {
            guard eventSink == nil else { return }
            let sink = inventorySink
            applications.factSink = sink.map { sink in { sink(.assetFact($0)) } }
            links.eventSink = sink
        }
    }
    /// Application messages as events beside the inventory's feed, for detection: each message is
    /// built (not its facts, which go to `inventorySink`, nor its process values, which nothing
    /// there reads). Ignored while `eventSink` is set, which already carries every message.
    public var messageSink: ((Message) -> Void)? {
        didSet {
            guard eventSink == nil else { return }
            applications.messageSink = messageSink
        }
    }
    /// Which messages on `messageSink` need their targets, asked per `Message.proto` name; the
    /// others may arrive with none, which saves building them. Nil: all do.
    public var messageTargets: ((String) -> TargetNeed)? {
        didSet { applications.setMessageTargets(messageTargets ?? { _ in .all }) }
    }
    /// The message feed's gate: asked once per flow and shape of message (`FeedKey`: protocol,
    /// function, direction, operation and kind of status, no anomaly) what its readers need of
    /// such messages (`FeedVerdict`); the shapes they skip or only count are not built at all.
    /// Nil: every message is built.
    public var messageGate: MessageGate? {
        didSet { applications.feedGate = messageGate.map(FeedGate.init) }
    }
    /// Messages the gate kept from being built: skipped, and counted (`messageGate`).
    public var messagesSkipped: UInt64 { applications.feedGate?.skipped ?? 0 }
    public var messagesCounted: UInt64 { applications.feedGate?.counted ?? 0 }
    /// Facts from outside the dissectors (passive OS hints, Ethernet sightings) go to whichever
    /// consumer is set.
    private var factConsumer: ((Event) -> Void)? { eventSink ?? inventorySink }

    var summary = AnalysisSummary()
    var decodeIssues = [UInt64](repeating: 0, count: 256)
    var fragments: IPReassembler
    let applications = ApplicationLayer()
    let links = LinkLayer()
    let fingerprints = HostFingerprints()
    let sightings = HostSightings()
    var talkers = TopTalkers()
    /// A `let`, so the hot path reads it without retaining it (a `var` class reference is
    /// copied, and retained, at every use).
    let flows: FlowTable
    var paths: [String] = []
    var packetsSinceExpiry = 0

    public init(options: AnalysisOptions = AnalysisOptions()) {
        self.options = options
        self.fragments = IPReassembler()
        // The table reports ended flows back to this analyzer, which does not exist yet while the
        // table is made: the callback reaches it through a box filled in below.
        let owner = AnalyzerBox()
        self.flows = FlowTable(limits: options.flowLimits) { record, slot, isFinal in
            owner.analyzer?.flowRecorded(record, slot: slot, isFinal: isFinal)
        }
        flows.applicationName = { AppProtocol(rawValue: $0)?.description }
        owner.analyzer = self
    }

    /// Reads every input in time order and returns the summary. Damaged inputs are reported in the
    /// summary's `errors` after everything read before the damage has been analysed.
    public func run(paths: [String], progress: ProgressHandler? = nil) -> AnalysisSummary {
        self.paths = paths
        summary.files = paths
        let captures = CaptureSet(paths: paths)
        let total = captures.totalBytes
        var nextProgress: UInt64 = 0
        let captureErrors = captures.forEachPacket { header, bytes in
            self.process(header, bytes)
            if let progress, self.summary.packets >= nextProgress {
                nextProgress = self.summary.packets &+ 65_536
                progress(captures.bytesRead, total, self.summary.packets)
            }
        }
        finish(captureErrors: captureErrors)
        progress?(captures.bytesRead, total, summary.packets)
        return summary
    }

    func process(_ header: borrowing PacketHeader, _ bytes: Span<UInt8>) {
        let time = header.timestamp
        summary.packets &+= 1
        summary.bytes &+= UInt64(truncatingIfNeeded: header.originalLength)
        summary.capturedBytes &+= UInt64(truncatingIfNeeded: header.capturedLength)
        if summary.firstTs == nil { summary.firstTs = time.seconds }
        lastTime = max(lastTime, time)
        if eventSink != nil || inventorySink != nil {
            let frame = FrameReference(capture: header.fileIndex, number: header.record)
            applications.frame = frame
            links.frame = frame
        }

        // A local, not a stored property: a class property passed on as `borrowing` is copied first
        // (the callee could reach it through `self`), a ~250-byte memmove per call per packet.
        var decoded = DecodedPacket()
        if let issue = PacketDecoder.decode(bytes, linkType: header.linkType, into: &decoded) {
            // A packet whose headers are broken makes no flow (as in Wireshark's conversation
            // tables): its ports cannot be trusted. It is counted and listed instead.
            noteDecodeIssue(issue, header)
            return
        }
        guard decoded.network == .ipv4 || decoded.network == .ipv6 else {
            if options.dissect { links.handle(decoded, frame: bytes, time: time) }
            return
        }

        if decoded.isFragment {
            let data = bytes.extracting(clamped(decoded.payloadOffset, decoded.payloadLength, bytes.count))
            guard let datagram = fragments.add(decoded, data: data, time: time) else { return }
            var whole = decoded
            whole.isFragment = false
            if let issue = PacketDecoder.decodeTransport(datagram.span, ipProtocol: decoded.ipProtocol, into: &whole) {
                noteDecodeIssue(issue, header)
                return
            }
            track(header, whole, payload: datagram.span, time: time)
            return
        }
        if decoded.tcpFlags & DecodedPacket.syn != 0, decoded.transport == .tcp, let eventSink = factConsumer,
            options.dissect
        {
            for fact in fingerprints.facts(bytes, packet: decoded, time: time) { eventSink(.assetFact(fact)) }
        }
        track(header, decoded, payload: bytes, time: time)
    }

    /// Runs the flow and application stages; `frame` holds the bytes `decoded`'s offsets point into.
    private func track(
        _ header: borrowing PacketHeader, _ decoded: borrowing DecodedPacket, payload frame: Span<UInt8>, time: Timestamp
    ) {
        guard let update = flows.track(decoded, wireLength: header.originalLength, time: time) else { return }
        if update.isNew {
            if options.dissect { applications.flowStarted(slot: update.slot, packet: decoded, flows: flows) }
            if let sink = factConsumer {
                for fact in sightings.facts(decoded, time: time) { sink(.assetFact(fact)) }
            }
        }
        let payload = frame.extracting(clamped(decoded.payloadOffset, decoded.payloadLength, frame.count))
        applications.handle(
            slot: update.slot, packet: decoded, payload: payload, direction: update.direction, time: time,
            flows: flows)
        packetsSinceExpiry &+= 1
        if packetsSinceExpiry >= 4096 {
            packetsSinceExpiry = 0
            fragments.expire(now: time)
        }
    }

    var lastTime = Timestamp.zero

    private func noteDecodeIssue(_ issue: DecodeIssue, _ header: borrowing PacketHeader) {
        decodeIssues[Int(issue.rawValue)] &+= 1
        listProblem(header, reason: issue.reason)
    }

    func listProblem(_ header: borrowing PacketHeader, reason: String) {
        guard summary.errors.count < options.maxListedProblems else {
            summary.errorsNotListed &+= 1
            return
        }
        let file = header.fileIndex < paths.count ? paths[header.fileIndex] : "?"
        summary.errors.append(.init(kind: .packet, file: file, record: header.record, offset: header.offset, reason: reason))
    }

    /// A flow's record: final when the flow ended (its slot is about to be freed), interim when
    /// an active timeout reports a long flow that goes on.
    fileprivate func flowRecorded(_ record: FlowRecord, slot: Int, isFinal: Bool) {
        var record = record
        record.application = applications.applicationName(slot: slot, flows: flows)
        record.operations = applications.operations(slot: slot, flows: flows)
        if isFinal {
            applications.flowEnded(slot: slot, flows: flows, time: record.lastSeen)
            talkers.add(record)
        }
        flowSink?(record)
    }

    private func finish(captureErrors: [CaptureError]) {
        flows.flushAll()
        if summary.packets > 0 { summary.lastTs = lastTime.seconds }
        let fileErrors = captureErrors.map {
            AnalysisSummary.Problem(kind: .file, file: $0.file, record: $0.record, offset: $0.offset, reason: $0.reason)
        }
        summary.errors = fileErrors + summary.errors
        for (raw, count) in decodeIssues.enumerated() where count > 0 {
            if let issue = DecodeIssue(rawValue: UInt8(raw)) { summary.decodeErrors[snakeCase(String(describing: issue))] = count }
        }
        let counters = flows.counters
        summary.flows = .init(
            tcp: counters.createdTCP, udp: counters.createdUDP, other: counters.createdICMP &+ counters.createdOther)
        summary.health.flowsEvicted = counters.evicted
        summary.health.flowsTimedOut = counters.idleTimeouts
        let f = fragments.stats
        summary.health.fragmentsReassembled = UInt64(f.completed)
        summary.health.fragmentsTimedOut = UInt64(f.timedOut)
        summary.health.fragmentOverlaps = UInt64(f.overlaps)
        summary.health.fragmentsDropped = UInt64(f.dropped)
        applications.fill(&summary)
        links.fill(&summary)
        summary.topTalkers = talkers.top(options.topTalkers).map {
            .init(address: $0.address.description, packets: $0.tally.packets, bytes: $0.tally.bytes)
        }
    }
}

/// `truncatedIP` → `truncated_ip`: enum case names as JSON keys.
func snakeCase(_ name: String) -> String {
    var out = ""
    var previousWasUpper = false
    for (i, c) in name.enumerated() {
        if c.isUppercase {
            if i > 0 && !previousWasUpper { out.append("_") }
            out += c.lowercased()
            previousWasUpper = true
        } else {
            if previousWasUpper, out.count > 1, let last = out.last, i > 1 {
                // "IPVersion" → "ip_version": the last capital of a run starts the next word.
                let upperRun = out.dropLast()
                if upperRun.last != "_" { out = String(upperRun) + "_" + String(last) }
            }
            out.append(c)
            previousWasUpper = false
        }
    }
    return out
}

/// `offset..<offset+length` clamped into `0..<count`, so a decoder bug can never make a slice trap.
@inline(__always)
func clamped(_ offset: Int, _ length: Int, _ count: Int) -> Range<Int> {
    let start = min(max(offset, 0), count)
    let end = min(max(start &+ max(length, 0), start), count)
    return start..<end
}

/// Lets the flow table's callback reach the analyzer that owns the table without a retain cycle.
private final class AnalyzerBox {
    weak var analyzer: Analyzer?
}
