import ConvergeModel
import ConvergeWire

extension DNS {
    /// TXT keys (lower case) whose values name the sender's model, vendor or firmware: DNS-SD
    /// device info (`model=`), Google Cast (`md=`), IPP/printer TXT (`ty=`, `usb_MDL=`, `usb_MFG=`,
    /// `product=`), HomeKit and others.
    static let txtHints: [(key: String, kind: AssetFact.Kind)] = [
        ("model", .model), ("md", .model), ("ty", .model), ("usb_mdl", .model), ("mdl", .model),
        ("product", .model), ("usb_mfg", .vendor), ("mfg", .vendor), ("manufacturer", .vendor),
        ("vendor", .vendor), ("fv", .firmware), ("fw", .firmware), ("firmware", .firmware),
        ("fwversion", .firmware),
    ]

    /// What a multicast response says about its sender: `service` for each DNS-SD service type it
    /// answers for (SRV or PTR owners like `_ipp._tcp.local`), `hostname` from SRV targets, model,
    /// vendor and firmware hints from TXT (`txtHints`) and the OS from HINFO. Queries carry other
    /// hosts' records (known answers), so only responses count.
    static func senderFacts(
        _ frame: Frame, bytes: Span<UInt8>, context: MessageContext, source: String
    ) -> [AssetFact] {
        guard frame.hasHeader, frame.isResponse,
            frame.recordBits & (RecordBits.service | RecordBits.text | RecordBits.hostInfo | RecordBits.pointer) != 0
        else { return [] }
        let sender = frame.direction == .toServer ? context.client.address : context.server.address
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String, _ type: UInt16) {
            guard !value.isEmpty else { return }
            let fact = AssetFact(
                time: context.time, address: sender, kind: kind, value: value, source: source + "/" + typeName(type))
            if !facts.contains(fact) { facts.append(fact) }
        }
        forEachRecord(frame, bytes: bytes) { section, record in
            guard section != .question else { return true }
            switch record.type {
            case RecordType.srv:
                if let owner = ownerName(frame, record, bytes: bytes), let service = serviceType(owner) {
                    add(.service, service, record.type)
                }
                if let target = serviceTarget(frame, record, bytes: bytes)?.host, target != "." {
                    add(.hostname, target, record.type)
                }
            case RecordType.ptr:
                if let owner = ownerName(frame, record, bytes: bytes), !owner.hasPrefix("_services."),
                    let service = serviceType(owner)
                {
                    add(.service, service, record.type)
                }
            case RecordType.txt:
                for entry in strings(record, bytes: bytes) {
                    guard let equals = entry.firstIndex(of: "=") else { continue }
                    let key = entry[..<equals].lowercased()
                    guard let hint = txtHints.first(where: { $0.key == key }) else { continue }
                    var value = String(entry[entry.index(after: equals)...])
                    if value.hasPrefix("("), value.hasSuffix(")") { value = String(value.dropFirst().dropLast()) }
                    add(hint.kind, value, record.type)
                }
            case RecordType.hinfo:
                let parts = strings(record, bytes: bytes)
                if parts.count == 2 { add(.os, parts[1], record.type) }
            default:
                break
            }
            return true
        }
        return facts
    }

    /// The DNS-SD service type in a name: `_ipp._tcp` from `Office._ipp._tcp.local` or
    /// `_printer._sub._ipp._tcp.local`; nil when the name has none.
    static func serviceType(_ name: String) -> String? {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        for index in stride(from: labels.count - 1, through: 1, by: -1) {
            let proto = labels[index].lowercased()
            guard proto == "_tcp" || proto == "_udp" else { continue }
            let label = labels[index - 1]
            guard label.hasPrefix("_"), label.count > 1 else { return nil }
            return String(label) + "." + proto
        }
        return nil
    }
}
