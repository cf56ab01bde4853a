import Testing

@testable import ConvergeEngine

/// Message and function counts per protocol slot: a slot's message count is its messages without
/// a function plus every function count (small codes, large codes and the overflow bucket).
@Suite struct ProtocolCountersTests {
    @Test func messagesAddUpEveryKindOfCount() {
        let counters = ProtocolCounters()
        for _ in 0..<3 { counters.count(5, function: nil) }
        for _ in 0..<4 { counters.count(5, function: 16) }
        counters.count(5, function: 255)
        counters.count(5, function: 631)  // an OPC UA service id: the dictionary
        counters.count(5, function: -3)  // negative: the dictionary too
        counters.count(6, function: 3)
        #expect(counters.messages(5) == 10)
        #expect(counters.functions(5) == [16: 4, 255: 1, 631: 1, -3: 1])
        #expect(counters.messages(6) == 1 && counters.functions(6) == [3: 1])
        #expect(counters.messages(7) == 0 && counters.functions(7).isEmpty)
        // Out of range slots count nothing and answer nothing.
        counters.count(-1, function: 1)
        counters.count(ProtocolCounters.slots, function: nil)
        #expect(counters.messages(-1) == 0 && counters.messages(ProtocolCounters.slots) == 0)
    }

    @Test func largeCodesPastTheCapStillCountAsMessages() {
        let counters = ProtocolCounters()
        let distinct = ProtocolCounters.maxLargeCodes &+ 10
        for code in 0..<distinct { counters.count(9, function: 1000 &+ code) }
        let functions = counters.functions(9)
        #expect(functions.count == ProtocolCounters.maxLargeCodes &+ 1)
        #expect(functions[ProtocolCounters.overflowCode] == 10)
        #expect(counters.messages(9) == UInt64(distinct))
    }
}
