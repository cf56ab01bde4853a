import ConvergeModel

extension MELSEC {
    /// At most this many values go into one target.
    public static let maxTargetValues = 256
    /// Read CPU Model answers: the model name in 16 ASCII bytes, then a 2-byte model code.
    public static let cpuModelLength = 16

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let name = parsed.hasCommand ? Command.name(parsed.command) : "response"
        let operation = parsed.hasCommand ? Command.operation(parsed.command) : .other
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: self.name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: name, operation: operation, targets: targets(parsed, bytes: bytes),
            status: status(parsed), anomalies: parsed.anomalies.names)
        message.unit = Int(parsed.station)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests are pending; a response is ok for end code 0, else an exception with its code.
    static func status(_ frame: Frame) -> Message.Status {
        guard frame.isResponse else { return .pending }
        guard frame.endCode != 0 else { return .ok }
        return .exception(code: Int(frame.endCode), name: "end_code_0x" + FINS.hex(UInt32(frame.endCode), digits: 4))
    }

    /// The head device of a batch read or write, with the values the frame carries.
    static func targets(_ frame: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        if frame.isASCII { return asciiTargets(frame, bytes: bytes) }
        let end = min(frame.length, bytes.count)
        guard frame.dataOffset <= end else { return [] }
        let data = bytes.extracting(frame.dataOffset..<end)
        if frame.isResponse {
            guard frame.endCode == 0, frame.command == Command.batchRead, let device = frame.request?.device else {
                return []
            }
            return [target(device, values: values(data, from: 0, device: device, subcommand: frame.subcommand))]
        }
        guard frame.command == Command.batchRead || frame.command == Command.batchWrite,
            let device = Device.parse(data, at: 0, subcommand: frame.subcommand)
        else { return [] }
        guard frame.command == Command.batchWrite else { return [target(device, values: [])] }
        let start = frame.subcommand & 0x0002 != 0 ? 8 : 6
        return [target(device, values: values(data, from: start, device: device, subcommand: frame.subcommand))]
    }

    static func target(_ device: Device, values: [Int]) -> Message.Target {
        Message.Target(
            kind: Device.kind(device.code), address: Int(device.number), count: Int(device.points), values: values)
    }

    /// Points in bit units (a nibble each, high nibble first) or word units (2 bytes LE each),
    /// capped by `maxTargetValues` and by the bytes present.
    static func values(_ data: Span<UInt8>, from start: Int, device: Device, subcommand: UInt16) -> [Int] {
        let bitUnits = Device.isBitUnit(subcommand)
        let wanted = min(Int(device.points), maxTargetValues)
        var values: [Int] = []
        for index in 0..<wanted {
            if bitUnits {
                guard let byte = data.byte(at: start &+ index / 2) else { break }
                values.append(Int(index % 2 == 0 ? byte >> 4 : byte & 0x0F))
            } else {
                guard let low = data.byte(at: start &+ index &* 2), let high = data.byte(at: start &+ index &* 2 &+ 1)
                else { break }
                values.append(Int(high) << 8 | Int(low))
            }
        }
        return values
    }

    /// The CPU model a Read CPU Model response names.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.isResponse, parsed.endCode == 0, parsed.command == Command.readCPUModel else { return [] }
        let start = parsed.dataOffset
        let end = start &+ cpuModelLength
        guard end <= min(parsed.length, bytes.count), let model = FINS.text(bytes.extracting(start..<end)) else {
            return []
        }
        let device = context.direction == .toClient ? context.server.address : context.client.address
        return [AssetFact(time: context.time, address: device, kind: .model, value: model, source: "melsec/0101")]
    }
}
