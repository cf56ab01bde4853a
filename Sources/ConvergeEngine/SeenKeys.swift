/// Keys already reported, bounded: when `capacity` is reached the memory starts over (repeated
/// reports, never unbounded growth). A small direct-mapped memo sits in front of the set: a key
/// found there is in the set, so the set's hashing (SipHash over the whole key) is skipped for
/// the keys that come back again and again (the same hosts opening flow after flow). The memo is
/// emptied whenever the set starts over, so it never holds a key the set has dropped.
struct SeenKeys<Key: Hashable> {
    let capacity: Int
    private var seen: Set<Key> = []
    private var recent: [Key?]
    private let mask: Int
    /// How often the memory started over.
    private(set) var restarts: UInt64 = 0

    /// `memoSize` is rounded up to a power of two.
    init(capacity: Int, memoSize: Int = 4096) {
        self.capacity = capacity
        var n = 1
        while n < memoSize { n &<<= 1 }
        recent = Array(repeating: nil, count: n)
        mask = n &- 1
    }

    /// True the first time `key` is seen (since the memory last started over), and records it.
    /// `slot` is any cheap number from the key (`slot(_:_:)`): it only places it in the memo.
    mutating func insert(_ key: Key, slot: UInt64) -> Bool {
        let place = Int(truncatingIfNeeded: slot) & mask
        if recent[place] == key { return false }
        guard !seen.contains(key) else {
            recent[place] = key
            return false
        }
        if seen.count >= capacity {
            seen.removeAll(keepingCapacity: true)
            for i in recent.indices { recent[i] = nil }
            restarts &+= 1
        }
        seen.insert(key)
        recent[place] = key
        return true
    }

    /// A slot number mixed from two words (a multiply and a shift: cheap, and spread enough for a
    /// memo that only has to be right when it says yes).
    static func slot(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = (a ^ (b &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 31)
    }
}
