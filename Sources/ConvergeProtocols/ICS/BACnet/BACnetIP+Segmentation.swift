import ConvergeModel

extension BACnetIP {
    /// Segmented messages reassembled at once per flow; a further one evicts the least recently
    /// active (a healthy pair of devices has one or two in flight).
    public static let maxSegmentedMessages = 4
    /// Service-parameter bytes held for all messages being reassembled in one flow. A BACnet
    /// message longer than this (hundreds of segments) is still counted and named, not decoded.
    public static let maxReassemblyBytes = 65_536
    /// Segments one message may take (the sequence number is a byte; clause 5.2 lets it wrap, so
    /// a message of more than this many is refused rather than followed round).
    public static let maxSegmentsPerMessage = 256
    /// A message with no segment for this long is abandoned (clause 5.4: T_seg is a few seconds,
    /// with a few retries).
    public static let segmentTimeout = Duration64.seconds(20)
    /// Window sizes are 1 to 127 (clause 20.1.2.8, 20.1.6.4).
    public static let maxWindowSize: UInt8 = 127

    /// What happened to a segment in reassembly.
    public enum SegmentOutcome: UInt8, Sendable {
        /// Not a segment (an unsegmented PDU, or a Segment-ACK).
        case none
        /// Appended; more follow.
        case appended
        /// The last segment: the message is whole (`Frame.reassembled`).
        case completed
        /// Already seen (a retransmission): not appended again.
        case duplicate
        /// Not the next expected (a gap, no first segment, another service): dropped, as the
        /// receiving device drops it (clause 5.4.4.3, it answers with a negative Segment-ACK).
        case outOfOrder
        /// A cap was reached: the segment is counted, the message will not be decoded.
        case overflow
    }

    /// The segmented messages of one flow being put back together, bounded by
    /// `maxSegmentedMessages`, `maxReassemblyBytes`, `maxSegmentsPerMessage` and `segmentTimeout`.
    /// Allocates only when a flow's first segmented messages grow the buffers, which are then
    /// reused (`removeAll(keepingCapacity:)`).
    public struct SegmentReassembly: Sendable {
        struct Slot: Sendable {
            /// Reassembling; false when free or finished (a finished one keeps its key and next
            /// sequence, so a late retransmission is seen as a duplicate).
            var active = false
            var used = false
            var isRequest = false
            var key = TransactionKey(invokeID: 0, direction: .toServer, route: 0)
            var service: UInt8 = 0
            var nextSequence: UInt8 = 0
            var segments = 0
            /// A cap was reached or a segment was cut: the message is followed, not kept.
            var damaged = false
            var lastTime = Timestamp(nanoseconds: 0)
            var bytes: [UInt8] = []
        }

        var slots: [Slot] = []
        /// Messages abandoned unfinished: timed out, evicted, or restarted at sequence 0.
        public private(set) var abandoned: UInt64 = 0

        public init() {}

        /// Messages being reassembled now.
        public var inProgress: Int { slots.reduce(0) { $0 &+ ($1.active ? 1 : 0) } }
        /// Service-parameter bytes held by messages being reassembled.
        public var bytesHeld: Int { slots.reduce(0) { $0 &+ ($1.active ? $1.bytes.count : 0) } }

        /// Takes the segment in `frame` (a segmented confirmed request or complex ack), whose
        /// service parameters are `bytes[frame.serviceOffset..<frame.apduEnd]`.
        mutating func accept(_ frame: inout Frame, bytes: Span<UInt8>, time: Timestamp) {
            guard let invoke = frame.invokeID, let service = frame.serviceChoice else { return }
            let isRequest = frame.pdu == .confirmedRequest
            let key = TransactionKey(
                invokeID: invoke, direction: frame.direction,
                route: mix(requester: frame.sourceRoute, responder: frame.destinationRoute))
            let sequence = frame.sequenceNumber
            let found = slots.firstIndex { $0.used && $0.isRequest == isRequest && $0.key == key }
            if let index = found, slots[index].active,
                time.nanoseconds &- slots[index].lastTime.nanoseconds > segmentTimeout.nanoseconds
            {
                slots[index].active = false
                abandoned &+= 1
            }
            // A first segment starts a message unless one with this key is in progress (then it
            // is a retransmission of the first window, below).
            if sequence == 0, found.map({ !slots[$0].active }) ?? true {
                let index = found ?? claimSlot(time: time, frame: &frame)
                start(index, isRequest: isRequest, key: key, service: service)
                append(index, &frame, bytes: bytes, time: time)
                return
            }
            // Sequence numbers are modulo 256 (clause 5.2): behind the next expected is a
            // retransmission, ahead of it a gap; a finished message takes no more.
            guard let index = found else {
                frame.segment = .outOfOrder
                frame.anomalies.insert(.segmentOutOfOrder)
                return
            }
            let ahead = sequence &- slots[index].nextSequence
            guard ahead == 0, slots[index].active, slots[index].service == service else {
                let behind = ahead >= 128
                frame.segment = behind ? .duplicate : .outOfOrder
                frame.anomalies.insert(behind ? .duplicateSegment : .segmentOutOfOrder)
                return
            }
            append(index, &frame, bytes: bytes, time: time)
        }

        /// A free or finished slot, or the least recently active one (reported when still live).
        private mutating func claimSlot(time: Timestamp, frame: inout Frame) -> Int {
            if let free = slots.firstIndex(where: { !$0.active }) { return free }
            if slots.count < maxSegmentedMessages {
                if slots.capacity < maxSegmentedMessages { slots.reserveCapacity(maxSegmentedMessages) }
                slots.append(Slot())
                return slots.count &- 1
            }
            var oldest = 0
            for index in slots.indices where slots[index].lastTime < slots[oldest].lastTime { oldest = index }
            abandoned &+= 1
            if time.nanoseconds &- slots[oldest].lastTime.nanoseconds <= segmentTimeout.nanoseconds {
                frame.anomalies.insert(.reassemblyOverflow)
            }
            return oldest
        }

        private mutating func start(_ index: Int, isRequest: Bool, key: TransactionKey, service: UInt8) {
            slots[index].active = true
            slots[index].used = true
            slots[index].isRequest = isRequest
            slots[index].key = key
            slots[index].service = service
            slots[index].nextSequence = 0
            slots[index].segments = 0
            slots[index].damaged = false
            slots[index].bytes.removeAll(keepingCapacity: true)
        }

        /// Appends the segment that was next; on the last one, hands the message to the frame.
        private mutating func append(_ index: Int, _ frame: inout Frame, bytes: Span<UInt8>, time: Timestamp) {
            slots[index].nextSequence &+= 1
            slots[index].segments &+= 1
            slots[index].lastTime = time
            let start = frame.serviceOffset
            let end = min(frame.apduEnd, bytes.count)
            let length = max(0, end &- start)
            let held = bytesHeld
            if slots[index].damaged || frame.anomalies.contains(.truncated)
                || slots[index].segments > maxSegmentsPerMessage || held &+ length > maxReassemblyBytes
            {
                if !slots[index].damaged { frame.anomalies.insert(.reassemblyOverflow) }
                slots[index].damaged = true
                slots[index].bytes.removeAll(keepingCapacity: true)
                frame.segment = .overflow
            } else {
                var offset = start
                while offset < end {
                    slots[index].bytes.append(bytes[offset])
                    offset &+= 1
                }
                frame.segment = .appended
            }
            guard !frame.moreFollows else { return }
            slots[index].active = false
            frame.segmentsReassembled = UInt16(clamping: slots[index].segments)
            guard !slots[index].damaged else { return }
            frame.segment = .completed
            // Shares the buffer (no copy); the slot's next `removeAll` copies only if the frame
            // still holds it then.
            frame.reassembled = slots[index].bytes
        }
    }

    /// The frame and bytes the service decoders read: the datagram as parsed, or for the last
    /// segment of a segmented message the reassembled service parameters, seen as one unsegmented
    /// APDU whose service parameters start at offset 0.
    static func withServiceBytes<Result>(
        _ frame: Frame, _ bytes: Span<UInt8>, _ body: (Frame, Span<UInt8>) -> Result
    ) -> Result {
        guard let reassembled = frame.reassembled else { return body(frame, bytes) }
        return body(whole(frame, length: reassembled.count), reassembled.span)
    }

    /// `frame` as if its reassembled service parameters (`length` bytes) had come unsegmented.
    static func whole(_ frame: Frame, length: Int) -> Frame {
        var whole = frame
        whole.pduFlags &= ~0x0c
        whole.serviceOffset = 0
        whole.apduEnd = length
        whole.reassembled = nil
        return whole
    }

    /// Checks reassembled service parameters as `checkServiceTags` checks an unsegmented APDU's
    /// (tags, and a password sent in the clear). Walks the bytes; allocates nothing.
    static func checkReassembledTags(_ frame: inout Frame) {
        guard let body = frame.reassembled else { return }
        var checked = whole(frame, length: body.count)
        checkServiceTags(body.span, frame: &checked)
        frame.anomalies.formUnion(checked.anomalies)
    }
}
