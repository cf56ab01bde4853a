import ConvergeModel
import ConvergeWire

extension NetBIOSNS {
    /// The normalised event: function `query`, `registration_response` …; targets the names asked
    /// for or registered (`question.nb`, `answer.nb` …, name `HOST<00>`, value the address).
    public static func event(
        _ parsed: DNS.Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var functionName = opcodeName(parsed.opcode)
        if parsed.isResponse { functionName += "_response" }
        let status: Message.Status =
            parsed.isResponse
            ? (parsed.rcode == 0 ? .ok : .exception(code: Int(parsed.rcode), name: rcodeName(parsed.rcode)))
            : (parsed.opcode == Opcode.query ? .pending : .ok)
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: parsed.hasHeader ? functionName : "short_message", operation: opcodeOperation(parsed.opcode),
            targets: targets(parsed, bytes: bytes), status: status, anomalies: parsed.anomalies.names(prefix: name))
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// RFC 1002 §4.2.6 RCODEs.
    public static func rcodeName(_ rcode: UInt8) -> String {
        switch rcode {
        case 1: "format_error"
        case 2: "server_failure"
        case 3: "name_error"
        case 4: "unsupported"
        case 5: "refused"
        case 6: "active"
        case 7: "conflict"
        default: "rcode_\(rcode)"
        }
    }

    static func typeName(_ type: UInt16) -> String {
        type == typeNB ? "nb" : type == typeNBSTAT ? "nbstat" : "type\(type)"
    }

    static func targets(_ frame: DNS.Frame, bytes: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        let end = min(Int(frame.end), bytes.count)
        DNS.forEachRecord(frame, bytes: bytes) { section, record in
            let decoded = netBIOSName(bytes, at: record.nameOffset, base: Int(frame.base), end: end)
            let owner = decoded?.description ?? DNS.ownerName(frame, record, bytes: bytes)
            let value = section == .question ? nil : nbAddresses(record, bytes: bytes).first?.address.description
            targets.append(
                Message.Target(
                    kind: section.name + "." + typeName(record.type), address: Int(record.type), name: owner,
                    value: value))
            return targets.count < DNS.maxEventTargets
        }
        return targets
    }

    /// The (group flag, address) entries of an NB record: 2 bytes of NB_FLAGS, 4 of IPv4 address,
    /// repeated; at most 16.
    static func nbAddresses(_ record: DNS.RecordHeader, bytes: Span<UInt8>) -> [(isGroup: Bool, address: IPAddress)] {
        guard record.type == typeNB else { return [] }
        var out: [(Bool, IPAddress)] = []
        var offset = record.dataOffset
        while offset &+ 6 <= record.next, offset &+ 6 <= bytes.count, out.count < 16 {
            let flags = bytes.uint16BE(at: offset) ?? 0
            out.append((flags & 0x8000 != 0, IPAddress(v4: bytes.loadUInt32BE(at: offset &+ 2))))
            offset &+= 6
        }
        return out
    }
}
