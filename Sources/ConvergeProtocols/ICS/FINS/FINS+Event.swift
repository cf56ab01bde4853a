import ConvergeModel

extension FINS {
    /// At most this many values go into one target (a read of 999 words is summarised by count).
    public static let maxTargetValues = 256
    /// At most this many items of a multiple memory area read become targets.
    public static let maxMultipleReadItems = 128
    /// Address of a response target whose request was not seen.
    public static let unknownAddress = -1

    /// The normalised event. `bytes` is the span given to `parse`.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        frameEvent(parsed, bytes: bytes, context: context, proto: name)
    }

    /// The event for a FINS frame, shared with FINS/TCP (`proto` names the carrier).
    static func frameEvent(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext, proto: String) -> Message {
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: proto, direction: context.direction, functionCode: frame.functionCode,
            functionName: Command.name(frame.command), operation: Command.operation(frame.command),
            targets: targets(frame, bytes: bytes), status: status(frame), anomalies: frame.anomalies.names)
        message.unit = Int(frame.isResponse ? frame.sourceUnit : frame.destinationUnit)
        message.roundTripNanoseconds = frame.roundTripNanoseconds
        return message
    }

    /// A command is pending (ok when it asks for no response); a response is ok or its end code.
    static func status(_ frame: Frame) -> Message.Status {
        guard frame.isResponse else { return frame.icf & icfNoResponse != 0 ? .ok : .pending }
        guard frame.hasEndCode, !EndCode.isNormal(frame.endCode) else { return .ok }
        return .exception(code: Int(frame.endCode), name: EndCode.name(frame.endCode))
    }

    /// Memory areas, program and parameter areas a frame touches, with the values it carries.
    static func targets(_ frame: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        let end = min(frame.frameEnd, bytes.count)
        guard frame.hasCommand, frame.dataOffset <= end else { return [] }
        let data = bytes.extracting(frame.dataOffset..<end)
        return frame.isResponse ? responseTargets(frame, data: data) : requestTargets(frame, data: data)
    }

    static func requestTargets(_ frame: Frame, data: Span<UInt8>) -> [Message.Target] {
        switch frame.command {
        case Command.memoryAreaRead:
            guard let item = memoryItem(data, at: 0), let count = data.uint16BE(at: 4) else { return [] }
            return [Message.Target(kind: MemoryArea.kind(item.area), address: item.address, count: Int(count))]
        case Command.memoryAreaWrite:
            guard let item = memoryItem(data, at: 0), let count = data.uint16BE(at: 4) else { return [] }
            let values = items(data, from: 6, count: Int(count), bits: MemoryArea.isBitArea(item.area))
            return [target(item, count: count, values: values)]
        case Command.memoryAreaFill:
            guard let item = memoryItem(data, at: 0), let count = data.uint16BE(at: 4) else { return [] }
            let values = data.uint16BE(at: 6).map { [Int($0)] } ?? []
            return [target(item, count: count, values: values)]
        case Command.multipleMemoryAreaRead:
            var targets: [Message.Target] = []
            var offset = 0
            while targets.count < maxMultipleReadItems, let item = memoryItem(data, at: offset) {
                targets.append(Message.Target(kind: MemoryArea.kind(item.area), address: item.address))
                offset &+= 4
            }
            return targets
        case Command.memoryAreaTransfer:
            guard let source = memoryItem(data, at: 0), let destination = memoryItem(data, at: 4),
                let count = data.uint16BE(at: 8)
            else { return [] }
            return [
                Message.Target(kind: MemoryArea.kind(source.area), address: source.address, count: Int(count)),
                target(destination, count: count, values: []),
            ]
        case 0x0201, 0x0202, 0x0203:
            // Parameter area code (2), beginning word (2), number of words (2).
            guard let area = data.uint16BE(at: 0), let word = data.uint16BE(at: 2), let count = data.uint16BE(at: 4)
            else { return [] }
            return [
                Message.Target(
                    kind: "parameter_area", address: Int(word), count: Int(count & 0x7FFF),
                    name: "0x" + hex(UInt32(area), digits: 4))
            ]
        case 0x0306, 0x0307:
            // Program number (2), beginning word (4), number of bytes (2; bit 15 marks the last).
            guard let program = data.uint16BE(at: 0), let high = data.uint16BE(at: 2), let low = data.uint16BE(at: 4),
                let count = data.uint16BE(at: 6)
            else { return [] }
            return [
                Message.Target(
                    kind: "program_area", address: Int(high) << 16 | Int(low), count: Int(count & 0x7FFF),
                    name: String(program))
            ]
        default:
            return []
        }
    }

    static func responseTargets(_ frame: Frame, data: Span<UInt8>) -> [Message.Target] {
        guard let request = frame.request, request.command == frame.command else { return [] }
        switch frame.command {
        case Command.memoryAreaRead:
            let bits = MemoryArea.isBitArea(request.area)
            let values = items(data, from: 0, count: Int(request.count), bits: bits)
            return [
                Message.Target(
                    kind: MemoryArea.kind(request.area), address: Int(request.address), count: Int(request.count),
                    values: values)
            ]
        default:
            return []
        }
    }

    static func target(_ item: (area: UInt8, address: Int), count: UInt16, values: [Int]) -> Message.Target {
        Message.Target(kind: MemoryArea.kind(item.area), address: item.address, count: Int(count), values: values)
    }

    /// A memory area item: area code (1), word address (2), bit (1). Address is word × 256 + bit,
    /// the three address bytes as one number.
    static func memoryItem(_ data: Span<UInt8>, at offset: Int) -> (area: UInt8, address: Int)? {
        guard let area = data.byte(at: offset), let word = data.uint16BE(at: offset &+ 1),
            let bit = data.byte(at: offset &+ 3)
        else { return nil }
        return (area, Int(word) << 8 | Int(bit))
    }

    /// Up to `count` items (capped by `maxTargetValues`): one byte each in bit areas, two in word
    /// areas, stopping where the bytes end.
    static func items(_ data: Span<UInt8>, from start: Int, count: Int, bits: Bool) -> [Int] {
        let width = bits ? 1 : 2
        let available = max(0, (data.count &- start) / width)
        let wanted = min(count, available, maxTargetValues)
        guard wanted > 0 else { return [] }
        var values: [Int] = []
        values.reserveCapacity(wanted)
        for index in 0..<wanted {
            let offset = start &+ index &* width
            let value = bits ? data.byte(at: offset).map(Int.init) : data.uint16BE(at: offset).map(Int.init)
            guard let value else { break }
            values.append(value)
        }
        return values
    }
}
