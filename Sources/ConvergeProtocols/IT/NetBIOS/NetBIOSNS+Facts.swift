import ConvergeModel
import ConvergeWire

extension NetBIOSNS {
    /// Names bound to addresses by a registration, refresh or positive answer (the NB records in
    /// the answer and additional sections): a unique `<00>` name is the host's `hostname`, a group
    /// `<00>` name (and any `<1B>`…`<1E>` name) its workgroup or `domain`, and the suffix gives a
    /// `role` (`role(suffix:)`).
    /// Releases and failed answers bind nothing.
    public static func facts(
        _ parsed: DNS.Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.hasHeader, parsed.opcode != Opcode.release, !parsed.isResponse || parsed.rcode == 0
        else { return [] }
        let source = name + "/" + opcodeName(parsed.opcode)
        let end = min(Int(parsed.end), bytes.count)
        var facts: [AssetFact] = []
        func add(_ address: IPAddress, _ kind: AssetFact.Kind, _ value: String) {
            guard address != IPAddress(v4: 0), !value.isEmpty else { return }
            let fact = AssetFact(time: context.time, address: address, kind: kind, value: value, source: source)
            if !facts.contains(fact) { facts.append(fact) }
        }
        DNS.forEachRecord(parsed, bytes: bytes) { section, record in
            guard section != .question, record.type == typeNB,
                let owner = netBIOSName(bytes, at: record.nameOffset, base: Int(parsed.base), end: end)
            else { return true }
            for entry in nbAddresses(record, bytes: bytes) {
                if owner.suffix == 0x00 { add(entry.address, entry.isGroup ? .domain : .hostname, owner.name) }
                // Browser and domain-controller names are the workgroup's or domain's own name.
                if (0x1b...0x1e).contains(owner.suffix) { add(entry.address, .domain, owner.name) }
                if let role = role(suffix: owner.suffix, isGroup: entry.isGroup) { add(entry.address, .role, role) }
            }
            return true
        }
        return facts
    }
}
