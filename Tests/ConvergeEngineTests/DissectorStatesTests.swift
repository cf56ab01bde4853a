import ConvergeProtocols
import Testing

@testable import ConvergeEngine

/// The dissector state pools and the flat table of their addresses that the packet path reads
/// states through: the table must follow each pool as it grows, and freed slots are reused.
@Suite struct DissectorStatesTests {
    @Test func addressesFollowEachPoolAcrossGrowth() {
        let states = DissectorStates()
        var modbus: [Int32] = []
        var dnp3: [Int32] = []
        // Enough inserts to move both pools' storage several times (slabs start at 16).
        for _ in 0..<300 {
            modbus.append(states.insert(for: .modbus))
            dnp3.append(states.insert(for: .dnp3))
        }
        #expect(modbus == (0..<300).map { Int32($0) } && dnp3 == modbus)
        for index in modbus {
            let viaTable: UnsafeMutablePointer<ModbusTCP.State> = states.address(.modbus, index)
            #expect(viaTable == states.modbus.mutableAddress(index))
        }
        for index in dnp3 {
            let viaTable: UnsafeMutablePointer<DNP3.State> = states.address(.dnp3, index)
            #expect(viaTable == states.dnp3.mutableAddress(index))
        }
    }

    @Test func writesThroughTheTableLandInThePool() {
        let states = DissectorStates()
        let first = states.insert(for: .modbus)
        let pointer: UnsafeMutablePointer<ModbusTCP.State> = states.address(.modbus, first)
        pointer.pointee.pendingOverflows = 7
        #expect(states.modbus[first].pendingOverflows == 7)
        // Growth moves the storage; the state moves with it and the table follows.
        for _ in 0..<100 { _ = states.insert(for: .modbus) }
        let moved: UnsafeMutablePointer<ModbusTCP.State> = states.address(.modbus, first)
        #expect(moved.pointee.pendingOverflows == 7)
    }

    @Test func aFreedSlotIsReused() {
        let states = DissectorStates()
        let a = states.insert(for: .s7comm)
        let b = states.insert(for: .s7comm)
        states.remove(.s7comm, a)
        #expect(states.insert(for: .s7comm) == a)
        #expect(states.insert(for: .s7comm) == b &+ 1)
    }
}
