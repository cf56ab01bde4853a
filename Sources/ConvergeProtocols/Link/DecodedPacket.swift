import ConvergeModel
import ConvergeWire

/// What the link, network and transport decoders learned about one frame: plain scalars and
/// offsets into the frame, so decoding allocates nothing and the payload stays a borrowed view.
public struct DecodedPacket: Sendable {
    public enum Network: UInt8, Sendable { case none, arp, ipv4, ipv6, other }

    public var network: Network = .none
    /// EtherType of the innermost network header (0 when the link type has none).
    public var etherType: UInt16 = 0
    /// Outermost 802.1Q/802.1ad VLAN id, 0 when untagged.
    public var vlan: UInt16 = 0
    /// How many GRE/VXLAN encapsulations were peeled off to reach the inner packet.
    public var tunnelDepth: UInt8 = 0
    /// Ethernet source and destination (48 bits), 0 when the link has no MAC addresses.
    public var sourceMAC: UInt64 = 0
    public var destinationMAC: UInt64 = 0

    /// IP (or, for ARP, the sender/target protocol) addresses.
    /// (Defaults spelled `IPAddress(bits: 0)`, the value of `.none`: reading the `.none` global costs a
    /// lazy-initialisation check on every `DecodedPacket()`, which the decoder makes once a packet.)
    public var source: IPAddress = IPAddress(bits: 0)
    public var destination: IPAddress = IPAddress(bits: 0)
    public var ipProtocol: UInt8 = 0
    public var hopLimit: UInt8 = 0
    /// ARP: 1 request, 2 reply; 0 otherwise.
    public var arpOperation: UInt16 = 0

    /// Set when this frame is one fragment of a larger IP datagram: the transport fields below are
    /// then unset, and `payloadOffset`/`payloadLength` span the fragment's data.
    public var isFragment: Bool = false
    public var fragmentID: UInt32 = 0
    /// Offset of this fragment's data within the original datagram, in bytes.
    public var fragmentOffset: Int = 0
    public var moreFragments: Bool = false

    public var transport: Transport = .other
    public var sourcePort: UInt16 = 0
    public var destinationPort: UInt16 = 0
    /// TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80).
    public var tcpFlags: UInt8 = 0
    public var sequence: UInt32 = 0
    public var acknowledgment: UInt32 = 0
    public var window: UInt16 = 0
    public var icmpType: UInt8 = 0
    public var icmpCode: UInt8 = 0

    /// Where the transport payload (or, for a fragment, the fragment data) sits in the decoded span.
    public var payloadOffset: Int = 0
    public var payloadLength: Int = 0

    /// Where the innermost network (IP/ARP) header and transport header start in the decoded span.
    public var networkOffset: Int = 0
    public var transportOffset: Int = 0
    /// How many VLAN tags the frame carried, and the innermost tag's id when there were two or more (QinQ).
    public var vlanCount: UInt8 = 0
    public var innerVLAN: UInt16 = 0
    /// ARP: the sender hardware address (48 bits), 0 otherwise.
    public var arpSenderMAC: UInt64 = 0
    /// Outermost tunnel endpoints (the IP header that carried the first GRE/VXLAN/IP-in-IP layer) and
    /// the innermost tunnel's GRE key or VXLAN network identifier; unset when `tunnelDepth` is 0.
    public var tunnelSource: IPAddress = IPAddress(bits: 0)
    public var tunnelDestination: IPAddress = IPAddress(bits: 0)
    public var tunnelID: UInt32 = 0
    /// Oddities that did not stop decoding (length mismatches, TSO zero lengths, …).
    public var anomalies: Anomalies = []

    /// Inlinable: the decoder resets one of these per packet, and a call that stores every field
    /// one by one cost as much as decoding Ethernet.
    @inlinable public init() {}

    public static let fin: UInt8 = 0x01
    public static let syn: UInt8 = 0x02
    public static let rst: UInt8 = 0x04
    public static let psh: UInt8 = 0x08
    public static let ack: UInt8 = 0x10
}
