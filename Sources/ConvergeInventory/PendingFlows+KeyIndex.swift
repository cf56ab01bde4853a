extension PendingFlows {
    /// Where each key's sum is in `sums`: an open-addressed table probed linearly from a cheap mix
    /// of the key (a few multiplies, where the standard dictionary ran SipHash over 40 bytes for
    /// every flow). An entry is the sum's place plus one (0 = empty) with the mix's high half beside
    /// it, so a probe compares the whole key only when that half matches. The keys themselves live in
    /// the sums, whose memory a known key's merge touches anyway.
    struct KeyIndex {
        private var entries = [UInt64](repeating: 0, count: 1024)
        private var count = 0

        @inline(__always)
        static func mix(_ key: Key) -> UInt64 {
            let client = UInt64(truncatingIfNeeded: key.client) ^ UInt64(truncatingIfNeeded: key.client >> 64) &* 31
            let server = UInt64(truncatingIfNeeded: key.server) ^ UInt64(truncatingIfNeeded: key.server >> 64) &* 31
            let mixed = (client &* 0xBF58_476D_1CE4_E5B9 ^ server) &* 0x9E37_79B9_7F4A_7C15 ^ key.shape
            let spread = (mixed ^ (mixed >> 29)) &* 0xBF58_476D_1CE4_E5B9
            return spread ^ (spread >> 32)
        }

        /// The place of the sum whose key `isKey` accepts, among those of this mix.
        @inline(__always)
        func find(_ mix: UInt64, where isKey: (Int) -> Bool) -> Int? {
            let mask = entries.count &- 1
            let tag = mix & 0xFFFF_FFFF_0000_0000
            var slot = Int(truncatingIfNeeded: mix) & mask
            while true {
                let entry = entries[slot]
                if entry == 0 { return nil }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let place = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                    if isKey(place) { return place }
                }
                slot = (slot &+ 1) & mask
            }
        }

        /// Records a new key's place; `sums` (those placed so far) are placed again when it grows.
        mutating func insert(_ mix: UInt64, place: Int, growingFrom sums: [Sum]) {
            // At most half full, so probes stay short.
            if (count &+ 1) &* 2 > entries.count {
                entries = [UInt64](repeating: 0, count: entries.count &* 2)
                count = 0
                for (old, sum) in sums.enumerated() { put(Self.mix(sum.key), place: old) }
            }
            put(mix, place: place)
        }

        private mutating func put(_ mix: UInt64, place: Int) {
            let mask = entries.count &- 1
            var slot = Int(truncatingIfNeeded: mix) & mask
            while entries[slot] != 0 { slot = (slot &+ 1) & mask }
            entries[slot] = mix & 0xFFFF_FFFF_0000_0000 | UInt64(place &+ 1)
            count &+= 1
        }

        /// Empty again, keeping its size.
        mutating func removeAll() {
            for i in entries.indices { entries[i] = 0 }
            count = 0
        }
    }
}
