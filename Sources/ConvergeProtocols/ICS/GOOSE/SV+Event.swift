import ConvergeModel
import ConvergeWire

extension SV {
    public enum TargetKind {
        /// `address` the APPID, `count` noASDU, `values` [ASDUs present].
        public static let stream = "stream"
        /// One ASDU (up to `maxEventASDUs`): `address` its index, `name` its svID, `values` [smpCnt, confRev].
        public static let asdu = "asdu"
    }

    /// The normalised event: function `sav_pdu`, operation `other`, endpoints unset, MACs set.
    public static func event(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> Message {
        let unset = Endpoint(address: .none, port: 0)
        var message = Message(
            time: context.time, flowID: 0, client: unset, server: unset, proto: name, direction: .toServer,
            functionCode: parsed.functionCode, functionName: parsed.functionName, operation: .other,
            targets: targets(parsed, payload: payload), anomalies: parsed.anomalies.names)
        message.sourceMAC = MACAddress.text(context.sourceMAC)
        message.destinationMAC = MACAddress.text(context.destinationMAC)
        return message
    }

    static func targets(_ frame: Frame, payload: Span<UInt8>) -> [Message.Target] {
        guard frame.hasFunction else { return [] }
        var targets = [
            Message.Target(
                kind: TargetKind.stream, address: Int(frame.header.appID), count: Int(frame.declaredASDUs),
                values: [frame.asdusPresent])
        ]
        guard !frame.sequence.isEmpty else { return targets }
        var asdus = BERWalk.Cursor(from: frame.sequence.offset, to: frame.sequence.end)
        var index = 0
        while index < maxEventASDUs, let asdu = asdus.next(payload) {
            var one = Frame()
            readFirstASDU(payload, asdu, into: &one)
            targets.append(
                Message.Target(
                    kind: TargetKind.asdu, address: index, values: [Int(one.sampleCount), Int(one.confRev)],
                    name: one.svID.isEmpty ? nil : one.svID.text(payload, limit: maxStringBytes)))
            index &+= 1
        }
        return targets
    }

    /// The sender publishes a sampled value stream: `service` `sv:<svID>` (the first ASDU's) on its MAC.
    public static func facts(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> [AssetFact] {
        guard parsed.hasFunction, !parsed.svID.isEmpty else { return [] }
        var fact = AssetFact(
            time: context.time, address: .none, kind: .service,
            value: "sv:" + parsed.svID.text(payload, limit: maxStringBytes), source: "sv/sav_pdu")
        fact.mac = MACAddress.text(context.sourceMAC)
        return [fact]
    }
}
