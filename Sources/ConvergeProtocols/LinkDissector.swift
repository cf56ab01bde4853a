import ConvergeModel
import ConvergeWire

/// Where a link-layer frame (one that carries no IP: ARP, LLDP, CDP, STP) came from.
public struct LinkContext: Sendable {
    public var time: Timestamp
    public var sourceMAC: UInt64
    public var destinationMAC: UInt64
    /// Outermost 802.1Q VLAN id, 0 when untagged.
    public var vlan: UInt16
    public init(time: Timestamp, sourceMAC: UInt64, destinationMAC: UInt64, vlan: UInt16) {
        self.time = time
        self.sourceMAC = sourceMAC
        self.destinationMAC = destinationMAC
        self.vlan = vlan
    }
}

/// A dissector for frames that belong to no flow: one frame, one message, per-sender state kept by
/// the engine. The packet decoder leaves such frames as `network == .other` with `etherType` set
/// (0 for an 802.3 frame, whose payload then starts at its 802.2 LLC header).
public protocol LinkDissector {
    associatedtype Parsed: ParsedMessage

    /// The name used in summaries and events (`lldp`, `cdp`, `stp`).
    static var name: String { get }
    /// Whether a frame is this protocol, from its EtherType and the first payload bytes (the LLC
    /// header, or LLC + SNAP, of an 802.3 frame). Cheap: it runs for every non-IP frame.
    static func claims(etherType: UInt16, payload: Span<UInt8>) -> Bool
    /// Reads one frame's payload (as given to `claims`). Allocates nothing.
    static func parse(_ payload: Span<UInt8>) throws(DissectError) -> Parsed
    /// The normalised event; `sourceMAC`/`destinationMAC` set, endpoints the management address
    /// when the frame names one, else unset. Called only when something consumes events.
    static func event(_ parsed: Parsed, payload: Span<UInt8>, context: LinkContext) -> Message
    /// What the frame says about the sending device, each fact carrying its `mac`.
    static func facts(_ parsed: Parsed, payload: Span<UInt8>, context: LinkContext) -> [AssetFact]
}
