import ConvergeModel

extension TriStation {
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let name = parsed.hasCommand ? Command.name(parsed.command) : parsed.type.name
        let operation: Operation = parsed.hasCommand ? Command.operation(parsed.command) : sessionOperation(parsed.type)
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: self.name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: name, operation: operation, status: status(parsed), anomalies: parsed.anomalies.names)
    }

    static func sessionOperation(_ type: TCMType) -> Operation {
        switch type {
        case .command: .other
        case .ping: .diagnostic
        default: .session
        }
    }

    /// Requests are pending; rejections (100 and 200 and above) and refused connections are
    /// exceptions; other replies ok.
    static func status(_ frame: Frame) -> Message.Status {
        guard frame.hasCommand else {
            guard frame.type.isRefusal else {
                return frame.type == .connectRequest || frame.type == .disconnectRequest ? .pending : .ok
            }
            return .exception(code: Int(frame.type.rawValue), name: frame.type.name)
        }
        if frame.command < 100 { return .pending }
        if frame.command == 100 || frame.command >= Command.firstRejection {
            return .exception(code: Int(frame.command), name: Command.name(frame.command))
        }
        return .ok
    }

    /// The endpoint that answers TriStation commands is a Triconex safety controller.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.hasCommand, parsed.path == 1, parsed.command >= 100, parsed.command != 100,
            parsed.command < Command.firstRejection
        else { return [] }
        let controller = context.direction == .toClient ? context.server.address : context.client.address
        return [
            AssetFact(time: context.time, address: controller, kind: .vendor, value: "Triconex", source: "tristation"),
            AssetFact(
                time: context.time, address: controller, kind: .role, value: "safety_controller", source: "tristation"),
        ]
    }
}
