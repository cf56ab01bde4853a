/// A small direct-mapped memo in front of a `Set` of keys already reported: a key found here is
/// in the set, so the set's hashing (SipHash over the whole key) is skipped for the keys that come
/// back again and again (the same hosts opening flow after flow). The caller gives each key a
/// cheap slot number and must `forgetAll` whenever its set starts over, so the memo never holds a
/// key the set has dropped. Fixed size: it never grows.
struct RecentlySeen<Key: Equatable> {
    private var slots: [Key?]
    private let mask: Int

    /// `size` is rounded up to a power of two.
    init(size: Int) {
        var n = 1
        while n < size { n &<<= 1 }
        slots = Array(repeating: nil, count: n)
        mask = n &- 1
    }

    func contains(_ key: Key, slot: UInt64) -> Bool {
        slots[Int(truncatingIfNeeded: slot) & mask] == key
    }

    mutating func remember(_ key: Key, slot: UInt64) {
        slots[Int(truncatingIfNeeded: slot) & mask] = key
    }

    mutating func forgetAll() {
        for i in slots.indices { slots[i] = nil }
    }

    /// A slot number mixed from two words (a multiply and a shift: cheap, and spread enough for a
    /// memo that only has to be right when it says yes).
    static func slot(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = (a ^ (b &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 31)
    }
}
