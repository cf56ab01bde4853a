import ConvergeModel

extension EtherNetIP {
    /// Keys CIP messages that `event` names and classifies by their service and addressed class
    /// alone (`serviceTarget`, read here as `event` reads it): not PCCC, not a Multiple Service
    /// Packet (whose operation comes from the services inside), and only answers that succeeded.
    /// Encapsulation-only messages and frames with anomalies are not keyed.
    @inline(__always)
    public static func feedKey(_ parsed: Frame, state: borrowing State) -> FeedKey? {
        guard let cip = parsed.cip, parsed.pccc == nil, parsed.anomalies.rawValue == 0 else { return nil }
        let effective = parsed.embedded ?? cip
        guard effective.code != Service.multipleServicePacket else { return nil }
        if !parsed.isRequest {
            guard parsed.status == 0, cip.generalStatus == 0 else { return nil }
        }
        let target = serviceTarget(parsed, effective)
        let classBits: UInt64 = target.classID.map { 1 << 11 | UInt64($0) << 16 } ?? 0
        return FeedKey(
            UInt64(effective.service) | FeedKey.bit(parsed.direction) << 8 | (parsed.isRequest ? 1 << 9 : 0)
                | (target.isSymbolic ? 1 << 10 : 0) | classBits,
            unit: nil)
    }
}
