import ConvergeModel

extension DNP3 {
    /// The transport function (IEEE 1815 clause 8): one header byte per link frame, FIN (0x80),
    /// FIR (0x40) and a 6-bit sequence that counts 0…63 and wraps to 0. A fragment is the data of
    /// a FIR segment and the segments that follow it in sequence, up to one with FIN.
    public enum Transport {
        public static let finBit: UInt8 = 0x80
        public static let firBit: UInt8 = 0x40
        public static let sequenceMask: UInt8 = 0x3f
        /// Segments one fragment may take: Wireshark's limit (its `al_max_fragments`). The spec's
        /// default fragment is 2048 bytes (9 segments), but devices may configure far more.
        public static let maxSegmentsPerFragment = 60
        /// Application bytes one full segment carries: 250 user data bytes less the transport header.
        public static let maxSegmentPayload = 249
        /// The largest application fragment kept; a longer one is dropped as an anomaly
        /// (Suricata's "too long reassembly" tests send 65 full segments without FIN).
        public static let maxFragmentLength = maxSegmentsPerFragment * maxSegmentPayload
        /// Buffer reserved per direction on the first fragment: the spec's default fragment size.
        static let initialCapacity = 2048

        /// The next sequence number after `sequence`, wrapping 63 → 0.
        public static func next(_ sequence: UInt8) -> UInt8 { (sequence &+ 1) & sequenceMask }

        /// Adds one frame's transport segment to the direction's reassembly; on FIN with a whole
        /// fragment in hand, parses the application header into `frame`.
        static func receive(_ frameBytes: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
            guard let control = frameBytes.byte(at: Link.headerLength) else { return }
            frame.hasTransport = true
            frame.transportControl = control
            let sequence = control & sequenceMask
            let link = frame.link
            let completed = state.withReassembly(frame.direction) { lane -> Bool in
                if control & firBit != 0 {
                    if lane.inProgress { frame.anomalies.insert(.fragmentAbandoned) }
                    lane.start(sequence: sequence, source: link.source, destination: link.destination)
                } else if !lane.inProgress {
                    // A segment without its FIR (the capture started mid-fragment, or the FIR was
                    // lost or dropped): nothing to add it to.
                    frame.anomalies.insert(.transportSequence)
                    return false
                } else if sequence == lane.lastSequence {
                    // A repeat of the previous segment is discarded (IEEE 1815 8.2.1.2).
                    frame.anomalies.insert(.duplicateSegment)
                    return false
                } else if sequence != next(lane.lastSequence) || link.source != lane.source
                    || link.destination != lane.destination
                {
                    frame.anomalies.insert(.transportSequence)
                    lane.reset()
                    return false
                } else {
                    lane.lastSequence = sequence
                }
                var tooLong = false
                var skipHeader = true
                Link.forEachBlock(frameBytes) { block in
                    let data = skipHeader ? block.extracting(1..<block.count) : block
                    skipHeader = false
                    if !lane.append(data) { tooLong = true }
                }
                if tooLong {
                    frame.anomalies.insert(.fragmentTooLong)
                    lane.reset()
                    return false
                }
                guard control & finBit != 0 else { return false }
                lane.complete()
                return true
            }
            guard completed else { return }
            // The fragment is moved out while it is parsed (the parse pairs requests in `state`);
            // moving an array swaps its storage, nothing is copied or allocated.
            let fragment = state.takeFragment(frame.direction)
            Application.parse(fragment.span, frame: &frame, time: time, state: &state)
            state.restoreFragment(fragment, frame.direction)
        }
    }

    /// One direction's transport reassembly. The buffer is kept across fragments so a busy flow
    /// reuses it; after FIN it holds the completed fragment until the next FIR.
    public struct Reassembly: Sendable {
        var buffer: [UInt8] = []
        public internal(set) var inProgress = false
        /// Whether `buffer` holds a fragment completed by the last FIN.
        public internal(set) var isComplete = false
        var lastSequence: UInt8 = 0
        var source: UInt16 = 0
        var destination: UInt16 = 0

        mutating func start(sequence: UInt8, source: UInt16, destination: UInt16) {
            if buffer.capacity < Transport.initialCapacity { buffer.reserveCapacity(Transport.initialCapacity) }
            buffer.removeAll(keepingCapacity: true)
            inProgress = true
            isComplete = false
            lastSequence = sequence
            self.source = source
            self.destination = destination
        }

        /// False (and nothing added) when the fragment would exceed `maxFragmentLength`.
        mutating func append(_ data: Span<UInt8>) -> Bool {
            guard buffer.count &+ data.count <= Transport.maxFragmentLength else { return false }
            for index in data.indices { buffer.append(data[index]) }
            return true
        }

        mutating func complete() {
            inProgress = false
            isComplete = true
        }

        mutating func reset() {
            buffer.removeAll(keepingCapacity: true)
            inProgress = false
            isComplete = false
        }

        /// The completed fragment's bytes, for events.
        public var fragment: [UInt8] { isComplete ? buffer : [] }
    }
}
