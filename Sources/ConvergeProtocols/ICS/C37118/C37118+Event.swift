import ConvergeModel

extension C37118 {
    /// Target kinds of C37.118 events.
    public enum TargetKind {
        /// A command frame's command word (`address`), named in `name`.
        public static let command = "command"
        /// A PMU of a data frame: `address` is its IDCODE, `values` its STAT word; or of a
        /// configuration frame: `address` its IDCODE, `name` its station, `values` phasors, analogs, digitals.
        public static let pmu = "pmu"
        /// The stream a frame belongs to: `address` is the frame's IDCODE.
        public static let stream = "stream"
    }

    /// A command word's name and operation.
    public static func commandName(_ command: UInt16) -> (name: String, operation: Operation) {
        switch command {
        case 1: ("turn_off_transmission", .control)
        case 2: ("turn_on_transmission", .control)
        case 3: ("send_header", .read)
        case 4: ("send_cfg1", .read)
        case 5: ("send_cfg2", .read)
        case 6: ("send_cfg3", .read)
        case 8: ("extended_frame", .other)
        default: ("command_\(command)", .other)
        }
    }

    /// The event. Configuration frames are remembered here (per IDCODE, bounded) so later data
    /// frames can be checked against them and decoded by `processValues`.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var functionName = parsed.type.name
        var operation = Operation.read
        var anomalies = parsed.anomalies
        var status = Message.Status.ok
        var targets = [Message.Target(kind: TargetKind.stream, address: Int(parsed.idcode))]
        switch parsed.type {
        case .command:
            if let command = parsed.command {
                let named = commandName(command)
                functionName = named.name
                operation = named.operation
                targets.append(Message.Target(kind: TargetKind.command, address: Int(command), name: named.name))
            }
        case .configuration1, .configuration2:
            if !parsed.anomalies.contains(.badChecksum), let configuration = configuration(parsed, bytes: bytes) {
                state.remember(configuration)
                for pmu in configuration.pmus.prefix(maxPMUs) {
                    targets.append(
                        Message.Target(
                            kind: TargetKind.pmu, address: Int(pmu.idcode),
                            values: [pmu.phasors, pmu.analogs, pmu.digitals], name: pmu.station))
                }
            }
        case .data:
            if let configuration = state.configuration(parsed.idcode) {
                if configuration.dataFrameSize != parsed.frameSize {
                    anomalies.insert(.configurationMismatch)
                } else if !parsed.anomalies.contains(.badChecksum) {
                    var offset = headerLength
                    for pmu in configuration.pmus {
                        let stat = bytes.uint16BE(at: offset) ?? 0
                        targets.append(
                            Message.Target(kind: TargetKind.pmu, address: Int(pmu.idcode), values: [Int(stat)]))
                        if stat >> 14 != 0, case .ok = status {
                            status = .exception(code: Int(stat >> 14), name: dataErrorName(stat >> 14))
                        }
                        offset &+= pmu.dataLength
                    }
                }
            }
        case .header, .configuration3:
            break
        }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: functionName, operation: operation, targets: targets, status: status,
            anomalies: anomalies.names)
    }

    /// STAT bits 15-14.
    static func dataErrorName(_ code: UInt16) -> String {
        switch code {
        case 1: "pmu_error_no_information"
        case 2: "pmu_test_mode"
        default: "pmu_error"
        }
    }
}
