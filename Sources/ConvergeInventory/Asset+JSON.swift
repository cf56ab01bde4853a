import ConvergeModel

extension Asset {
    /// The record as `JSONEncoder` with sorted keys writes it, byte for byte (nil optionals left
    /// out, as the synthesised encoding leaves them), without Foundation's generic encoder, which
    /// was a large part of a store commit. A test holds both writers to the same bytes.
    public var jsonText: String {
        var out = EvidenceJSON()
        // Keys in byte order, as `.sortedKeys` writes them ("macVendor" before "macs").
        out.raw("{\"addresses\":[")
        for (i, item) in addresses.enumerated() {
            if i > 0 { out.raw(",") }
            out.raw("{\"address\":")
            out.string(item.address.description)
            out.raw(",\"binding\":")
            out.string(item.binding)
            out.raw(",\"firstSeen\":")
            out.number(item.firstSeen.nanoseconds)
            out.raw(",\"lastSeen\":")
            out.number(item.lastSeen.nanoseconds)
            out.raw(",\"scope\":")
            out.string(item.scope.rawValue)
            out.raw("}")
        }
        out.raw(external ? "],\"external\":true" : "],\"external\":false")
        out.raw(",\"firstSeen\":")
        out.number(firstSeen.nanoseconds)
        out.raw(",\"id\":")
        out.string(id)
        out.raw(",\"identity\":{")
        for (i, (kind, observations)) in identity.sorted(by: { EvidenceJSON.keyOrder($0.key, $1.key) }).enumerated() {
            if i > 0 { out.raw(",") }
            out.string(kind)
            out.raw(":[")
            for (j, item) in observations.enumerated() {
                if j > 0 { out.raw(",") }
                out.observation(item)
            }
            out.raw("]")
        }
        out.raw("},\"lastSeen\":")
        out.number(lastSeen.nanoseconds)
        if let level {
            out.raw(",\"level\":")
            out.string(level.rawValue)
        }
        out.raw(",\"levelReasons\":")
        out.strings(levelReasons)
        if let macVendor {
            out.raw(",\"macVendor\":")
            out.string(macVendor)
        }
        out.raw(",\"macs\":")
        out.strings(macs)
        out.raw(",\"notes\":")
        out.strings(notes)
        out.raw(",\"role\":")
        out.string(role.rawValue)
        out.raw(",\"roleReasons\":")
        out.strings(roleReasons)
        out.raw(routed ? ",\"routed\":true" : ",\"routed\":false")
        out.raw(",\"serves\":")
        out.protocolUses(serves)
        out.raw(",\"uses\":")
        out.protocolUses(uses)
        out.raw("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }
}

extension EvidenceJSON {
    mutating func strings(_ values: [String]) {
        raw("[")
        for (i, value) in values.enumerated() {
            if i > 0 { raw(",") }
            string(value)
        }
        raw("]")
    }

    mutating func protocolUses(_ uses: [String: ProtocolUse]) {
        raw("{")
        for (i, (name, use)) in uses.sorted(by: { Self.keyOrder($0.key, $1.key) }).enumerated() {
            if i > 0 { raw(",") }
            string(name)
            raw(":{\"messages\":")
            number(use.messages)
            raw(",\"operations\":")
            counts(use.operations)
            raw(",\"peers\":")
            number(use.peers)
            raw("}")
        }
        raw("}")
    }
}
