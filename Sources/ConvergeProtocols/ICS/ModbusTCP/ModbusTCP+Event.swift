import ConvergeModel

extension ModbusTCP {
    /// Target kinds, one per Modbus data table (and the file and FIFO extensions).
    public enum TargetKind {
        public static let coil = "coil"
        public static let discreteInput = "discrete_input"
        public static let holdingRegister = "holding_register"
        public static let inputRegister = "input_register"
        /// Mask Write Register: values are the AND and OR masks.
        public static let holdingRegisterMask = "holding_register_mask"
        /// File records: address is file number << 16 | record number, count the record length.
        public static let fileRecord = "file_record"
        public static let fifo = "fifo"
        /// Read Device Identification: address is the object id asked for.
        public static let deviceIDObject = "device_id_object"
    }

    /// Address of a response target whose request was not seen.
    public static let unknownAddress = -1

    /// The normalised event. `bytes` is the span given to `parse` (the ADU starts at offset 0).
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let adu = bytes.extracting(0..<min(parsed.aduLength, bytes.count))
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed.function, subFunction: parsed.subFunction),
            operation: operation(parsed.function, subFunction: parsed.subFunction),
            targets: parsed.isException || !context.wantsTargets ? [] : targets(parsed, adu: adu),
            status: status(parsed), anomalies: parsed.anomalies.names)
        message.unit = Int(parsed.unitID)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests are pending until answered; responses are ok or carry their exception.
    static func status(_ frame: Frame) -> Message.Status {
        if frame.isRequest { return .pending }
        guard frame.isException else { return .ok }
        let code = ExceptionCode(rawValue: frame.exceptionCode)
        return .exception(code: Int(code.rawValue), name: code.name ?? "unknown")
    }

    /// The data a message touches, with the values the wire carries (write requests, read
    /// responses). Reads go through bounds-checked helpers, so a short body yields fewer values.
    static func targets(_ frame: Frame, adu: Span<UInt8>) -> [Message.Target] {
        frame.isRequest ? requestTargets(frame, adu: adu) : responseTargets(frame, adu: adu)
    }

    static func requestTargets(_ frame: Frame, adu: Span<UInt8>) -> [Message.Target] {
        let kind = tableKind(frame.function)
        let address = int16(adu, 8)
        switch frame.function.rawValue {
        case 1, 2, 3, 4:
            return [Message.Target(kind: kind, address: address, count: int16(adu, 10))]
        case 5:
            return [Message.Target(kind: kind, address: address, values: [int16(adu, 10) == 0xff00 ? 1 : 0])]
        case 6:
            return [Message.Target(kind: kind, address: address, values: [int16(adu, 10)])]
        case 15:
            let quantity = int16(adu, 10)
            let values = bits(adu, from: 13, count: quantity)
            return [Message.Target(kind: kind, address: address, count: quantity, values: values)]
        case 16:
            let quantity = int16(adu, 10)
            let values = registers(adu, from: 13, count: quantity)
            return [Message.Target(kind: kind, address: address, count: quantity, values: values)]
        case 20, 21:
            return fileRecords(adu, withData: frame.function == .writeFileRecord)
        case 22:
            let masks = [int16(adu, 10), int16(adu, 12)]
            return [Message.Target(kind: TargetKind.holdingRegisterMask, address: address, values: masks)]
        case 23:
            // The write range first (it carries values), then the read range.
            let writeQuantity = int16(adu, 14)
            let values = registers(adu, from: 17, count: writeQuantity)
            return [
                Message.Target(kind: kind, address: int16(adu, 12), count: writeQuantity, values: values),
                Message.Target(kind: kind, address: address, count: int16(adu, 10)),
            ]
        case 24:
            return [Message.Target(kind: TargetKind.fifo, address: address)]
        case 43 where frame.subFunction == meiReadDeviceIdentification:
            return [Message.Target(kind: TargetKind.deviceIDObject, address: int8(adu, 10))]
        default:
            return []
        }
    }

    static func responseTargets(_ frame: Frame, adu: Span<UInt8>) -> [Message.Target] {
        let kind = tableKind(frame.function)
        let request = frame.request?.function == frame.function.rawValue ? frame.request : nil
        let requested = request.map { Int($0.address) } ?? unknownAddress
        switch frame.function.rawValue {
        case 1, 2:
            let available = int8(adu, 8) &* 8
            let count = request.map { min(Int($0.quantity), available) } ?? available
            let values = bits(adu, from: 9, count: count)
            return [Message.Target(kind: kind, address: requested, count: count, values: values)]
        case 3, 4, 23:
            let count = int8(adu, 8) / 2
            let values = registers(adu, from: 9, count: count)
            return [Message.Target(kind: kind, address: requested, count: count, values: values)]
        case 5:
            return [Message.Target(kind: kind, address: int16(adu, 8), values: [int16(adu, 10) == 0xff00 ? 1 : 0])]
        case 6:
            return [Message.Target(kind: kind, address: int16(adu, 8), values: [int16(adu, 10)])]
        case 15, 16:
            return [Message.Target(kind: kind, address: int16(adu, 8), count: int16(adu, 10))]
        case 22:
            let masks = [int16(adu, 10), int16(adu, 12)]
            return [Message.Target(kind: TargetKind.holdingRegisterMask, address: int16(adu, 8), values: masks)]
        case 24:
            let count = min(int16(adu, 10), Shape.maxFIFOCount)
            let values = registers(adu, from: 12, count: count)
            return [Message.Target(kind: TargetKind.fifo, address: requested, count: count, values: values)]
        default:
            return []
        }
    }

    static func int16(_ adu: Span<UInt8>, _ offset: Int) -> Int { Int(adu.uint16BE(at: offset) ?? 0) }
    static func int8(_ adu: Span<UInt8>, _ offset: Int) -> Int { Int(adu.byte(at: offset) ?? 0) }

    /// The data table a read/write function works on.
    static func tableKind(_ function: Function) -> String {
        switch function.rawValue {
        case 1, 5, 15: TargetKind.coil
        case 2: TargetKind.discreteInput
        case 4: TargetKind.inputRegister
        default: TargetKind.holdingRegister
        }
    }

    /// Up to `count` coil bits, least significant bit first, stopping where the bytes end.
    static func bits(_ adu: Span<UInt8>, from start: Int, count: Int) -> [Int] {
        var values: [Int] = []
        values.reserveCapacity(max(0, min(count, (adu.count &- start) &* 8)))
        var index = 0
        while index < count, let byte = adu.byte(at: start &+ index / 8) {
            values.append(Int(byte >> UInt8(index % 8)) & 1)
            index &+= 1
        }
        return values
    }

    /// Up to `count` 16-bit registers, stopping where the bytes end.
    static func registers(_ adu: Span<UInt8>, from start: Int, count: Int) -> [Int] {
        var values: [Int] = []
        values.reserveCapacity(max(0, min(count, (adu.count &- start) / 2)))
        var index = 0
        while index < count, let value = adu.uint16BE(at: start &+ index &* 2) {
            values.append(Int(value))
            index &+= 1
        }
        return values
    }

    /// File record sub-requests (20: reference, file, record, length; 21: the same plus data).
    static func fileRecords(_ adu: Span<UInt8>, withData: Bool) -> [Message.Target] {
        var targets: [Message.Target] = []
        var offset = dataOffset &+ 1
        // Each sub-request takes at least 7 bytes of a PDU of at most 253, so this stays short.
        while let file = adu.uint16BE(at: offset &+ 1), let record = adu.uint16BE(at: offset &+ 3),
            let length = adu.uint16BE(at: offset &+ 5)
        {
            let count = Int(length)
            let values = withData ? registers(adu, from: offset &+ 7, count: count) : []
            let address = Int(file) << 16 | Int(record)
            targets.append(Message.Target(kind: TargetKind.fileRecord, address: address, count: count, values: values))
            offset = offset &+ 7 &+ (withData ? count &* 2 : 0)
        }
        return targets
    }
}
