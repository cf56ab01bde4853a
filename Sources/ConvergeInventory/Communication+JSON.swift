import ConvergeModel

extension Communication {
    /// The record as `JSONEncoder` with sorted keys writes it, byte for byte, without Foundation's
    /// generic encoder: a store commit writes one per conversation (thousands), and the generic
    /// encoder was most of the commit. A test holds both writers to the same bytes.
    public var jsonText: String {
        var out = EvidenceJSON()
        out.raw("{\"bytes\":")
        out.number(bytes)
        out.raw(",\"client\":")
        out.string(client)
        out.raw(",\"firstSeen\":")
        out.number(firstSeen.nanoseconds)
        out.raw(",\"lastSeen\":")
        out.number(lastSeen.nanoseconds)
        out.raw(",\"messages\":")
        out.number(messages)
        out.raw(",\"operations\":{")
        for (i, (name, n)) in operations.sorted(by: { EvidenceJSON.keyOrder($0.key, $1.key) }).enumerated() {
            if i > 0 { out.raw(",") }
            out.string(name)
            out.raw(":")
            out.number(n)
        }
        out.raw("},\"packets\":")
        out.number(packets)
        out.raw(",\"proto\":")
        out.string(proto)
        out.raw(",\"server\":")
        out.string(server)
        out.raw("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
