import ConvergeModel
import ConvergeWire

extension GOOSE {
    /// Target kinds of a GOOSE event.
    public enum TargetKind {
        /// `name` the gocbRef, `address` the APPID, `values` [stNum, sqNum, confRev].
        public static let controlBlock = "control_block"
        /// `name` the datSet, `count` numDatSetEntries, `values` [entries present].
        public static let dataSet = "dataset"
        /// `name` the goID.
        public static let goID = "go_id"
        /// `values` [seconds since 1970, nanoseconds, quality], `value` `<s>.<ns>[ q=<quality>]`.
        public static let time = "time"
        /// `values` [timeAllowedtoLive in ms].
        public static let timeAllowedToLive = "time_allowed_to_live"
        /// One allData entry: `address` its index, `name` its type, `values` [its integer] when
        /// it has one (boolean 0/1, integer, unsigned, bit string ≤ 63 bits), `value` its text.
        public static let data = "data"
    }

    /// The normalised event: function `goose_pdu`, operation `other` (see the type's comment),
    /// endpoints unset, MACs set.
    public static func event(_ parsed: PDU, payload: Span<UInt8>, context: LinkContext) -> Message {
        let unset = Endpoint(address: .none, port: 0)
        var message = Message(
            time: context.time, flowID: 0, client: unset, server: unset, proto: name, direction: .toServer,
            functionCode: parsed.functionCode, functionName: parsed.functionName, operation: .other,
            targets: targets(parsed, payload: payload), anomalies: parsed.anomalies.names)
        message.sourceMAC = MACAddress.text(context.sourceMAC)
        message.destinationMAC = MACAddress.text(context.destinationMAC)
        return message
    }

    static func text(_ slice: BERSlice, _ payload: Span<UInt8>) -> String? {
        slice.isEmpty ? nil : slice.text(payload, limit: maxStringBytes)
    }

    static func targets(_ pdu: PDU, payload: Span<UInt8>) -> [Message.Target] {
        guard pdu.hasFunction else { return [] }
        var targets = [
            Message.Target(
                kind: TargetKind.controlBlock, address: Int(pdu.header.appID),
                values: [Int(pdu.stNum), Int(pdu.sqNum), Int(pdu.confRev)], name: text(pdu.gocbRef, payload))
        ]
        if pdu.has(.dataSet) || pdu.has(.allData) {
            targets.append(
                Message.Target(
                    kind: TargetKind.dataSet, address: 0, count: Int(pdu.numDatSetEntries),
                    values: [pdu.entriesPresent], name: text(pdu.dataSet, payload)))
        }
        if let goID = text(pdu.goID, payload) {
            targets.append(Message.Target(kind: TargetKind.goID, address: 0, name: goID))
        }
        if pdu.has(.time) {
            let time = pdu.time
            targets.append(
                Message.Target(
                    kind: TargetKind.time, address: 0,
                    values: [Int(time.seconds), time.nanoseconds, Int(time.quality)], value: timeText(time)))
        }
        if pdu.has(.timeAllowedToLive) {
            targets.append(
                Message.Target(kind: TargetKind.timeAllowedToLive, address: 0, values: [Int(pdu.timeAllowedToLive)]))
        }
        for (index, value) in values(pdu, payload: payload).enumerated() {
            targets.append(
                Message.Target(
                    kind: TargetKind.data, address: index, values: value.integer.map { [$0] } ?? [],
                    name: value.type, value: value.text))
        }
        return targets
    }
}

extension GOOSE {
    /// Adds what the engine's `SequenceTable` found for this frame to its event: the findings'
    /// names as anomalies, and operation `control` on a state change (stNum advanced: the
    /// publisher reports a new value, e.g. a breaker trip or an interlock release).
    public static func apply(_ findings: SequenceCheck.Findings, to message: inout Message) {
        guard !findings.isEmpty else { return }
        message.anomalies += findings.names
        if findings.contains(.stChange) { message.operation = .control }
    }
}
