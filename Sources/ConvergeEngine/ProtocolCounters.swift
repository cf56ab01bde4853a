/// Message and function-code counts for one application protocol. Codes below 256 (all that
/// Modbus, DNP3, S7 and most others use) go in a flat array so counting costs one add; larger
/// codes (OPC UA service ids, CIP paths) fall back to a dictionary.
struct ProtocolCounters {
    private(set) var messages: UInt64 = 0
    private var small = [UInt64](repeating: 0, count: 256)
    private var large: [Int: UInt64] = [:]
    /// Distinct large codes kept at most; the rest are summed under `overflowCode` so a hostile
    /// stream of random codes cannot grow the table without bound.
    static let maxLargeCodes = 4096
    static let overflowCode = -1

    mutating func count(function code: Int?) {
        messages &+= 1
        guard let code else { return }
        if code >= 0, code < 256 {
            small[code] &+= 1
        } else if large[code] != nil || large.count < Self.maxLargeCodes {
            large[code, default: 0] &+= 1
        } else {
            large[Self.overflowCode, default: 0] &+= 1
        }
    }

    /// Function code → count, zero counts left out.
    var functions: [Int: UInt64] {
        var out = large
        for (code, n) in small.enumerated() where n > 0 { out[code] = n }
        return out
    }
}
