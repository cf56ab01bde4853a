import ConvergeModel
import ConvergeWire

extension STP {
    /// The bridge the sender takes as root (`stp_root`, `32768/00:1b:…`), on the sender's MAC;
    /// a PVST+ BPDU's root is per VLAN, so its VLAN is added (`32768/00:1b:… vlan 3`). A TCN
    /// names no root and gives no fact.
    public static func facts(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> [AssetFact] {
        guard !parsed.isTCN, !parsed.anomalies.contains(.unknownType), !parsed.anomalies.contains(.truncated)
        else { return [] }
        var value = parsed.rootID.text
        if parsed.pvstVLAN != 0 { value += " vlan \(parsed.pvstVLAN)" }
        var fact = AssetFact(
            time: context.time, address: .none, kind: .stpRoot, value: value, source: "stp/\(parsed.functionName)")
        fact.mac = MACAddress.text(context.sourceMAC)
        return [fact]
    }
}
