/// Message and function-code counts per application protocol, one slot per protocol (and one per
/// protocol's sub-functions). Codes below 256 (all that Modbus, DNP3, S7 and most others use) sit
/// in one flat buffer, so counting a message is one add with no uniqueness check; larger codes
/// (OPC UA service ids) fall back to a dictionary. A slot's message count is not kept apart: it is
/// its messages without a function plus the sum of its function counts (each message with a
/// function counts under exactly one code), added up when asked.
final class ProtocolCounters {
    static let slots = 256
    static let smallCodes = 256
    /// Elements between two slots' small counts: one line more than the codes take, so the same
    /// code of neighbouring slots does not share its address's low 12 bits (4 KiB aliasing).
    static let slotStride = smallCodes &+ 8
    /// Distinct large codes kept at most per slot; the rest are summed under `overflowCode` so a
    /// hostile stream of random codes cannot grow the table without bound.
    static let maxLargeCodes = 4096
    static let overflowCode = -1

    /// Messages without a function code, per slot.
    private let functionless: UnsafeMutablePointer<UInt64>
    private let smallCounts: UnsafeMutablePointer<UInt64>
    private var large: [[Int: UInt64]] = Array(repeating: [:], count: ProtocolCounters.slots)

    init() {
        functionless = .allocate(capacity: Self.slots)
        functionless.initialize(repeating: 0, count: Self.slots)
        smallCounts = .allocate(capacity: Self.slots &* Self.slotStride)
        smallCounts.initialize(repeating: 0, count: Self.slots &* Self.slotStride)
    }

    deinit {
        functionless.deallocate()
        smallCounts.deallocate()
    }

    /// Counts one message of `slot` (0..<`slots`), with its function code when it has one.
    @inline(__always)
    func count(_ slot: Int, function code: Int?) {
        guard slot >= 0, slot < Self.slots else { return }
        guard let code else {
            functionless[slot] &+= 1
            return
        }
        if code >= 0, code < Self.smallCodes {
            smallCounts[slot &* Self.slotStride &+ code] &+= 1
        } else {
            countLarge(slot, code)
        }
    }

    private func countLarge(_ slot: Int, _ code: Int) {
        if large[slot][code] != nil || large[slot].count < Self.maxLargeCodes {
            large[slot][code, default: 0] &+= 1
        } else {
            large[slot][Self.overflowCode, default: 0] &+= 1
        }
    }

    func messages(_ slot: Int) -> UInt64 {
        guard slot >= 0, slot < Self.slots else { return 0 }
        var total = functionless[slot]
        for code in 0..<Self.smallCodes { total &+= smallCounts[slot &* Self.slotStride &+ code] }
        for (_, n) in large[slot] { total &+= n }
        return total
    }

    /// Function code → count for `slot`, zero counts left out.
    func functions(_ slot: Int) -> [Int: UInt64] {
        guard slot >= 0, slot < Self.slots else { return [:] }
        var out = large[slot]
        for code in 0..<Self.smallCodes {
            let n = smallCounts[slot &* Self.slotStride &+ code]
            if n > 0 { out[code] = n }
        }
        return out
    }
}
