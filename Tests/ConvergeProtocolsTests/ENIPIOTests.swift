import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Implicit I/O on UDP 2222: datagrams counted per connection, sequence gaps noticed.
@Suite struct ENIPIOTests {
    /// A class 1 datagram on connection 0x004b0201, sequence 7, four bytes of data.
    static func datagram(connection: UInt32 = 0x004b_0201, sequence: UInt32 = 7) -> [UInt8] {
        ENIPBytes.le16(2)  // item count
            + ENIPBytes.le16(0x8002) + ENIPBytes.le16(8)  // sequenced address item
            + ENIPBytes.le32(connection) + ENIPBytes.le32(sequence)
            + ENIPBytes.le16(0x00b1) + ENIPBytes.le16(6)  // connected data item
            + ENIPBytes.le16(Int(sequence & 0xffff)) + [0x01, 0x00, 0x00, 0x00]  // CIP sequence, run/idle
    }

    static func parse(_ bytes: [UInt8], state: inout EtherNetIPIO.State) -> EtherNetIPIO.Datagram? {
        do throws(DissectError) {
            return try EtherNetIPIO.parse(bytes.span, direction: .toServer, time: .zero, state: &state).message
        } catch {
            return nil
        }
    }

    @Test func countsPerConnectionAndSequence() throws {
        var state = EtherNetIPIO.makeState()
        let first = try #require(Self.parse(Self.datagram(sequence: 7), state: &state))
        #expect(first.connectionID == 0x004b_0201 && first.sequence == 7 && first.dataLength == 6)
        #expect(first.packetsOnConnection == 1 && first.anomalies.isEmpty && !first.hasFunction)
        #expect(try #require(Self.parse(Self.datagram(sequence: 8), state: &state)).anomalies.isEmpty)
        let gap = try #require(Self.parse(Self.datagram(sequence: 11), state: &state))
        #expect(gap.anomalies == .sequenceGap)
        let replay = try #require(Self.parse(Self.datagram(sequence: 9), state: &state))
        #expect(replay.anomalies == .sequenceRegression)
        _ = Self.parse(Self.datagram(connection: 5, sequence: 1), state: &state)
        #expect(state.packets(connection: 0x004b_0201) == 4)
        #expect(state.packets(connection: 5) == 1)
        let event = EtherNetIPIO.event(
            replay, bytes: Self.datagram(sequence: 9).span, context: ENIPHarness.context(.toServer), state: &state)
        #expect(event.proto == "enip-io" && event.anomalies == ["enip_io.sequence_regression"])
        let expected = Message.Target(kind: "io_connection", address: 0x004b_0201, count: 6, values: [9, 4])
        #expect(event.targets == [expected])
        // Wrap-around from 0xffffffff to 0 is the next datagram, not a regression.
        var wrap = EtherNetIPIO.makeState()
        _ = Self.parse(Self.datagram(sequence: 0xffff_ffff), state: &wrap)
        #expect(try #require(Self.parse(Self.datagram(sequence: 0), state: &wrap)).anomalies.isEmpty)
    }

    @Test func connectionTableIsBounded() throws {
        var state = EtherNetIPIO.makeState()
        for id in 0..<UInt32(EtherNetIPIO.State.maxConnections) {
            _ = Self.parse(Self.datagram(connection: id), state: &state)
        }
        let extra = try #require(Self.parse(Self.datagram(connection: 999), state: &state))
        #expect(extra.anomalies == .tooManyConnections)
        #expect(state.connections.count == EtherNetIPIO.State.maxConnections)
    }

    @Test func probe() {
        let whole = Self.datagram()
        let short = Array(whole.prefix(10))
        let other = ENIPEncapsulationTests.registerRequest
        let results = [whole, short, other].map { EtherNetIPIO.probe($0.span, direction: .toServer) }
        #expect(results == [.match, .needMore, .reject])
    }

    @Test(arguments: 0..<24)
    func truncatedDatagramsAreMalformedOrFlagged(length: Int) {
        var state = EtherNetIPIO.makeState()
        let bytes = Array(Self.datagram().prefix(length))
        // Cut inside an item: malformed; the whole datagram (24 bytes) is not in this range.
        #expect(Self.parse(bytes, state: &state) == nil)
    }

    @Test func randomDatagramsNeverTrap() {
        var generator = SeededGenerator(seed: 2222)
        var state = EtherNetIPIO.makeState()
        var parsed = 0
        for round in 0..<3000 {
            var bytes = (0..<Int.random(in: 0...120, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            if round % 2 == 0 {
                bytes = Self.datagram(connection: UInt32.random(in: 0...40, using: &generator),
                    sequence: UInt32.random(in: 0...50, using: &generator))
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            if let datagram = Self.parse(bytes, state: &state) {
                let context = ENIPHarness.context(.toClient)
                _ = EtherNetIPIO.event(datagram, bytes: bytes.span, context: context, state: &state)
                parsed += 1
            }
        }
        #expect(parsed > 500)
        #expect(state.connections.count <= EtherNetIPIO.State.maxConnections)
    }
}
