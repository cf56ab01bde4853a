import ConvergeModel
import ConvergeProtocols
import Testing

@testable import ConvergeEngine

/// The application layer's per-flow records: slots reused, contents kept across growth, the two
/// streams adjacent and independent of the small fields, each slot's operation tally fresh on
/// insert, kept across growth and on the slot's third cache line.
@Suite struct FlowSessionsTests {
    static func app(_ port: UInt16) -> ApplicationLayer.FlowApp {
        var app = ApplicationLayer.FlowApp(app: .modbus)
        app.hintPort = port
        return app
    }

    @Test func recordsKeepTheirFieldsAcrossGrowth() {
        let sessions = FlowSessions(capacity: 2)
        var indexes: [Int32] = []
        for port in 0..<1000 { indexes.append(sessions.insert(Self.app(UInt16(port)))) }
        #expect(indexes == (0..<1000).map { Int32($0) })
        for (port, index) in indexes.enumerated() {
            #expect(sessions[index].hintPort == UInt16(port) && sessions.contains(index))
        }
    }

    @Test func removedSlotsAreReusedLastFirst() {
        let sessions = FlowSessions(capacity: 4)
        for port in 0..<8 { _ = sessions.insert(Self.app(UInt16(port))) }
        sessions.remove(3)
        sessions.remove(5)
        #expect(!sessions.contains(3) && !sessions.contains(5) && sessions.contains(4))
        #expect(sessions.insert(Self.app(50)) == 5)
        #expect(sessions.insert(Self.app(30)) == 3)
        #expect(sessions.insert(Self.app(80)) == 8)
        #expect(sessions[3].hintPort == 30 && sessions[5].hintPort == 50 && sessions[4].hintPort == 4)
        #expect(!sessions.contains(-1) && !sessions.contains(9))
        sessions.remove(42)  // not a record: ignored
        #expect(sessions.count == 9)
    }

    @Test func streamsAreAdjacentAndApartFromTheFields() {
        let sessions = FlowSessions()
        let shared = TCPReassembly()
        let index = sessions.insert(Self.app(502))
        let lanes = sessions.lanes(index)
        let bytes: [UInt8] = Array(repeating: 7, count: 100)
        // Each lane takes its own sequence space; the record's fields stay as they were.
        lanes[0].receive(sequence: 1000, flags: 0x10, payload: bytes.span, shared: shared) { _, _ in 40 }
        let short = Array(bytes.prefix(10))
        lanes[1].receive(sequence: 5000, flags: 0x10, payload: short.span, shared: shared) { _, _ in 10 }
        #expect(lanes[0].nextSequence == 1100 && lanes[0].bufferedBytes == 60 && lanes[0].isHolding)
        #expect(lanes[1].nextSequence == 5010 && lanes[1].bufferedBytes == 0 && !lanes[1].isHolding)
        sessions[index].rejected = true
        #expect(sessions[index].hintPort == 502 && sessions[index].app == .modbus)
        #expect(lanes[0].nextSequence == 1100 && lanes[1].nextSequence == 5010)
        lanes[0].release(shared: shared)
        lanes[1].release(shared: shared)
        #expect(shared.bytesInUse == 0)
        sessions.remove(index)
    }

    @Test func talliesAreFreshKeptAcrossGrowthAndApartFromTheRecord() {
        let sessions = FlowSessions(capacity: 2)
        var indexes: [Int32] = []
        for port in 0..<40 {
            let index = sessions.insert(Self.app(UInt16(port)))
            indexes.append(index)
            #expect(sessions.tally(index).pointee.messages == 0)
            sessions.tally(index).pointee.messages = UInt32(port) &+ 1
            sessions.tally(index).pointee.request(.write, fromClient: true, time: Timestamp(nanoseconds: 5))
        }
        for (port, index) in indexes.enumerated() {
            let tally = sessions.tally(index).pointee
            #expect(tally.messages == UInt32(port) &+ 1 && sessions[index].hintPort == UInt16(port))
            #expect(tally.record?.fromClient[.write] == 1)
            // The tally starts the slot's third line: the record's first two lines are its own.
            let record = UnsafeRawPointer(sessions.app(index))
            #expect(UnsafeRawPointer(sessions.tally(index)) - record == FlowSessions.tallyOffset)
            #expect(Int(bitPattern: UnsafeRawPointer(sessions.tally(index))) % 64 == 0)
        }
        // A reused slot starts counting again.
        sessions.remove(indexes[7])
        #expect(sessions.insert(Self.app(7)) == indexes[7])
        #expect(sessions.tally(indexes[7]).pointee.messages == 0 && sessions.tally(indexes[7]).pointee.record == nil)
    }
}
