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

        /// Every field of the signature, packed into a few words: the derived hash combined some
        /// twenty fields one call each, for every SYN the memo missed. Equality stays field by field.
        func hash(into hasher: inout Hasher) {
            let s = signature
            hasher.combine(address.bits)
            hasher.combine(
                UInt64(s.window) | UInt64(s.ttl) << 16 | UInt64(s.initialTTL) << 24 | UInt64(s.distance) << 32
                    | UInt64(s.ipVersion) << 40 | UInt64(s.ipOptionsLength) << 48 | UInt64(s.eolPadding) << 56)
            let flags =
                (s.isSynAck ? 1 : 0) | (s.dontFragment ? 2 : 0) | (s.ipIDZero ? 4 : 0) | (s.timestampPresent ? 8 : 0)
                | (s.timestampZero ? 16 : 0) | (s.sackPermitted ? 32 : 0) as UInt64
            let mss = s.mss.map { UInt64($0) | 1 << 16 } ?? 0
            let scale = s.windowScale.map { UInt64($0) | 1 << 8 } ?? 0
            hasher.combine(
                UInt64(s.quirks.rawValue) | UInt64(s.headerBytes) << 32 | flags << 48)
            hasher.combine(mss | scale << 17 | UInt64(s.options.count) << 26)
            hasher.combine(s.payloadLength)
            hasher.combine(s.options.packed)
        }
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
