import ConvergeModel
import ConvergeProtocols

/// Which Ethernet address each IP address's frames carried, from the first packet of each flow:
/// the host's own MAC on its segment, a router's for a host behind one. Reported once per
/// (address, MAC) pair as a low-confidence `mac_address` fact with source `ethernet`, so the
/// inventory can tie addresses to devices and tell a router (one MAC behind many IPs) from a host.
/// Runs only when something consumes events, once per new flow, never per packet.
final class HostSightings {
    /// Distinct pairs remembered; when full the memory starts over (repeated facts, no growth).
    static let capacity = 262_144

    private struct Key: Hashable {
        var address: IPAddress
        var mac: UInt64
    }

    private var seen = SeenKeys<Key>(capacity: HostSightings.capacity)

    func facts(_ packet: borrowing DecodedPacket, time: Timestamp) -> [AssetFact] {
        var out: [AssetFact] = []
        note(packet.source, packet.sourceMAC, time, into: &out)
        note(packet.destination, packet.destinationMAC, time, into: &out)
        return out
    }

    private func note(_ address: IPAddress, _ mac: UInt64, _ time: Timestamp, into out: inout [AssetFact]) {
        // Frames without Ethernet headers (raw IP, Linux cooked captures) carry no MAC of their own.
        guard mac != 0, !MACAddress.isGroup(mac), address.bits != 0 else { return }
        let key = Key(address: address, mac: mac)
        let slot = SeenKeys<Key>.slot(UInt64(truncatingIfNeeded: address.bits), mac)
        guard seen.insert(key, slot: slot) else { return }
        var fact = AssetFact(time: time, address: address, kind: .macAddress, value: MACAddress.text(mac), source: "ethernet")
        fact.confidence = .low
        out.append(fact)
    }
}
