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

    /// A small memo: a key here is about 100 bytes, and the memo is read for every SYN, so it has to
    /// stay in cache more than it has to catch every host.
    private var seen = SeenKeys<Key>(capacity: HostFingerprints.capacity, memoSize: 512)
    var restarts: UInt64 { seen.restarts }

    /// The facts of a SYN or SYN+ACK whose signature is new for its sender, else none.
    func facts(_ frame: Span<UInt8>, packet: borrowing DecodedPacket, time: Timestamp) -> [AssetFact] {
        guard let signature = PassiveOSSignature.read(frame, packet: packet) else { return [] }
        let key = Key(address: packet.source, signature: signature)
        let shape = UInt64(signature.window) | UInt64(signature.ttl) << 16 | UInt64(signature.isSynAck ? 1 : 0) << 24
        let slot = SeenKeys<Key>.slot(UInt64(truncatingIfNeeded: packet.source.bits), shape)
        guard seen.insert(key, slot: slot) else { return [] }
        return PassiveOS.facts(for: signature, address: packet.source, time: time, isServer: signature.isSynAck)
    }
}
