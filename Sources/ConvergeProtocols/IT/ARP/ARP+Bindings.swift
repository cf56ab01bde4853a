import ConvergeModel

extension ARP {
    /// What a frame did to the IP ↔ MAC table.
    public enum BindingChange: Equatable, Sendable {
        /// The pair was already known.
        case same
        /// First time this IP was seen bound to a MAC.
        case new
        /// The IP moved from `previous` to the frame's MAC: a NIC swap, a failover, or spoofing.
        case changed(previous: UInt64)
        /// The table is full; the binding was not kept (counted, never grows past its cap).
        case untracked
    }

    /// The IPv4 → MAC bindings ARP has shown, bounded by `capacity`. One table per analysis: bindings
    /// belong to the broadcast domain, not to a flow.
    public struct Bindings: Sendable {
        /// Enough for a large plant's broadcast domains; a flood of forged senders stops here.
        public static let defaultCapacity = 65_536
        public let capacity: Int
        private var macByIP: [UInt32: UInt64] = [:]
        public private(set) var untracked: UInt64 = 0
        public private(set) var changes: UInt64 = 0

        public init(capacity: Int = Bindings.defaultCapacity) { self.capacity = max(capacity, 1) }

        public var count: Int { macByIP.count }
        public func mac(of ip: UInt32) -> UInt64? { macByIP[ip] }

        /// Records that `ip` is at `mac` (from a frame's sender fields).
        public mutating func observe(ip: UInt32, mac: UInt64) -> BindingChange {
            guard ip != 0, mac != 0, !MACAddress.isGroup(mac) else { return .same }
            if let known = macByIP[ip] {
                guard known != mac else { return .same }
                macByIP[ip] = mac
                changes &+= 1
                return .changed(previous: known)
            }
            guard macByIP.count < capacity else {
                untracked &+= 1
                return .untracked
            }
            macByIP[ip] = mac
            return .new
        }
    }
}
