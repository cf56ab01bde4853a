import ConvergeModel
import ConvergeWire

extension GOOSE {
    /// The sender publishes a GOOSE control block: `service` `goose:<gocbRef>` on its MAC. GOOSE
    /// names no model or vendor, so nothing else.
    public static func facts(_ parsed: PDU, payload: Span<UInt8>, context: LinkContext) -> [AssetFact] {
        guard parsed.hasFunction, let reference = text(parsed.gocbRef, payload) else { return [] }
        var fact = AssetFact(
            time: context.time, address: .none, kind: .service, value: "goose:" + reference,
            source: "goose/goose_pdu")
        fact.mac = MACAddress.text(context.sourceMAC)
        return [fact]
    }
}
