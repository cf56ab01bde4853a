import ConvergeModel
import ConvergeProtocols
import ConvergeTestSupport
import Testing

@Suite struct PendingTableTests {
    struct Request: PendingRequest, Equatable {
        var id: UInt16
        var time: Timestamp
        var pendingKey: UInt16 { id }
    }

    static func at(_ id: UInt16, _ ns: Int64 = 0) -> Request { Request(id: id, time: Timestamp(nanoseconds: ns)) }

    @Test func takeReturnsTheRequestOnceAndPeekLeavesIt() {
        var table = BoundedPendingTable<Request>(capacity: 4, lostAfter: nil)
        let firstDropped = table.insert(Self.at(1))
        let secondDropped = table.insert(Self.at(2))
        #expect(!firstDropped && !secondDropped)
        #expect(table.peek(2) == Self.at(2))
        #expect(table.count == 2)
        let first = table.take(1)
        let again = table.take(1)
        let second = table.take(2)
        #expect(first == Self.at(1))
        #expect(again == nil)
        #expect(second == Self.at(2))
        #expect(table.count == 0)
    }

    @Test func aRepeatedKeyReplacesAndCountsTheFirstUnanswered() {
        var table = BoundedPendingTable<Request>(capacity: 4, lostAfter: nil)
        _ = table.insert(Self.at(7, 1))
        _ = table.insert(Self.at(7, 2))
        #expect(table.count == 1)
        #expect(table.unanswered == 1)
        let taken = table.take(7)
        #expect(taken == Self.at(7, 2))
    }

    @Test func requestsBeyondTheInlineSlotsSpillAndComeBack() {
        var table = BoundedPendingTable<Request>(capacity: 32, lostAfter: nil)
        for id in UInt16(0)..<20 { _ = table.insert(Self.at(id, Int64(id))) }
        #expect(table.count == 20)
        for id in UInt16(0)..<20 {
            let taken = table.take(id)
            #expect(taken == Self.at(id, Int64(id)))
        }
        #expect(table.count == 0)
    }

    @Test func aFullTableDropsTheOldest() {
        var table = BoundedPendingTable<Request>(capacity: 3, lostAfter: Duration64(nanoseconds: 100))
        _ = table.insert(Self.at(1, 0))
        _ = table.insert(Self.at(2, 50))
        _ = table.insert(Self.at(3, 60))
        // The oldest (1, at 0) is 70 ns older than the newcomer: it could still have been answered.
        let droppedLive = table.insert(Self.at(4, 70))
        #expect(droppedLive)
        let oldest = table.take(1)
        #expect(oldest == nil)
        // Now the oldest is 2 (at 50), 250 ns before: lost anyway, so not reported.
        let droppedLost = table.insert(Self.at(5, 300))
        #expect(!droppedLost)
        #expect(table.count == 3)
        #expect(table.unanswered == 2)
    }

    /// The table against a plain dictionary model, under random inserts and takes.
    @Test func agreesWithAModel() {
        var random = SeededGenerator(seed: 0x9E11)
        var table = BoundedPendingTable<Request>(capacity: 1_000, lostAfter: nil)
        var model: [UInt16: Request] = [:]
        for step in 0..<5_000 {
            let id = UInt16.random(in: 0..<24, using: &random)
            if Bool.random(using: &random) {
                let request = Self.at(id, Int64(step))
                _ = table.insert(request)
                model[id] = request
            } else {
                let taken = table.take(id)
                #expect(taken == model.removeValue(forKey: id))
            }
            #expect(table.count == model.count)
        }
    }
}
