import ConvergeModel

extension SRTP {
    /// A Return Controller Type and ID answer's text: service echoed at +8, device indicator at
    /// +9, the PLC name in 8 ASCII bytes at +12.
    static let plcNameOffset = 12
    static let plcNameLength = 8

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let name: String
        let operation: Operation
        if parsed.hasService {
            name = Service.name(parsed.service)
            operation = Service.operation(parsed.service)
        } else {
            switch parsed.type {
            case .initialize: name = "init"
            case .initializeAck: name = "init_ack"
            default: name = parsed.isAnswer ? "response" : "request"
            }
            operation = parsed.type == .initialize || parsed.type == .initializeAck ? .session : .other
        }
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: self.name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: name, operation: operation, targets: targets(parsed),
            status: status(parsed), anomalies: parsed.anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests are pending; an error NACK or error packet is an exception (major << 8 | minor).
    static func status(_ frame: Frame) -> Message.Status {
        if frame.type == .initialize { return .pending }
        guard frame.isAnswer else { return frame.type == .initializeAck ? .ok : .pending }
        guard frame.mailboxType == MailboxType.errorNack.rawValue || frame.type == .error else { return .ok }
        let code = Int(frame.statusMajor) << 8 | Int(frame.statusMinor)
        return .exception(
            code: code,
            name: "major_0x" + FINS.hex(UInt32(frame.statusMajor), digits: 2) + "_minor_0x"
                + FINS.hex(UInt32(frame.statusMinor), digits: 2))
    }

    /// The memory a read or write addresses (requests, and answers through their request).
    static func targets(_ frame: Frame) -> [Message.Target] {
        let memory: [UInt8] = [0x04, 0x05, 0x06, 0x07, 0x08, 0x09]
        guard frame.hasService, memory.contains(frame.service) else { return [] }
        let source: (selector: UInt8, index: UInt16, count: UInt16)
        if frame.isAnswer {
            guard let request = frame.request else { return [] }
            source = (request.selector, request.index, request.count)
        } else {
            source = (frame.selector, frame.index, frame.count)
        }
        let kind = Selector.kind(source.selector) ?? "segment_0x" + FINS.hex(UInt32(source.selector), digits: 2)
        return [Message.Target(kind: kind, address: Int(source.index), count: Int(source.count))]
    }

    /// The PLC name a Return Controller Type and ID answer carries, as the controller's module name.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.isAnswer, parsed.hasService, parsed.service == Service.returnControllerType,
            parsed.mailboxType == MailboxType.textAck.rawValue
        else { return [] }
        let start = headerLength &+ plcNameOffset
        let end = start &+ plcNameLength
        guard end <= min(parsed.length, bytes.count), let plcName = FINS.text(bytes.extracting(start..<end)) else {
            return []
        }
        let device = context.direction == .toClient ? context.server.address : context.client.address
        return [AssetFact(time: context.time, address: device, kind: .moduleName, value: plcName, source: "srtp/43")]
    }
}
