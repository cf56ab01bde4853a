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

    @Test func statesStartOnCacheLines() {
        // Slabs start their storage on a 64-byte line, so a state whose stride is a multiple of 64
        // (Modbus) keeps its front (the pending table's head) on one line.
        let states = DissectorStates()
        for _ in 0..<40 { _ = states.insert(for: .modbus) }
        #expect(MemoryLayout<ModbusTCP.State>.stride % 64 == 0)
        for index in Int32(0)..<40 {
            let state: UnsafeMutablePointer<ModbusTCP.State> = states.address(.modbus, index)
            #expect(Int(bitPattern: state) % 64 == 0)
        }
        let slab = Slab<UInt8>(capacity: 3)
        for byte in 0..<200 { slab.append(UInt8(byte)) }
        #expect(Int(bitPattern: slab.baseAddress) % 64 == 0 && slab[199] == 199 && slab.count == 200)
    }
}
