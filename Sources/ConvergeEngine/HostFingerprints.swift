import ConvergeModel
import ConvergeProtocols

/// Passive OS hints (p0f-style) from the TCP SYNs and SYN+ACKs a capture shows: each host's
/// signature is reported once as low- or medium-confidence facts, again only when it changes
/// (another host behind the address, a NAT). Runs only when something consumes events.
final class HostFingerprints {
    /// Distinct (address, role, signature) triples remembered; when full the memory starts over,
    /// so a scan from forged addresses costs repeated facts, never unbounded growth.
    static let capacity = 65_536

    private struct Key: Hashable {
        var address: IPAddress
        var signature: PassiveOSSignature
    }

    private var seen: Set<Key> = []
    private(set) var restarts: UInt64 = 0

    /// The facts of a SYN or SYN+ACK whose signature is new for its sender, else none.
    func facts(_ frame: Span<UInt8>, packet: borrowing DecodedPacket, time: Timestamp) -> [AssetFact] {
        guard let signature = PassiveOSSignature.read(frame, packet: packet) else { return [] }
        let key = Key(address: packet.source, signature: signature)
        guard !seen.contains(key) else { return [] }
        if seen.count >= Self.capacity {
            seen.removeAll(keepingCapacity: true)
            restarts &+= 1
        }
        seen.insert(key)
        return PassiveOS.facts(for: signature, address: packet.source, time: time, isServer: signature.isSynAck)
    }
}
