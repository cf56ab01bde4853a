import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Messages split into C chunks and a final F chunk; aborts; interleaving; caps.
@Suite struct OPCUAChunkingTests {
    /// A Read request for `count` string NodeIds, split into chunks of at most `size` body bytes.
    static func chunkedRead(count: Int, size: Int, requestID: UInt32 = 7, firstSequence: UInt32 = 2) -> [[UInt8]] {
        let body = UAMessage.body(631) { w in
            w.requestHeader(handle: 77); w.double(0); w.u32(2); w.i32(Int32(count))
            for index in 0..<count {
                w.stringNodeID("Line1.Tank\(index).Level", ns: 3); w.u32(13); w.string(nil); w.u16(0); w.string(nil)
            }
        }
        var chunks: [[UInt8]] = []
        var offset = 0
        var sequence = firstSequence
        while offset < body.count {
            let end = min(offset + size, body.count)
            let type: Character = end == body.count ? "F" : "C"
            chunks.append(UAMessage.symmetric(
                chunk: type, sequence: sequence, requestID: requestID, body: Array(body[offset..<end])))
            offset = end
            sequence += 1
        }
        return chunks
    }

    @Test func reassembledReadCountsOnceAtTheFinalChunk() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let chunks = Self.chunkedRead(count: 20, size: 100)
        #expect(chunks.count > 3)
        var functions: [Int] = []
        var last: (chunk: OPCUA.Chunk, message: Message, facts: [AssetFact])?
        for chunk in chunks {
            let result = try #require(OPCUAHarness.message(chunk, .toServer, state: &state))
            if result.chunk.hasFunction { functions.append(result.chunk.functionCode) }
            if result.chunk.chunkType == .intermediate {
                #expect(result.message.functionName == "intermediate_chunk")
                #expect(result.message.targets.isEmpty)
            }
            last = result
        }
        #expect(functions == [631])
        let final = try #require(last)
        #expect(final.chunk.reassembled)
        #expect(final.chunk.chunkCount == chunks.count)
        #expect(final.chunk.requestHandle == 77)
        #expect(final.message.functionName == "read_request")
        #expect(final.message.targets.count == 20)
        #expect(final.message.targets.last?.name == "ns=3;s=Line1.Tank19.Level")
        #expect(final.message.anomalies.isEmpty)
    }

    @Test func abortDropsTheMessage() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let chunks = Self.chunkedRead(count: 10, size: 80)
        _ = OPCUAHarness.message(chunks[0], .toServer, state: &state)
        var abort = UAWriter()
        abort.u32(0x8080_0000)
        abort.string("too large")
        let result = try #require(OPCUAHarness.message(
            UAMessage.symmetric(chunk: "A", sequence: 3, requestID: 7, body: abort.bytes), .toServer, state: &state))
        #expect(!result.chunk.hasFunction)
        #expect(result.message.functionName == "abort_chunk")
        #expect(result.message.status == .exception(code: 0x8080_0000, name: "bad_tcp_message_too_large"))
        // The abort names what it ended: a Read request of two chunks (the C and the A).
        #expect(result.message.targets == [
            Message.Target(kind: "reason", address: 0, name: "too large"),
            Message.Target(kind: "aborted_message", address: 631, count: 2, name: "read_request"),
        ])
        // The next F chunk of that request id is a fresh single-chunk message, not a continuation.
        let rest = try #require(OPCUAHarness.message(chunks[chunks.count - 1], .toServer, state: &state))
        #expect(!rest.chunk.reassembled)
    }

    @Test func interleavedChunkIsFlagged() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let first = Self.chunkedRead(count: 10, size: 80, requestID: 7)
        let second = Self.chunkedRead(count: 10, size: 80, requestID: 8, firstSequence: 3)
        _ = OPCUAHarness.message(first[0], .toServer, state: &state)
        let other = try #require(OPCUAHarness.message(second[0], .toServer, state: &state))
        #expect(other.message.anomalies == ["opcua.interleaved_chunk"])
    }

    @Test func tooManyChunksStillCountsTheMessage() throws {
        var state = OPCUASecureChannelTests.openedNoneChannel()
        let head = Self.chunkedRead(count: 2, size: 40)
        _ = OPCUAHarness.message(head[0], .toServer, state: &state)
        var sequence: UInt32 = 3
        var overflow = false
        for _ in 0..<OPCUA.maxChunksPerMessage {
            let filler = UAMessage.symmetric(chunk: "C", sequence: sequence, requestID: 7, body: [0x00])
            let anomalies = OPCUAHarness.message(filler, .toServer, state: &state)?.message.anomalies
            if anomalies == ["opcua.reassembly_overflow"] {
                overflow = true
            }
            sequence += 1
        }
        #expect(overflow)
        let final = try #require(OPCUAHarness.message(
            UAMessage.symmetric(chunk: "F", sequence: sequence, requestID: 7, body: [0x00]), .toServer, state: &state))
        #expect(final.chunk.hasFunction)
        #expect(final.chunk.functionCode == 631)
        #expect(!final.chunk.reassembled)
        #expect(final.message.anomalies.contains("opcua.reassembly_overflow"))
        #expect(state.reassembledBody(.toServer).count <= OPCUA.maxReassemblyBytes)
    }

    @Test func abortWithoutChunksIsNotANamedMessage() throws {
        // A server that cannot send a response at all aborts it before any chunk (allowed).
        var state = OPCUASecureChannelTests.openedNoneChannel()
        var abort = UAWriter()
        abort.u32(0x80b9_0000)
        abort.string(nil)
        let result = try #require(OPCUAHarness.message(
            UAMessage.symmetric(chunk: "A", sequence: 2, requestID: 9, body: abort.bytes), .toClient, state: &state))
        #expect(result.message.status == .exception(code: 0x80b9_0000, name: "bad_response_too_large"))
        #expect(result.message.targets.isEmpty)
        #expect(result.message.anomalies.isEmpty)
    }

    /// A HEL announcing `maxChunkCount` and `maxMessageSize` for responses, an ACK for requests.
    static func negotiated(maxChunks: UInt32, maxMessage: UInt32) -> OPCUA.State {
        var state = OPCUA.makeState()
        var hello = UAWriter()
        hello.u32(0); hello.u32(65_536); hello.u32(65_536); hello.u32(maxMessage); hello.u32(maxChunks)
        hello.string("opc.tcp://plc:4840")
        _ = OPCUAHarness.message(UAMessage.header("HEL", "F", size: 8 + hello.bytes.count) + hello.bytes, .toServer,
            state: &state)
        var ack = UAWriter()
        ack.u32(0); ack.u32(65_536); ack.u32(65_536); ack.u32(maxMessage); ack.u32(maxChunks)
        _ = OPCUAHarness.message(UAMessage.header("ACK", "F", size: 8 + ack.bytes.count) + ack.bytes, .toClient,
            state: &state)
        _ = OPCUAHarness.message(UAMessage.open(body: UAMessage.openRequestBody()), .toServer, state: &state)
        _ = OPCUAHarness.message(
            UAMessage.open(channel: 5, sequence: 1, body: UAMessage.openResponseBody(channel: 5)), .toClient,
            state: &state)
        return state
    }

    @Test func moreChunksThanNegotiatedIsFlaggedOnce() throws {
        var state = Self.negotiated(maxChunks: 3, maxMessage: 0)
        #expect(state.requestLimits == OPCUA.MessageLimits(maxMessageSize: 0, maxChunkCount: 3))
        let chunks = Self.chunkedRead(count: 20, size: 100)
        #expect(chunks.count > 4)
        var flagged: [Int] = []
        var last: Message?
        for (index, chunk) in chunks.enumerated() {
            let result = try #require(OPCUAHarness.message(chunk, .toServer, state: &state))
            if result.message.anomalies.contains("opcua.message_limit_exceeded") { flagged.append(index) }
            last = result.message
        }
        // The fourth chunk crosses the limit; the final chunk says so again for the whole message.
        #expect(flagged == [3, chunks.count - 1])
        #expect(last?.functionName == "read_request")
        #expect(last?.targets.count == 20)
    }

    @Test func largerThanNegotiatedMessageSizeIsFlagged() throws {
        var state = Self.negotiated(maxChunks: 0, maxMessage: 100)
        let small = Self.chunkedRead(count: 1, size: 1000)
        #expect(small.count == 1)
        let fits = try #require(OPCUAHarness.message(small[0], .toServer, state: &state))
        #expect(fits.message.anomalies.isEmpty)
        let big = Self.chunkedRead(count: 5, size: 1000, requestID: 8, firstSequence: 3)
        let over = try #require(OPCUAHarness.message(big[0], .toServer, state: &state))
        #expect(over.message.anomalies == ["opcua.message_limit_exceeded"])
        #expect(over.message.targets.count == 5)
    }
}
