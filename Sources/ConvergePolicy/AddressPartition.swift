import ConvergeModel

/// An inclusive range of the 128-bit (IPv4-mapped) address space.
public struct AddressRange: Sendable, Hashable, Comparable {
    public var first: UInt128
    public var last: UInt128

    public init(first: UInt128, last: UInt128) {
        self.first = first
        self.last = last
    }

    static let v4First: UInt128 = 0xffff << 32
    static let v4Last: UInt128 = v4First | 0xffff_ffff

    public static func < (a: AddressRange, b: AddressRange) -> Bool { (a.first, a.last) < (b.first, b.last) }

    /// The part inside the IPv4-mapped block and the parts outside it.
    public var splitByFamily: (v4: AddressRange?, v6: [AddressRange]) {
        var v6: [AddressRange] = []
        if first < Self.v4First { v6.append(.init(first: first, last: min(last, Self.v4First - 1))) }
        if last > Self.v4Last { v6.append(.init(first: max(first, Self.v4Last + 1), last: last)) }
        let lo = max(first, Self.v4First)
        let hi = min(last, Self.v4Last)
        return (lo <= hi ? AddressRange(first: lo, last: hi) : nil, v6)
    }

    /// `10.0.0.0/24` when the range is one aligned block, `10.0.0.5` for one address, else
    /// `10.0.0.5-10.0.0.9` (the forms nft and iptables' iprange accept).
    public var text: String {
        if first == last { return "\(IPAddress(bits: first))" }
        let size = last &- first &+ 1
        if size != 0, size & (size &- 1) == 0, first & (size &- 1) == 0 {
            let length = 128 - size.trailingZeroBitCount
            return CIDR(network: first, length: length).description
        }
        if first == 0, last == .max { return CIDR(network: 0, length: 0).description }
        return "\(IPAddress(bits: first))-\(IPAddress(bits: last))"
    }
}

/// The addresses each zone really owns once overlaps are resolved the way `ZoneMap` resolves
/// them (host claims first, then the longest block, then the first declared): disjoint ranges
/// per zone, which firewall rules can use without depending on rule order.
public enum AddressPartition {
    /// One zone's claim on a block; `host` claims (an asset's address) win over blocks.
    public struct Claim: Sendable {
        public var cidr: CIDR
        public var zone: Int
        public var host: Bool
        public var order: Int

        public init(cidr: CIDR, zone: Int, host: Bool = false, order: Int) {
            self.cidr = cidr
            self.zone = zone
            self.host = host
            self.order = order
        }
    }

    /// Ranges owned by each zone (indexed like the zones), sorted and merged.
    public static func ranges(zoneCount: Int, claims input: [Claim]) -> [[AddressRange]] {
        var result = Array(repeating: [AddressRange](), count: zoneCount)
        let claims = input.sorted { a, b in
            (a.cidr.first, a.cidr.length, a.host ? 0 : 1, a.order) < (
                b.cidr.first, b.cidr.length, b.host ? 0 : 1, b.order
            )
        }
        var index = 0
        while index < claims.count {
            let claim = claims[index]
            defer { index += 1 }
            guard claim.zone >= 0, claim.zone < zoneCount else { continue }
            // An identical block claimed earlier in this order wins outright.
            if index > 0, claims[index - 1].cidr == claim.cidr { continue }
            var cursor = claim.cidr.first
            var exhausted = false
            var next = index + 1
            while next < claims.count, claims[next].cidr.first <= claim.cidr.last, !exhausted {
                let inner = claims[next].cidr
                next += 1
                if inner == claim.cidr || inner.last < cursor { continue }
                if inner.first > cursor { result[claim.zone].append(.init(first: cursor, last: inner.first - 1)) }
                if inner.last == .max { exhausted = true } else { cursor = inner.last + 1 }
                if cursor > claim.cidr.last { exhausted = true }
            }
            if !exhausted, cursor <= claim.cidr.last {
                result[claim.zone].append(.init(first: cursor, last: claim.cidr.last))
            }
        }
        return result.map(merge)
    }

    static func merge(_ ranges: [AddressRange]) -> [AddressRange] {
        var merged: [AddressRange] = []
        for range in ranges.sorted() {
            if let last = merged.last, last.last != .max, range.first <= last.last + 1 {
                merged[merged.count - 1].last = max(last.last, range.last)
            } else if let last = merged.last, last.last == .max {
                continue
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
