import ConvergeModel
import ConvergeWire

extension DNS {
    /// The normalised event. `bytes` is the datagram (or the framed TCP message) given to `parse`.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        message(parsed, bytes: bytes, context: context, proto: name, pairs: true)
    }

    /// The event under `proto`. Function `query`, `query_response`, `update` … (`opcodeName`, with
    /// `_response` on responses); targets: each question (`question.<type>`, address the type, name
    /// the queried name) and record (`answer.<type>`, `authority.<type>`, `additional.<type>`: name
    /// the owner, value the data), at most `maxEventTargets`, OPT pseudo-records left out.
    /// Multicast name services (`pairs` false) are discovery, their queries not pending.
    static func message(
        _ frame: Frame, bytes: Span<UInt8>, context: MessageContext, proto: String, pairs: Bool
    ) -> Message {
        let opcode = frame.opcode
        var functionName = opcodeName(opcode)
        if frame.isResponse { functionName += "_response" }
        let status: Message.Status
        if !frame.hasHeader {
            status = .ok
        } else if frame.isResponse {
            status = frame.rcode == 0 ? .ok : .exception(code: Int(frame.rcode), name: rcodeName(frame.rcode))
        } else {
            status = pairs ? .pending : .ok
        }
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: proto, direction: frame.direction, functionCode: frame.functionCode,
            functionName: frame.hasHeader ? functionName : "short_message",
            operation: pairs ? opcodeOperation(opcode) : .discovery,
            targets: context.wantsTargets ? targets(frame, bytes: bytes) : [], status: status, anomalies: frame.anomalies.names(prefix: proto))
        message.roundTripNanoseconds = frame.roundTripNanoseconds
        return message
    }

    static func targets(_ frame: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        forEachRecord(frame, bytes: bytes) { section, record in
            guard record.type != RecordType.opt else { return true }
            let kind = section.name + "." + typeName(record.type)
            let value = section == .question ? nil : dataText(frame, record, bytes: bytes)
            targets.append(
                Message.Target(
                    kind: kind, address: Int(record.type), name: ownerName(frame, record, bytes: bytes),
                    value: value))
            return targets.count < maxEventTargets
        }
        return targets
    }
}
