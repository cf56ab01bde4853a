import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Per-flow state: sequence numbers per direction, acknowledgements, STARTDT/STOPDT, pairing.
@Suite struct IEC104StateTests {
    /// A spontaneous single point (monitor direction) with the given sequence numbers.
    static func point(_ send: UInt16, _ receive: UInt16 = 0) -> [UInt8] {
        IEC104Harness.iFrame(send: send, receive: receive, [0x01, 0x01, 0x03, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01])
    }

    /// A single command (IOA 5001) with the given cause octet.
    static func command(_ cause: UInt8, send: UInt16 = 0, sco: UInt8 = 0x81) -> [UInt8] {
        IEC104Harness.iFrame(send: send, [0x2d, 0x01, cause, 0x00, 0x01, 0x00, 0x89, 0x13, 0x00, sco])
    }

    static func anomalies(_ frames: [[UInt8]], _ direction: Direction = .toClient) -> [IEC104.Anomalies] {
        var state = IEC104.makeState()
        return frames.map { IEC104Harness.message($0, direction, state: &state)?.frame.anomalies ?? [] }
    }

    @Test func inOrderSequencesAreClean() {
        #expect(Self.anomalies([Self.point(0), Self.point(1), Self.point(2)]).allSatisfy { $0.isEmpty })
    }

    @Test func gapsAndDuplicates() {
        let result = Self.anomalies([0, 1, 4, 5, 5, 3].map { Self.point($0) })
        #expect(result == [[], [], .sequenceGap, [], .sequenceDuplicate, .sequenceDuplicate])
    }

    @Test func sequenceWrapsAt32768() {
        let result = Self.anomalies([Self.point(32_766), Self.point(32_767), Self.point(0), Self.point(1)])
        #expect(result.allSatisfy { $0.isEmpty })
    }

    @Test func directionsAreTrackedApart() {
        var state = IEC104.makeState()
        let a = IEC104Harness.message(Self.point(7), .toClient, state: &state)
        let b = IEC104Harness.message(Self.command(6, send: 100), .toServer, state: &state)
        let c = IEC104Harness.message(Self.point(8), .toClient, state: &state)
        #expect([a, b, c].allSatisfy { $0?.frame.anomalies.subtracting(.unsolicitedConfirmation).isEmpty == true })
        #expect(state.toClient.nextSend == 9)
        #expect(state.toServer.nextSend == 101)
    }

    @Test func acknowledgingUnsentFramesIsAnAnomaly() {
        var state = IEC104.makeState()
        _ = IEC104Harness.message(Self.point(0), .toClient, state: &state)
        _ = IEC104Harness.message(Self.point(1), .toClient, state: &state)
        // N(R) = 2 acknowledges both; N(R) = 5 acknowledges frames the station never sent.
        let good = IEC104Harness.message([0x68, 0x04, 0x01, 0x00, 0x04, 0x00], .toServer, state: &state)
        let bad = IEC104Harness.message([0x68, 0x04, 0x01, 0x00, 0x0a, 0x00], .toServer, state: &state)
        #expect(good?.frame.anomalies == [])
        #expect(bad?.frame.anomalies == .invalidAcknowledgement)
        #expect(bad?.message.anomalies == ["iec104.invalid_acknowledgement"])
    }

    @Test func dataWhileStopped() {
        var state = IEC104.makeState()
        _ = IEC104Harness.message([0x68, 0x04, 0x23, 0, 0, 0], .toClient, state: &state)  // STOPDT con
        let stopped = IEC104Harness.message(Self.point(0), .toClient, state: &state)
        _ = IEC104Harness.message([0x68, 0x04, 0x0b, 0, 0, 0], .toClient, state: &state)  // STARTDT con
        let started = IEC104Harness.message(Self.point(1), .toClient, state: &state)
        #expect(stopped?.frame.anomalies == .dataWhileStopped)
        #expect(started?.frame.anomalies == [])
    }

    @Test func activationIsPairedWithItsConfirmation() throws {
        var state = IEC104.makeState()
        let select = try #require(IEC104Harness.message(Self.command(6), .toServer, state: &state, time: 1_000))
        #expect(select.message.status == .pending)
        #expect(state.pending.count == 1)
        let confirmation = try #require(IEC104Harness.message(Self.command(7), .toClient, state: &state, time: 4_000))
        #expect(confirmation.message.roundTripNanoseconds == 3_000)
        #expect(confirmation.frame.request?.qualifier == 0x81)
        #expect(confirmation.message.status == .ok)
        #expect(confirmation.message.anomalies.isEmpty)
        #expect(state.pending.count == 0)
        // Termination needs no pending activation; a second confirmation has none.
        let termination = try #require(IEC104Harness.message(Self.command(10, send: 1), .toClient, state: &state))
        #expect(termination.message.anomalies.isEmpty)
        let again = try #require(IEC104Harness.message(Self.command(7, send: 2), .toClient, state: &state))
        #expect(again.message.anomalies == ["iec104.unsolicited_confirmation"])
    }

    @Test func unknownAddressAnswerTakesTheActivation() throws {
        var state = IEC104.makeState()
        _ = IEC104Harness.message(Self.command(6), .toServer, state: &state, time: 10)
        let refusal = try #require(IEC104Harness.message(Self.command(0x6f), .toClient, state: &state, time: 30))
        #expect(refusal.message.status == .exception(code: 47, name: "unknown_object_address"))
        #expect(refusal.message.roundTripNanoseconds == 20)
        #expect(state.pending.count == 0)
    }

    @Test func pendingTableIsBounded() {
        var state = IEC104.makeState()
        var overflows = 0
        for index in 0..<(IEC104.PendingTable.capacity + 10) {
            // Distinct object addresses, all within the timeout.
            let ioa = UInt8(truncatingIfNeeded: index)
            let bytes = IEC104Harness.iFrame(
                send: UInt16(index), [0x2d, 0x01, 0x06, 0x00, 0x01, 0x00, ioa, UInt8(index >> 8), 0x01, 0x81])
            if IEC104Harness.message(bytes, .toServer, state: &state, time: Int64(index))?.frame.anomalies
                .contains(.pendingOverflow) == true
            {
                overflows += 1
            }
        }
        #expect(overflows == 10)
        #expect(state.pending.count == IEC104.PendingTable.capacity)
        #expect(state.pendingOverflows == 10)
    }

    @Test func roleFacts() throws {
        let (frame, _) = try #require(IEC104Harness.single([0x68, 0x04, 0x0b, 0, 0, 0], .toClient))
        let confirmation: [UInt8] = [0x68, 0x04, 0x0b, 0, 0, 0]
        let facts = IEC104.facts(frame, bytes: confirmation.span, context: IEC104Harness.context(.toClient))
        #expect(facts.map(\.value) == [IEC104.controlledStationRole, IEC104.controllingStationRole])
        #expect(facts.map(\.address) == [IEC104Harness.server.address, IEC104Harness.client.address])
        #expect(facts.allSatisfy { $0.kind == .role && $0.source == "iec104/startdt_con" })
        let act = [UInt8]([0x68, 0x04, 0x07, 0, 0, 0])
        let (actFrame, _) = try #require(IEC104Harness.single(act, .toServer))
        #expect(IEC104.facts(actFrame, bytes: act.span, context: IEC104Harness.context(.toServer)).isEmpty)
    }
}
