import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Segmented messages (ASHRAE 135 clause 5.2, 5.4, 20.1.2, 20.1.5, 20.1.6): reassembly per invoke
/// id, duplicates, gaps, the caps, and the reassembled service decoded.
@Suite struct BACnetSegmentationTests {
    static let datagram = BACnetServiceTests.datagram

    /// ReadProperty ack of device,7 object-name "Boiler 1", split after 9 parameter bytes.
    static let readAckPart0: [UInt8] = [
        0x0c, 0x02, 0x00, 0x00, 0x07,  // [0] device,7
        0x19, 0x4d,  // [1] object-name
        0x3e,  // [3] {
        0x75,  // CharacterString, length in the next byte (cut here by segmentation)
    ]
    static let readAckPart1: [UInt8] = [
        0x09, 0x00, 0x42, 0x6f, 0x69, 0x6c, 0x65, 0x72, 0x20, 0x31,  // 9 bytes: UTF-8 "Boiler 1"
        0x3f,  // }
    ]

    /// A complex-ack segment: SEG (and MOR unless last), invoke, sequence, window, service.
    static func ackSegment(
        invoke: UInt8, sequence: UInt8, more: Bool, window: UInt8 = 2, service: UInt8 = 0x0c, _ body: [UInt8]
    ) -> [UInt8] {
        datagram([more ? 0x3c : 0x38, invoke, sequence, window, service] + body)
    }

    /// A confirmed-request segment: SEG|SA (and MOR unless last), max segments 5/max APDU 50, invoke,
    /// sequence, window, service.
    static func requestSegment(
        invoke: UInt8, sequence: UInt8, more: Bool, window: UInt8 = 1, service: UInt8, _ body: [UInt8]
    ) -> [UInt8] {
        datagram([more ? 0x0e : 0x0a, 0x50, invoke, sequence, window, service] + body)
    }

    @Test func twoSegmentReadPropertyAckIsReassembledAndDecoded() throws {
        var state = BACnetIP.makeState()
        // The request: readProperty device,7 object-name, segmented response accepted.
        let request = Self.datagram([0x02, 0x50, 0x21, 0x0c, 0x0c, 0x02, 0x00, 0x00, 0x07, 0x19, 0x4d])
        _ = try #require(BACnetHarness.frame(request, .toServer, state: &state, time: 100))
        let first = try #require(
            BACnetHarness.message(
                Self.ackSegment(invoke: 0x21, sequence: 0, more: true, Self.readAckPart0), .toClient, state: &state,
                time: 110))
        #expect(first.frame.segment == .appended && first.frame.reassembled == nil)
        #expect(first.frame.anomalies.isEmpty && first.frame.hasFunction && first.frame.functionCode == 12)
        #expect(first.message.functionName == "read_property" && first.message.roundTripNanoseconds == 10)
        #expect(first.message.targets == [Message.Target(kind: "segment", address: 0, values: [2])])
        #expect(first.facts.isEmpty)
        #expect(state.pending.count == 1 && state.segments.inProgress == 1)
        #expect(state.segments.bytesHeld == Self.readAckPart0.count)

        let last = try #require(
            BACnetHarness.message(
                Self.ackSegment(invoke: 0x21, sequence: 1, more: false, Self.readAckPart1), .toClient, state: &state,
                time: 120))
        #expect(last.frame.segment == .completed && last.frame.segmentsReassembled == 2)
        #expect(last.frame.reassembled == Self.readAckPart0 + Self.readAckPart1)
        #expect(last.frame.anomalies.isEmpty && last.message.status == .ok)
        #expect(last.message.roundTripNanoseconds == 20)
        #expect(
            last.message.targets == [
                Message.Target(kind: "device.object_name", address: 7),
                Message.Target(kind: "segment", address: 1, count: 2, values: [2]),
            ])
        #expect(last.facts.map { "\($0.kind.rawValue)=\($0.value)" } == ["module_name=Boiler 1"])
        #expect(state.pending.count == 0 && state.segments.inProgress == 0 && state.segments.abandoned == 0)
    }

    @Test func duplicatesAndGapsAreFlaggedNotAppended() throws {
        var state = BACnetIP.makeState()
        let part0 = Self.ackSegment(invoke: 3, sequence: 0, more: true, Self.readAckPart0)
        let part1 = Self.ackSegment(invoke: 3, sequence: 1, more: false, Self.readAckPart1)
        #expect(BACnetHarness.frame(part0, .toClient, state: &state)?.segment == .appended)
        // The first segment again (the sender's window timed out): a duplicate.
        let again = try #require(BACnetHarness.frame(part0, .toClient, state: &state))
        #expect(again.segment == .duplicate && again.anomalies.contains(.duplicateSegment))
        // Sequence 2 before 1: a gap.
        let ahead = Self.ackSegment(invoke: 3, sequence: 2, more: false, [0x00])
        let gap = try #require(BACnetHarness.frame(ahead, .toClient, state: &state))
        #expect(gap.segment == .outOfOrder && gap.anomalies.contains(.segmentOutOfOrder))
        // The same invoke id from the other direction is another message (no first segment seen).
        let otherWay = try #require(BACnetHarness.frame(part1, .toServer, state: &state))
        #expect(otherWay.segment == .outOfOrder)
        // Another service under the same invoke id does not belong to the message.
        let otherService = Self.ackSegment(invoke: 3, sequence: 1, more: false, service: 0x0e, Self.readAckPart1)
        #expect(BACnetHarness.frame(otherService, .toClient, state: &state)?.segment == .outOfOrder)
        #expect(state.segments.bytesHeld == Self.readAckPart0.count)
        let done = try #require(BACnetHarness.frame(part1, .toClient, state: &state))
        #expect(done.segment == .completed && done.reassembled == Self.readAckPart0 + Self.readAckPart1)
        // A late retransmission of the last segment after the message completed.
        let late = try #require(BACnetHarness.frame(part1, .toClient, state: &state))
        #expect(late.segment == .duplicate && late.reassembled == nil)
        // The invoke id reused for a new message starts afresh.
        #expect(BACnetHarness.frame(part0, .toClient, state: &state)?.segment == .appended)
    }

    @Test func segmentedWritePropertyMultipleRequest() throws {
        var state = BACnetIP.makeState()
        let body: [UInt8] = [
            0x0c, 0x00, 0x80, 0x00, 0x03,  // [0] analog-value,3
            0x1e, 0x09, 0x55,  // [1] { present-value
            0x2e, 0x44, 0x41, 0xac, 0x00, 0x00, 0x2f,  // {21.5}
            0x39, 0x08, 0x1f,  // priority 8 }
            0x0c, 0x01, 0x00, 0x00, 0x02,  // [0] binary-output,2
            0x1e, 0x09, 0x55, 0x2e, 0x91, 0x01, 0x2f, 0x39, 0x01, 0x1f,  // { present-value {active} priority 1 }
        ]
        let first = try #require(
            BACnetHarness.message(
                Self.requestSegment(invoke: 8, sequence: 0, more: true, service: 0x10, Array(body[0..<12])),
                state: &state, time: 0))
        #expect(first.frame.segment == .appended && first.message.status == .pending)
        #expect(first.message.functionName == "write_property_multiple" && first.values.isEmpty)
        // The server's Segment-ACK: SRV, invoke 8, sequence 0, actual window 1.
        let segmentAck = try #require(
            BACnetHarness.message(Self.datagram([0x41, 0x08, 0x00, 0x01]), .toClient, state: &state, time: 1))
        #expect(segmentAck.frame.sentByServer && !segmentAck.frame.negativeAck && segmentAck.frame.segment == .none)
        #expect(segmentAck.message.targets == [Message.Target(kind: "segment", address: 0, values: [1])])
        let last = try #require(
            BACnetHarness.message(
                Self.requestSegment(invoke: 8, sequence: 1, more: false, service: 0x10, Array(body[12...])),
                state: &state, time: 2))
        #expect(last.frame.segment == .completed && last.frame.anomalies.isEmpty)
        #expect(
            last.message.targets == [
                Message.Target(kind: "analog_value.present_value", address: 3, values: [22]),
                Message.Target(kind: "analog_value.present_value.priority", address: 3, values: [8]),
                Message.Target(kind: "binary_output.present_value", address: 2, values: [1]),
                Message.Target(kind: "binary_output.present_value.priority", address: 2, values: [1]),
                Message.Target(kind: "segment", address: 1, count: 2, values: [1]),
            ])
        #expect(last.values.map(\.value) == [21.5, 1] && last.values.allSatisfy(\.written))
        #expect(last.values.first?.tag == "bacnet://10.0.0.2/analog_value/3/present_value")
        // One pending request for the whole exchange, timed from the first segment.
        #expect(state.pending.count == 1 && state.pending.unanswered == 0)
        let ack = try #require(
            BACnetHarness.message(Self.datagram([0x20, 0x08, 0x10]), .toClient, state: &state, time: 5))
        #expect(ack.message.roundTripNanoseconds == 5 && ack.frame.anomalies.isEmpty)
    }

    @Test func passwordInASegmentedRequestIsFlaggedOnceWhole() throws {
        var state = BACnetIP.makeState()
        // deviceCommunicationControl split inside its password: [1] disable, [2] "secret"
        let first = try #require(
            BACnetHarness.frame(
                Self.requestSegment(invoke: 1, sequence: 0, more: true, service: 0x11, [0x19, 0x01, 0x2d, 0x07, 0x00]),
                state: &state))
        #expect(!first.anomalies.contains(.cleartextPassword))
        let last = try #require(
            BACnetHarness.message(
                Self.requestSegment(
                    invoke: 1, sequence: 1, more: false, service: 0x11, [0x73, 0x65, 0x63, 0x72, 0x65, 0x74]),
                state: &state))
        #expect(last.frame.anomalies == .cleartextPassword)
        #expect(last.message.functionName == "device_communication_control.disable")
        #expect(last.message.targets.map(\.kind) == ["communication", "password", "segment"])
        #expect(!last.message.targets.contains { $0.name != nil || $0.value != nil })
    }

    @Test func windowSizesOutsideOneTo127AreFlagged() throws {
        let zero = try #require(BACnetHarness.frame(Self.ackSegment(invoke: 1, sequence: 0, more: true, window: 0, [])))
        #expect(zero.anomalies.contains(.invalidWindowSize))
        let big = try #require(BACnetHarness.frame(Self.datagram([0x42, 0x01, 0x00, 0x80])))
        #expect(big.anomalies.contains(.invalidWindowSize) && big.negativeAck)
        let nak = try #require(BACnetHarness.message(Self.datagram([0x42, 0x01, 0x00, 0x7f])))
        #expect(nak.frame.anomalies.isEmpty && nak.message.functionName == "segment_ack.negative")
    }

    @Test func oneMessageIsCappedInBytes() throws {
        var state = BACnetIP.makeState()
        let chunk = [UInt8](repeating: 0x00, count: 1400)
        var overflows = 0
        var sequence: UInt8 = 0
        for _ in 0..<60 {
            let frame = try #require(
                BACnetHarness.frame(
                    Self.ackSegment(invoke: 1, sequence: sequence, more: true, window: 127, chunk), .toClient,
                    state: &state))
            if frame.anomalies.contains(.reassemblyOverflow) { overflows += 1 }
            #expect(state.segments.bytesHeld <= BACnetIP.maxReassemblyBytes)
            sequence &+= 1
        }
        #expect(overflows == 1)
        let last = try #require(
            BACnetHarness.message(
                Self.ackSegment(invoke: 1, sequence: sequence, more: false, window: 127, chunk), .toClient,
                state: &state))
        // Counted and named, not decoded.
        #expect(last.frame.segment == .overflow && last.frame.reassembled == nil)
        #expect(last.frame.segmentsReassembled == 61)
        #expect(last.frame.hasFunction && last.message.functionName == "read_property")
        #expect(state.segments.inProgress == 0)
    }

    @Test func oneMessageIsCappedInSegments() throws {
        var state = BACnetIP.makeState()
        var sequence: UInt8 = 0
        var overflowed = false
        for _ in 0..<(BACnetIP.maxSegmentsPerMessage + 5) {
            let frame = try #require(
                BACnetHarness.frame(
                    Self.ackSegment(invoke: 9, sequence: sequence, more: true, window: 127, [0x00]), .toClient,
                    state: &state))
            overflowed = overflowed || frame.anomalies.contains(.reassemblyOverflow)
            sequence &+= 1  // wraps 255 → 0 (clause 5.2)
        }
        #expect(overflowed && state.segments.bytesHeld == 0 && state.segments.inProgress == 1)
    }

    @Test func concurrentMessagesAreCappedAndStaleOnesTimeOut() throws {
        var state = BACnetIP.makeState()
        for invoke in 0..<BACnetIP.maxSegmentedMessages {
            let frame = try #require(
                BACnetHarness.frame(
                    Self.ackSegment(invoke: UInt8(invoke), sequence: 0, more: true, [0x00]), .toClient, state: &state,
                    time: Int64(invoke)))
            #expect(frame.anomalies == .unsolicitedResponse)  // no request seen: only the segments
        }
        // One more live message evicts the least recently active (invoke 0).
        let extra = try #require(
            BACnetHarness.frame(
                Self.ackSegment(invoke: 200, sequence: 0, more: true, [0x00]), .toClient, state: &state, time: 10))
        #expect(extra.anomalies.contains(.reassemblyOverflow) && extra.segment == .appended)
        #expect(state.segments.inProgress == BACnetIP.maxSegmentedMessages && state.segments.abandoned == 1)
        let evicted = try #require(
            BACnetHarness.frame(
                Self.ackSegment(invoke: 0, sequence: 1, more: false, [0x00]), .toClient, state: &state, time: 11))
        #expect(evicted.segment == .outOfOrder)
        // After the segment timeout, a message's next segment finds it abandoned.
        let later = 10 + BACnetIP.segmentTimeout.nanoseconds + 1
        let stale = try #require(
            BACnetHarness.frame(
                Self.ackSegment(invoke: 200, sequence: 1, more: false, [0x00]), .toClient, state: &state, time: later))
        #expect(stale.segment == .duplicate || stale.segment == .outOfOrder)
        #expect(stale.reassembled == nil && state.segments.abandoned == 2)
        // A new message once the others are stale takes a slot without an anomaly.
        let fresh = try #require(
            BACnetHarness.frame(
                Self.ackSegment(invoke: 201, sequence: 0, more: true, [0x00]), .toClient, state: &state, time: later))
        #expect(fresh.anomalies == .unsolicitedResponse && fresh.segment == .appended)
    }

    @Test func aCutSegmentSpoilsItsMessage() throws {
        var state = BACnetIP.makeState()
        var cut = Self.ackSegment(invoke: 4, sequence: 0, more: true, Self.readAckPart0)
        cut.removeLast(3)  // the BVLC length still counts them
        let first = try #require(BACnetHarness.frame(cut, .toClient, state: &state))
        #expect(first.anomalies.contains(.truncated) && first.segment == .overflow)
        let last = try #require(
            BACnetHarness.frame(
                Self.ackSegment(invoke: 4, sequence: 1, more: false, Self.readAckPart1), .toClient, state: &state))
        #expect(last.segment == .overflow && last.reassembled == nil)
    }

    static let prefixSource = ackSegment(invoke: 5, sequence: 0, more: false, readAckPart0 + readAckPart1)

    @Test(arguments: 0..<prefixSource.count)
    func everyPrefixOfASegmentIsSafe(length: Int) {
        var state = BACnetIP.makeState()
        let prefix = Array(Self.prefixSource.prefix(length))
        if case .success(let frame) = BACnetRobustnessTests.exercise(prefix, state: &state) {
            #expect(frame.anomalies.contains(.truncated))
            #expect(frame.reassembled == nil)
        }
        #expect(state.segments.bytesHeld == 0)
    }

    @Test(arguments: [11, 12, 13])
    func randomSegmentStreamsStayBounded(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var state = BACnetIP.makeState()
        var completed = 0
        for round in 0..<3000 {
            let pduBytes: [UInt8] = [0x3c, 0x38, 0x0e, 0x0a, 0x40, 0x42, 0x41, 0x34]
            let pduByte = pduBytes[Int.random(in: 0...7, using: &generator)]
            let invoke = UInt8.random(in: 0...5, using: &generator)
            let sequence = UInt8.random(in: 0...6, using: &generator)
            let window = UInt8.random(in: 0...3, using: &generator)
            let service: UInt8 = [0x0c, 0x0e, 0x0f, 0x10, 0x11][Int.random(in: 0...4, using: &generator)]
            let body = (0..<Int.random(in: 0...40, using: &generator)).map { _ -> UInt8 in
                [0x0c, 0x1e, 0x1f, 0x09, 0x19, 0x29, 0x4e, 0x4f, 0x75, 0x44, 0x2d, 0x00][
                    Int.random(in: 0...11, using: &generator)]
            }
            let header: [UInt8] =
                switch pduByte >> 4 {
                case 0: [pduByte, 0x50, invoke, sequence, window, service]
                case 4: [pduByte, invoke, sequence, window]
                default: [pduByte, invoke, sequence, window, service]
                }
            var bytes = Self.datagram(header + body)
            if round % 7 == 0 { bytes.removeLast(Int.random(in: 0...min(4, bytes.count - 7), using: &generator)) }
            let direction: Direction = Bool.random(using: &generator) ? .toServer : .toClient
            let time = Int64(round) * 1_000_000_000 / 4
            switch BACnetHarness.parse(bytes, direction, state: &state, time: time) {
            case .success(let parsed):
                let context = BACnetHarness.context(direction, time: time)
                _ = BACnetIP.event(parsed.message, bytes: bytes.span, context: context, state: &state)
                _ = BACnetIP.facts(parsed.message, bytes: bytes.span, context: context)
                _ = BACnetIP.processValues(parsed.message, bytes: bytes.span, context: context)
                if parsed.message.segment == .completed { completed += 1 }
            case .failure:
                Issue.record("a sound BVLC header is never malformed")
            }
            #expect(state.segments.inProgress <= BACnetIP.maxSegmentedMessages)
            #expect(state.segments.bytesHeld <= BACnetIP.maxReassemblyBytes)
            #expect(state.pending.count <= BACnetIP.PendingTable.capacity)
        }
        #expect(completed > 0)
    }
}
