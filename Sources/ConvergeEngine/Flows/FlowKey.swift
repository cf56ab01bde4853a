import ConvergeModel

/// The identity of a bidirectional flow: protocol, VLAN and the two endpoints in a fixed order
/// (the numerically lower address/port pair is endpoint A), so both directions of a conversation
/// build the same key. Plain integers only, so comparing and hashing cost a few instructions.
public struct FlowKey: Hashable, Sendable {
    public var addressA: UInt128
    public var addressB: UInt128
    public var portA: UInt16
    public var portB: UInt16
    public var vlan: UInt16
    public var ipProtocol: UInt8

    @inlinable
    public init(addressA: UInt128, portA: UInt16, addressB: UInt128, portB: UInt16, vlan: UInt16, ipProtocol: UInt8) {
        self.addressA = addressA
        self.addressB = addressB
        self.portA = portA
        self.portB = portB
        self.vlan = vlan
        self.ipProtocol = ipProtocol
    }

    /// The key of a packet's flow and whether the packet's source is endpoint A.
    @inlinable @inline(__always)
    public static func normalised(
        source: UInt128, sourcePort: UInt16, destination: UInt128, destinationPort: UInt16,
        vlan: UInt16, ipProtocol: UInt8
    ) -> (key: FlowKey, sourceIsA: Bool) {
        let sourceIsA = source < destination || (source == destination && sourcePort <= destinationPort)
        if sourceIsA {
            return (FlowKey(addressA: source, portA: sourcePort, addressB: destination, portB: destinationPort,
                            vlan: vlan, ipProtocol: ipProtocol), true)
        }
        return (FlowKey(addressA: destination, portA: destinationPort, addressB: source, portB: sourcePort,
                        vlan: vlan, ipProtocol: ipProtocol), false)
    }

    /// A 64-bit mix of the key. Symmetric because the key itself is normalised; `seed` varies it per
    /// table so crafted traffic cannot aim for long probe chains. Use seed 0 for sharding across workers.
    @inlinable @inline(__always)
    public func hash(seed: UInt64) -> UInt64 {
        let tail = UInt64(portA) << 48 | UInt64(portB) << 32 | UInt64(vlan) << 8 | UInt64(ipProtocol)
        var h = (UInt64(truncatingIfNeeded: addressA) ^ seed) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(truncatingIfNeeded: addressA >> 64) &+ (h >> 29)
        h = (h ^ UInt64(truncatingIfNeeded: addressB)) &* 0xBF58_476D_1CE4_E5B9
        h ^= UInt64(truncatingIfNeeded: addressB >> 64) &+ (h >> 31)
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }
}
