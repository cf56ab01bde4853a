import ConvergeModel
import ConvergeWire

/// Multicast DNS (RFC 6762) with DNS-SD (RFC 6763) on UDP 5353: DNS messages, parsed by `DNS`,
/// that hosts multicast about themselves. Nothing is paired (answers go to the group, often
/// unasked), every message is `discovery`, and a response tells about its sender: the services it
/// offers (SRV, PTR), its host name, and model and vendor hints in TXT records.
///
/// Counted function as DNS: `dns.flags.response` × 16 + `dns.flags.opcode`.
public enum MDNS: LinkLocalDNS {
    public static var name: String { "mdns" }
    public static var portHints: PortHints { PortHints(udp: [5353]) }

    public static func facts(
        _ parsed: DNS.Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        var facts = DNS.addressFacts(parsed, bytes: bytes, context: context, source: name)
        for fact in DNS.senderFacts(parsed, bytes: bytes, context: context, source: name) where !facts.contains(fact) {
            facts.append(fact)
        }
        return facts
    }
}

/// Link-Local Multicast Name Resolution (RFC 4795) on UDP 5355: Windows' name lookup on the local
/// link, DNS messages parsed by `DNS`. Queries go to the group and answers come back unicast from
/// another port, so nothing is paired; an answer names its responder's addresses.
///
/// Counted function as DNS: `dns.flags.response` × 16 + `dns.flags.opcode`.
public enum LLMNR: LinkLocalDNS {
    public static var name: String { "llmnr" }
    public static var portHints: PortHints { PortHints(udp: [5355]) }

    public static func facts(
        _ parsed: DNS.Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        DNS.addressFacts(parsed, bytes: bytes, context: context, source: name)
    }
}

/// The DNS messages of the local link (mDNS, LLMNR): one DNS message a datagram, sent to a group or
/// answered from another port, so nothing is paired. A conforming dissector names itself, its port
/// and its facts; probing, parsing and events are DNS's.
public protocol LinkLocalDNS: Dissector where Parsed == DNS.Frame, State == DNS.State {}

extension LinkLocalDNS {
    public static func makeState() -> State { State() }

    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        DNS.probeMessage(bytes)
    }

    /// Takes the datagram, as `DNS.parse` does, without pairing.
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: DNS.Frame, consumed: Int) {
        try DNS.parseUnpaired(bytes, direction: direction, proto: name)
    }

    public static func event(
        _ parsed: DNS.Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        DNS.message(parsed, bytes: bytes, context: context, proto: name, pairs: false)
    }
}
