import ConvergeModel

extension PNIOCM {
    /// Target kinds of PNIO CM events.
    public enum TargetKind {
        /// A record read or written: `address` the index, `values` [API, slot, subslot],
        /// `count` the RecordDataLength, `name` the block type's name.
        public static let record = "pnio_record"
        /// A Connect's AR block: `address` the AR type, `name` the CMInitiatorStationName,
        /// `value` the AR UUID.
        public static let ar = "pnio_ar"
        /// A control block: `address` the ControlCommand bits, `name` the commands.
        public static let control = "pnio_control"
        /// The DCE/RPC interface called (non-PNIO): `address` 0, `name` its UUID.
        public static let interface = "dcerpc_interface"
    }

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let function = function(interface: parsed.interface, opnum: parsed.opnum)
        var functionName = function.name
        var operation = function.operation
        let type = parsed.packetType
        if type != PacketType.request, type != PacketType.response, type != PacketType.fault,
            type != PacketType.reject
        {
            // Pings, acks and the like only keep the call alive.
            functionName = PacketType.name(type)
            operation = .session
        }
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: functionName, operation: operation, targets: targets(parsed, bytes: bytes),
            status: status(parsed), anomalies: parsed.anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    static func targets(_ parsed: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        if parsed.hasARBlock {
            targets.append(
                Message.Target(
                    kind: TargetKind.ar, address: Int(parsed.arType), name: stationName(parsed, bytes: bytes),
                    value: uuidString(parsed.arUUID)))
        }
        if parsed.hasRecord {
            targets.append(
                Message.Target(
                    kind: TargetKind.record, address: Int(parsed.index),
                    count: Int(parsed.recordLength),
                    values: [Int(parsed.api), Int(parsed.slot), Int(parsed.subslot)],
                    name: blockName(parsed.recordBlockType)))
        }
        if parsed.hasControl {
            targets.append(
                Message.Target(
                    kind: TargetKind.control, address: Int(parsed.controlCommand),
                    name: controlCommandName(parsed.controlCommand)))
        }
        if parsed.interface == .other {
            targets.append(
                Message.Target(kind: TargetKind.interface, address: 0, name: uuidString(parsed.interfaceUUID)))
        }
        return targets
    }

    /// Requests are pending; faults and rejects carry their NCA status; a PNIO response whose
    /// PNIOStatus is not zero is an exception named by its ErrorCode/ErrorDecode/ErrorCode1/2.
    static func status(_ frame: Frame) -> Message.Status {
        switch frame.packetType {
        case PacketType.request: return .pending
        case PacketType.fault: return .exception(code: Int(frame.faultStatus), name: "fault")
        case PacketType.reject: return .exception(code: Int(frame.faultStatus), name: "reject")
        case PacketType.response where frame.pnioStatus != 0:
            let hex = String(frame.pnioStatus, radix: 16)
            let padded = String(repeating: "0", count: max(0, 8 &- hex.count)) + hex
            return .exception(code: Int(frame.pnioStatus), name: "pnio_status_0x\(padded)")
        default: return .ok
        }
    }

    /// The CMInitiatorStationName, capped, control characters replaced by `?`.
    static func stationName(_ frame: Frame, bytes: Span<UInt8>) -> String? {
        guard frame.hasARBlock, frame.stationNameLength > 0 else { return nil }
        var text = ""
        for index in 0..<frame.stationNameLength {
            guard let byte = bytes.byte(at: frame.stationNameOffset &+ index) else { break }
            text.unicodeScalars.append(byte < 0x20 || byte >= 0x7F ? "?" : Unicode.Scalar(byte))
        }
        return text.isEmpty ? nil : text
    }

    /// The inventory's feed: requests ask for their operation; answers and keep-alives ask nothing.
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        guard parsed.isRequest else { return nil }
        return function(interface: parsed.interface, opnum: parsed.opnum).operation
    }

    public static func identityHint(_ parsed: Frame) -> IdentityHint {
        if parsed.hasARBlock { return .always }
        let deviceAnswers = parsed.interface == .device && parsed.packetType == PacketType.response
        let controllerCall = parsed.interface == .controller && (parsed.isRequest || parsed.packetType == PacketType.response)
        return deviceAnswers || controllerCall ? .sample : .never
    }
}
