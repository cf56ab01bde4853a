import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Request/response pairing by transaction id, round-trip time, the bounded pending table and
/// the scan signals that per-flow state makes visible.
@Suite struct ModbusTCPPairingTests {
    /// Read holding registers 0…1 with this transaction id and unit.
    static func request(_ transaction: UInt16, unit: UInt8 = 1) -> [UInt8] {
        [UInt8(transaction >> 8), UInt8(transaction & 0xff), 0, 0, 0, 6, unit, 0x03, 0, 0, 0, 2]
    }

    static func response(_ transaction: UInt16, unit: UInt8 = 1) -> [UInt8] {
        [UInt8(transaction >> 8), UInt8(transaction & 0xff), 0, 0, 0, 7, unit, 0x03, 4, 0, 1, 0, 2]
    }

    @Test func pairsOutOfOrderResponsesWithRoundTrip() {
        var state = ModbusTCP.makeState()
        _ = ModbusHarness.message(Self.request(1), .toServer, state: &state, time: 1_000_000)
        _ = ModbusHarness.message(Self.request(2), .toServer, state: &state, time: 2_000_000)
        #expect(state.pending.count == 2)
        let second = ModbusHarness.message(Self.response(2), .toClient, state: &state, time: 2_500_000)
        let first = ModbusHarness.message(Self.response(1), .toClient, state: &state, time: 4_000_000)
        #expect(second?.message.roundTripNanoseconds == 500_000)
        #expect(first?.message.roundTripNanoseconds == 3_000_000)
        #expect(first?.message.anomalies == [])
        #expect(state.pending.count == 0)
    }

    @Test func unsolicitedResponse() {
        var state = ModbusTCP.makeState()
        let stray = ModbusHarness.message(Self.response(9), .toClient, state: &state)
        #expect(stray?.message.anomalies == ["modbus.unsolicited_response"])
        #expect(stray?.message.roundTripNanoseconds == nil)
        #expect(stray?.message.targets.first?.address == ModbusTCP.unknownAddress)
        #expect(stray?.message.targets.first?.values == [1, 2])
        // The same response twice: the second has nothing left to answer.
        _ = ModbusHarness.message(Self.request(3), .toServer, state: &state)
        #expect(ModbusHarness.message(Self.response(3), .toClient, state: &state)?.message.anomalies == [])
        #expect(ModbusHarness.message(Self.response(3), .toClient, state: &state)?.message.anomalies
            == ["modbus.unsolicited_response"])
    }

    @Test func responseFromAnotherUnitOrFunction() {
        var state = ModbusTCP.makeState()
        _ = ModbusHarness.message(Self.request(4, unit: 1), .toServer, state: &state)
        let other = ModbusHarness.message(Self.response(4, unit: 2), .toClient, state: &state)
        #expect(other?.message.anomalies == ["modbus.response_mismatch"])

        // pymodbus answers an unknown function with function 0 and the exception bit.
        _ = ModbusHarness.message([0, 5, 0, 0, 0, 2, 1, 0x0a], .toServer, state: &state)
        let odd = ModbusHarness.message([0, 5, 0, 0, 0, 3, 1, 0x80, 0x01], .toClient, state: &state)
        #expect(odd?.frame.functionCode == 0)
        #expect(odd?.message.status == .exception(code: 1, name: "illegal_function"))
        #expect(odd?.message.anomalies == ["modbus.response_mismatch"])
    }

    @Test func repeatedTransactionIDReplacesThePendingRequest() {
        var state = ModbusTCP.makeState()
        _ = ModbusHarness.message(Self.request(0), .toServer, state: &state, time: 10)
        _ = ModbusHarness.message(Self.request(0), .toServer, state: &state, time: 50)
        #expect(state.pending.count == 1)
        let answer = ModbusHarness.message(Self.response(0), .toClient, state: &state, time: 80)
        #expect(answer?.message.roundTripNanoseconds == 30)
    }

    @Test func pendingTableIsBounded() {
        var state = ModbusTCP.makeState()
        let capacity = ModbusTCP.PendingTable.capacity
        for transaction in 0..<capacity {
            let sent = ModbusHarness.message(Self.request(UInt16(transaction)), .toServer, state: &state,
                time: Int64(transaction))
            #expect(sent?.message.anomalies == [])
        }
        #expect(state.pending.count == capacity)
        let overflow = ModbusHarness.message(Self.request(1000), .toServer, state: &state, time: 1000)
        #expect(overflow?.message.anomalies == ["modbus.pending_overflow"])
        #expect(state.pending.count == capacity)
        #expect(state.pendingOverflows == 1)
        // The oldest (transaction 0) made room; the newest and the rest still pair.
        #expect(ModbusHarness.message(Self.response(0), .toClient, state: &state)?.message.anomalies
            == ["modbus.unsolicited_response"])
        #expect(ModbusHarness.message(Self.response(1000), .toClient, state: &state)?.message.anomalies == [])
        #expect(ModbusHarness.message(Self.response(1), .toClient, state: &state)?.message.anomalies == [])
        #expect(state.pending.count == capacity - 2)
        // A flood far past the cap stays bounded.
        for transaction in 2000..<3000 {
            _ = ModbusHarness.message(Self.request(UInt16(transaction)), .toServer, state: &state)
        }
        #expect(state.pending.count == capacity)
    }

    @Test func lostResponsesTimeOutInsteadOfOverflowing() {
        var state = ModbusTCP.makeState()
        #expect(ModbusTCP.PendingTable.requestTimeout.nanoseconds == 10_000_000_000)
        // A long-lived flow where no response is seen, polled twice a second for an hour.
        var overflows = 0
        for tick in 0..<7200 {
            let time = Int64(tick) * 500_000_000
            let sent = ModbusHarness.message(Self.request(UInt16(tick)), .toServer, state: &state, time: time)
            if sent?.message.anomalies.contains("modbus.pending_overflow") == true { overflows += 1 }
        }
        #expect(overflows == 0)
        #expect(state.pending.count == ModbusTCP.PendingTable.capacity)
        #expect(state.pending.unanswered == UInt64(7200 - ModbusTCP.PendingTable.capacity))
    }

    @Test func unitScanIsFlaggedOnce() {
        var state = ModbusTCP.makeState()
        var flagged: [Int] = []
        for unit in 1..<100 {
            // Repeating a unit does not count twice.
            _ = ModbusHarness.message(Self.request(UInt16(unit), unit: 1), .toServer, state: &state)
            let sent = ModbusHarness.message(Self.request(UInt16(unit), unit: UInt8(unit)), .toServer, state: &state)
            if sent?.message.anomalies.contains("modbus.unit_scan") == true { flagged.append(unit) }
        }
        #expect(flagged == [ModbusTCP.State.unitScanThreshold])
    }

    @Test func functionScanIsFlaggedOnce() {
        var state = ModbusTCP.makeState()
        var flagged: [UInt8] = []
        // Codes a server rejects as illegal, each answered with exception 1.
        for (index, code) in [UInt8](arrayLiteral: 7, 11, 12, 20, 21, 24).enumerated() {
            let transaction = UInt8(index)
            _ = ModbusHarness.message([0, transaction, 0, 0, 0, 2, 1, code], .toServer, state: &state)
            let answer = ModbusHarness.message(
                [0, transaction, 0, 0, 0, 3, 1, code | 0x80, 0x01], .toClient, state: &state)
            if answer?.message.anomalies.contains("modbus.function_scan") == true { flagged.append(code) }
        }
        #expect(flagged == [20])
    }
}
