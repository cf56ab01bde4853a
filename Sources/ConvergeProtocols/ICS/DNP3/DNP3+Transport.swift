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
        /// fragment in hand, parses the application header into `frame`. The data blocks are
        /// checked and copied in one pass: a segment is appended before its CRCs are all known
        /// and taken back if one fails (the spec and Wireshark discard such a frame whole) or if
        /// the transport checks reject it.
        static func receive(_ frameBytes: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
            guard let control = frameBytes.byte(at: Link.headerLength) else { return }
            frame.hasTransport = true
            frame.transportControl = control
            let link = frame.link
            let completed = state.withReassembly(frame.direction) { lane in
                accept(frameBytes, control: control, link: link, lane: &lane, anomalies: &frame.anomalies)
            }
            guard completed else { return }
            // The fragment is moved out while it is parsed (the parse pairs requests in `state`);
            // moving an array swaps its storage, nothing is copied or allocated.
            let fragment = state.takeFragment(frame.direction)
            Application.parse(fragment.span, frame: &frame, time: time, state: &state)
            state.restoreFragment(fragment, frame.direction)
        }

        /// Adds the segment to `lane`; true when its FIN completed a fragment.
        static func accept(
            _ frameBytes: Span<UInt8>, control: UInt8, link: Link.Header, lane: inout Reassembly,
            anomalies: inout Anomalies
        ) -> Bool {
            let sequence = control & sequenceMask
            let first = control & firBit != 0
            guard first || lane.inProgress else {
                // A segment without its FIR (the capture started mid-fragment, or the FIR was lost
                // or dropped): nothing to add it to; only its CRCs say which anomaly it is.
                anomalies.insert(Link.dataCRCsAreValid(frameBytes) ? .transportSequence : .dataCRC)
                return false
            }
            // A fragment completed earlier was read by its own frame's event: a FIR drops it.
            if first && !lane.inProgress { lane.reset() }
            let mark = lane.buffer.count
            let appended = lane.appendCheckingCRCs(
                frameBytes, payload: link.userDataLength &- 1, fragmentSoFar: first ? 0 : mark)
            if appended == .badCRC {
                anomalies.insert(.dataCRC)
                return false
            }
            if first {
                if lane.inProgress {
                    anomalies.insert(.fragmentAbandoned)
                    lane.dropFirst(mark)
                }
                lane.start(sequence: sequence, source: link.source, destination: link.destination)
            } else if sequence == lane.lastSequence {
                // A repeat of the previous segment is discarded (IEEE 1815 8.2.1.2).
                anomalies.insert(.duplicateSegment)
                lane.truncate(to: mark)
                return false
            } else if sequence != next(lane.lastSequence) || link.source != lane.source
                || link.destination != lane.destination
            {
                anomalies.insert(.transportSequence)
                lane.reset()
                return false
            } else {
                lane.lastSequence = sequence
            }
            if appended == .tooLong {
                anomalies.insert(.fragmentTooLong)
                lane.reset()
                return false
            }
            guard control & finBit != 0 else { return false }
            lane.complete()
            return true
        }
    }
}
