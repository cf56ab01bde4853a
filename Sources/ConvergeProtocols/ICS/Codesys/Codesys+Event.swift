import ConvergeModel

extension Codesys {
    /// Service groups (CODESYS runtime components) with the operation their services mostly are.
    static let groups: [(code: UInt16, name: String, operation: Operation)] = [
        (0x01, "device", .session), (0x02, "app", .program), (0x04, "visu_server", .read),
        (0x05, "log", .diagnostic), (0x06, "settings", .control), (0x07, "sys_ethernet", .control),
        (0x08, "file_transfer", .program), (0x09, "iec_var_access", .read), (0x0B, "io_mgr", .control),
        (0x0C, "user_mgr", .auth), (0x0F, "trace_mgr", .diagnostic), (0x11, "plc_shell", .control),
        (0x12, "app_breakpoint", .program), (0x13, "app_force", .write), (0x18, "alarm_manager", .read),
        (0x1B, "monitor", .read), (0x1D, "code_meter", .auth), (0x1F, "core_dump", .diagnostic),
        (0x22, "open_ssl", .auth),
    ]

    public static func groupName(_ group: UInt16) -> String {
        groups.first { $0.code == group }?.name ?? "group_" + String(group)
    }

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let name: String
        let operation: Operation
        if parsed.hasService {
            name = groupName(parsed.serviceGroup) + "_service_" + String(parsed.serviceID)
            operation = groups.first { $0.code == parsed.serviceGroup }?.operation ?? .other
        } else if parsed.hasChannelType {
            name = parsed.encrypted ? "encrypted_block" : ChannelType.name(parsed.channelType)
            operation = parsed.channelType == ChannelType.applicationBlock ? .other : .session
        } else {
            name = DatagramService.name(parsed.datagramService)
            operation = parsed.datagramService == DatagramService.channelManager ? .session : .discovery
        }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: self.name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: name, operation: operation,
            status: parsed.hasService && !parsed.isResponse ? .pending : .ok, anomalies: parsed.anomalies.names)
    }
}
