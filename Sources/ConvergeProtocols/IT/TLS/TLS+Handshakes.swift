import ConvergeModel
import ConvergeWire

extension TLS {
    /// Plaintext handshake records: one message per call, read in place when it lies wholly in its
    /// record, collected into the lane's bounded buffer when it spans records.
    enum Handshakes {
        static func parse(
            _ bytes: Span<UInt8>, _ start: Lanes.Position, direction: Direction, lane: inout Lane,
            shared: inout Shared
        ) throws(DissectError) -> (message: Frame, consumed: Int) {
            if lane.collecting { return collect(bytes, start, direction: direction, lane: &lane, shared: &shared) }
            if start.remaining == 0 {
                // An empty handshake record: nothing to read (RFC 8446 forbids it; older stacks sent it).
                var frame = Frame(kind: .handshakeFragment, direction: direction)
                frame.recordVersion = start.version
                frame.anomalies.insert(.fragmentedHandshake)
                commit(&lane, start, remaining: 0)
                return (frame, start.offset)
            }
            if start.remaining < handshakeHeaderLength {
                // The message header itself continues in the next record.
                begin(&lane, total: 0)
                var result = collect(bytes, start, direction: direction, lane: &lane, shared: &shared)
                result.message.anomalies.insert(.fragmentedHandshake)
                return result
            }
            let offset = start.offset
            let headerEnd = offset &+ handshakeHeaderLength
            guard bytes.count >= headerEnd, let type = bytes.byte(at: offset),
                let high = bytes.byte(at: offset &+ 1), let low = bytes.uint16BE(at: offset &+ 2)
            else { throw .needMore(headerEnd) }
            let length = Int(high) << 16 | Int(low)
            let total = handshakeHeaderLength &+ length
            guard total <= start.remaining else {
                begin(&lane, total: total)
                return collect(bytes, start, direction: direction, lane: &lane, shared: &shared)
            }
            let end = offset &+ total
            guard bytes.count >= end else { throw .needMore(end) }
            var frame = Frame(kind: .handshake, direction: direction)
            frame.recordVersion = start.version
            frame.handshakeType = type
            frame.messageOffset = Int32(truncatingIfNeeded: offset)
            frame.messageLength = Int32(truncatingIfNeeded: length)
            analyze(bytes.extracting(headerEnd..<end), frame: &frame, shared: &shared)
            commit(&lane, start, remaining: start.remaining &- total)
            return (frame, end)
        }

        static func commit(_ lane: inout Lane, _ start: Lanes.Position, remaining: Int) {
            lane.recordRemaining = remaining
            lane.recordType = start.type
            lane.recordVersion = start.version
        }

        /// Starts collecting a message of `total` bytes (0: its header is not complete yet).
        static func begin(_ lane: inout Lane, total: Int) {
            lane.collecting = true
            lane.collectTotal = total
            lane.collected = 0
            lane.buffer.removeAll(keepingCapacity: true)
            if lane.buffer.capacity == 0 { lane.buffer.reserveCapacity(min(max(total, 1024), maxReassembly)) }
        }

        /// Adds this record's share of the message being collected. Completes it (a `.handshake`
        /// frame read from the buffer) or reports a `.handshakeFragment`.
        static func collect(
            _ bytes: Span<UInt8>, _ start: Lanes.Position, direction: Direction, lane: inout Lane,
            shared: inout Shared
        ) -> (message: Frame, consumed: Int) {
            var consumed = start.offset
            var remaining = start.remaining
            while true {
                let need =
                    lane.collectTotal == 0
                    ? handshakeHeaderLength &- lane.collected : lane.collectTotal &- lane.collected
                let take = min(need, remaining, bytes.count &- consumed)
                guard take > 0 else { break }
                let room = maxReassembly &- lane.buffer.count
                let keep = min(take, room)
                if keep > 0 {
                    for index in consumed..<(consumed &+ keep) { lane.buffer.append(bytes[index]) }
                }
                lane.collected &+= take
                consumed &+= take
                remaining &-= take
                if lane.collectTotal == 0, lane.collected >= handshakeHeaderLength, lane.buffer.count >= 4 {
                    let length = Int(lane.buffer[1]) << 16 | Int(lane.buffer[2]) << 8 | Int(lane.buffer[3])
                    lane.collectTotal = handshakeHeaderLength &+ length
                }
                if lane.collectTotal != 0, lane.collected >= lane.collectTotal { break }
            }
            commit(&lane, start, remaining: remaining)
            var frame = Frame(kind: .handshakeFragment, direction: direction)
            frame.recordVersion = start.version
            guard lane.collectTotal != 0, lane.collected >= lane.collectTotal else { return (frame, consumed) }
            lane.collecting = false
            frame.kind = .handshake
            frame.handshakeType = lane.buffer.first ?? 0
            frame.messageLength = Int32(truncatingIfNeeded: lane.collectTotal &- handshakeHeaderLength)
            frame.truncated = lane.buffer.count < lane.collectTotal
            if frame.truncated { frame.anomalies.insert(.reassemblyTruncated) }
            let span = lane.buffer.span
            analyze(
                span.extracting(min(handshakeHeaderLength, span.count)..<span.count), frame: &frame, shared: &shared)
            return (frame, consumed)
        }

        /// What parse itself reads from a message body: the hello versions and chosen cipher
        /// (the flow needs the negotiated version), and whether the hello is well-formed.
        static func analyze(_ body: Span<UInt8>, frame: inout Frame, shared: inout Shared) {
            let type = frame.handshake
            if type.name == nil { frame.anomalies.insert(.unknownHandshakeType) }
            if type == .clientHello {
                guard let hello = ClientHello.read(body) else {
                    frame.anomalies.insert(.malformedHello)
                    return
                }
                frame.helloVersion = hello.legacyVersion
                frame.selectedVersion = hello.highestVersion(body)
                if hello.extensionsMalformed { frame.anomalies.insert(.malformedHello) }
                if hello.extensionsTruncated { frame.anomalies.insert(.tooManyExtensions) }
            } else if type == .serverHello {
                guard let hello = ServerHello.read(body) else {
                    frame.anomalies.insert(.malformedHello)
                    return
                }
                frame.helloVersion = hello.legacyVersion
                frame.cipherSuite = hello.cipherSuite
                frame.selectedVersion = hello.selectedVersion
                if hello.extensionsMalformed { frame.anomalies.insert(.malformedHello) }
                shared.negotiatedVersion = hello.selectedVersion
            } else {
                return
            }
            if frame.selectedVersion < 0x0301 { frame.anomalies.insert(.obsoleteVersion) }
        }
    }
}
