import ConvergeModel

extension C37118 {
    /// PMU identity from a CFG-1/2 frame, for the sender of the frame: each PMU's station name,
    /// the role (a frame with several PMU blocks comes from a PDC) and the stream's shape
    /// (IDCODE, channel counts, nominal frequency, data rate).
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.type.isConfiguration, !parsed.anomalies.contains(.badChecksum),
            let configuration = configuration(parsed, bytes: bytes)
        else { return [] }
        let sender = context.direction == .toClient ? context.server : context.client
        func fact(_ kind: AssetFact.Kind, _ value: String) -> AssetFact {
            AssetFact(time: context.time, address: sender.address, kind: kind, value: value, source: name)
        }
        var facts = [fact(.role, configuration.pmus.count > 1 ? "pdc" : "pmu")]
        for pmu in configuration.pmus {
            if !pmu.station.isEmpty { facts.append(fact(.moduleName, pmu.station)) }
            facts.append(
                fact(
                    .capabilities,
                    "idcode=\(pmu.idcode) phasors=\(pmu.phasors) analogs=\(pmu.analogs) digitals=\(pmu.digitals)"
                        + " fnom=\(Int(pmu.nominalFrequency)) rate=\(configuration.dataRate)"))
        }
        return facts
    }
}
