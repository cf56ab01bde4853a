import ConvergeModel

extension MMS {
    /// An identify response names the server's vendor, model and revision; a TASE.2 name
    /// (`Bilateral_Table_ID`, `TASE2_Version`, `Supported_Features`) marks the server as an ICCP
    /// (IEC 60870-6 TASE.2) server.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.kind == .mms, parsed.hasService, let service = parsed.serviceElement else { return [] }
        // ICCP peers ask each other: the device described is whoever answers (or is asked).
        let asked = parsed.isRequest == (context.direction == .toServer)
        let server = asked ? context.server.address : context.client.address
        return withPDU(parsed, bytes: bytes, state: state) { pdu -> [AssetFact] in
            var facts: [AssetFact] = []
            if parsed.pduType == PDUType.confirmedResponse, parsed.service == 2 {
                let kinds: [(UInt32, AssetFact.Kind)] = [(0, .vendor), (1, .model), (2, .revision)]
                for (number, kind) in kinds {
                    guard let field = child(of: service, tagClass: BERClass.context, number: number, in: pdu) else {
                        continue
                    }
                    let value = text(field, in: pdu)
                    if !value.isEmpty {
                        facts.append(
                            AssetFact(
                                time: context.time, address: server, kind: kind, value: value, source: "mms/identify"))
                    }
                }
                return facts
            }
            let names = targets(parsed, pdu: pdu).compactMap(\.name)
            if names.contains(where: { name in tase2Names.contains { name.hasSuffix($0) } }) {
                facts.append(
                    AssetFact(
                        time: context.time, address: server, kind: .role, value: "iccp_tase2_server",
                        source: "mms/tase2"))
            }
            return facts
        }
    }
}
