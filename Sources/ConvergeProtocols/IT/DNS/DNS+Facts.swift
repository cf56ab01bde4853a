import ConvergeModel
import ConvergeWire

extension DNS {
    /// Names for addresses from a successful response: an A or AAAA record names its address
    /// (`hostname` = owner), a PTR record under in-addr.arpa or ip6.arpa names the address its
    /// owner spells. Queries carry nothing to trust.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        addressFacts(parsed, bytes: bytes, context: context, source: name)
    }

    static func addressFacts(
        _ frame: Frame, bytes: Span<UInt8>, context: MessageContext, source: String
    ) -> [AssetFact] {
        guard frame.hasHeader, frame.isResponse, frame.rcode == 0,
            frame.recordBits & (RecordBits.address | RecordBits.pointer) != 0
        else { return [] }
        var facts: [AssetFact] = []
        forEachRecord(frame, bytes: bytes) { section, record in
            guard section != .question else { return true }
            if let address = address(record, bytes: bytes), let owner = ownerName(frame, record, bytes: bytes),
                owner != "."
            {
                let fact = AssetFact(
                    time: context.time, address: address, kind: .hostname, value: owner,
                    source: recordSource(source, record.type))
                if !facts.contains(fact) { facts.append(fact) }
            } else if record.type == RecordType.ptr, let owner = ownerName(frame, record, bytes: bytes),
                let address = reverseAddress(owner),
                let target = name(
                    bytes, at: record.dataOffset, base: Int(frame.base), end: min(record.next, bytes.count)),
                target != "."
            {
                let fact = AssetFact(
                    time: context.time, address: address, kind: .hostname, value: target, source: source + "/ptr")
                if !facts.contains(fact) { facts.append(fact) }
            }
            return true
        }
        return facts
    }

    /// A fact's source, `dns/aaaa`: the plain DNS answers (nearly all) without building the text.
    static func recordSource(_ source: String, _ type: UInt16) -> String {
        if source == name {
            if type == RecordType.a { return "dns/a" }
            if type == RecordType.aaaa { return "dns/aaaa" }
        }
        return source + "/" + typeName(type)
    }

    /// The address a reverse-lookup name spells: `4.3.2.1.in-addr.arpa` is 1.2.3.4, 32 nibbles
    /// under `ip6.arpa` an IPv6 address; nil for anything else (a partial zone, a service name).
    static func reverseAddress(_ owner: String) -> IPAddress? {
        let lower = owner.lowercased()
        let labels = lower.split(separator: ".", omittingEmptySubsequences: false)
        if lower.hasSuffix(".in-addr.arpa"), labels.count == 6 {
            var value: UInt32 = 0
            for label in labels[0..<4].reversed() {
                guard label.count <= 3, let octet = UInt8(label) else { return nil }
                value = value << 8 | UInt32(octet)
            }
            return IPAddress(v4: value)
        }
        if lower.hasSuffix(".ip6.arpa"), labels.count == 34 {
            var bits: UInt128 = 0
            for label in labels[0..<32].reversed() {
                guard label.count == 1, let nibble = UInt8(label, radix: 16) else { return nil }
                bits = bits << 4 | UInt128(nibble)
            }
            return IPAddress(bits: bits)
        }
        return nil
    }
}
