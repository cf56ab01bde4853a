import ConvergeModel

extension S7Comm {
    /// Values kept per target at most (a read of a long DB range carries hundreds of bytes).
    public static let maxValuesPerTarget = 1024

    /// The normalised event. `bytes` is the span given to `parse`; a reassembled PDU is read from
    /// the flow's buffer, which stays valid until the next `parse`.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let function = functionName(parsed)
        let targets =
            context.wantsTargets(function: function)
            ? withPDU(parsed, bytes: bytes, state: state) { pdu in Self.targets(parsed, pdu: pdu, state: state) } : []
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: eventFunctionCode(parsed),
            functionName: function, operation: operation(parsed), targets: targets,
            status: status(parsed), anomalies: parsed.anomalies.names)
        // The called TSAP's low byte is rack << 5 | slot: the CPU addressed behind the endpoint.
        if parsed.calledTSAP != 0 { message.unit = Int(parsed.calledTSAP & 0xff) }
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests are pending; responses carry the header error, the userdata error or the first
    /// failing item return code as an exception.
    static func status(_ frame: Frame) -> Message.Status {
        guard frame.kind == .pdu else { return .ok }
        if frame.isRequest { return .pending }
        if frame.headerError != 0 {
            let name = errorName(frame.headerError, errorClass: frame.errorClass)
            return .exception(code: Int(frame.headerError), name: name)
        }
        if frame.userdataError != 0 {
            return .exception(code: Int(frame.userdataError), name: errorName(frame.userdataError, errorClass: 0))
        }
        let isReadWrite = frame.function == Function.readVariable || frame.function == Function.writeVariable
        let hasItems = frame.isUserdata || (frame.hasFunction && isReadWrite)
        // A userdata answer without data carries an empty item marked "object does not exist"
        // (a PLC's plain acknowledgement); failures say so in the userdata error code.
        let emptyUserdataItem = frame.isUserdata && frame.userdataPayloadLength == 0 && frame.returnCode == 0x0a
        if hasItems, frame.dataLength > 0, frame.returnCode != 0xff, frame.returnCode != 0, !emptyUserdataItem {
            return .exception(code: Int(frame.returnCode), name: returnCodeName(frame.returnCode))
        }
        return .ok
    }

    /// Names of data item return codes.
    public static func returnCodeName(_ code: UInt8) -> String {
        switch code {
        case 0x01: "hardware_fault"
        case 0x03: "access_denied"
        case 0x05: "invalid_address"
        case 0x06: "data_type_not_supported"
        case 0x07: "data_type_inconsistent"
        case 0x0a: "object_does_not_exist"
        case 0xff: "success"
        default: "return_code_0x" + hex(Int(code), digits: 2)
        }
    }

    /// Names of the common header/parameter error codes, else of the error class.
    public static func errorName(_ code: UInt16, errorClass: UInt8) -> String {
        switch code {
        case 0x0110, 0xd210: return "invalid_block_number"
        case 0x0114, 0xd209: return "block_not_found"
        case 0x0115: return "block_already_exists"
        case 0x0116: return "block_write_protected"
        case 0x0119: return "incorrect_password"
        case 0x8104: return "service_not_implemented"
        case 0x8500: return "wrong_frames"
        case 0x8701: return "object_addressing_error"
        case 0x8702: return "service_not_supported"
        case 0x8703: return "access_refused"
        case 0xd081: return "not_permitted_in_current_mode"
        case 0xd0a1: return "not_permitted_in_protection_level"
        default: break
        }
        switch errorClass {
        case 0x81: return "application_relationship"
        case 0x82: return "object_definition"
        case 0x83: return "no_resources"
        case 0x84: return "service_processing"
        case 0x85: return "supplies"
        case 0x87: return "access_error"
        default: return "error_0x" + hex(Int(code), digits: 4)
        }
    }

    /// Block type codes (the two hex digits of a block file name).
    public static func blockKind(_ type: UInt8) -> String {
        switch type {
        case 0x08: "ob"
        case 0x0a: "db"
        case 0x0b: "sdb"
        case 0x0c: "fc"
        case 0x0d: "sfc"
        case 0x0e: "fb"
        case 0x0f: "sfb"
        default: "block_0x" + hex(Int(type), digits: 2)
        }
    }

    /// Memory areas of S7ANY item addresses. Data blocks name their number ("db1").
    public static func areaKind(_ item: ItemAddress) -> String {
        let base: String
        switch item.area {
        case 0x03: base = "system_info"
        case 0x05: base = "system_flags"
        case 0x06: base = "analog_inputs"
        case 0x07: base = "analog_outputs"
        case 0x1c: base = "counter"
        case 0x1d: base = "timer"
        case 0x1e: base = "iec_counter"
        case 0x1f: base = "iec_timer"
        case 0x80: base = "peripheral"
        case 0x81: base = "input"
        case 0x82: base = "output"
        case 0x83: base = "flag"
        case 0x84: base = "db" + String(item.dbNumber)
        case 0x85: base = "di" + String(item.dbNumber)
        case 0x86: base = "local"
        case 0x87: base = "previous_local"
        default: base = "area_0x" + hex(Int(item.area), digits: 2)
        }
        return item.transportSize == TransportSize.bit ? base + "_bit" : base
    }

    /// The parameter transport sizes whose element width decides how values are read.
    public enum TransportSize {
        public static let bit: UInt8 = 0x01
        /// Bytes per element of a parameter transport size.
        public static func elementBytes(_ size: UInt8) -> Int {
            switch size {
            case 0x04, 0x05, 0x09, 0x0c, 0x1c, 0x1d: 2
            case 0x06, 0x07, 0x08, 0x0a, 0x0b: 4
            default: 1
            }
        }
        /// INT and DINT are signed.
        public static func isSigned(_ size: UInt8) -> Bool { size == 0x05 || size == 0x07 }
    }

    /// An item's target: byte address (bit address for bit items), element count.
    static func target(_ item: ItemAddress, values: [Int] = []) -> Message.Target {
        let address = item.transportSize == TransportSize.bit ? Int(item.bitAddress) : item.byteAddress
        let kind = item.syntaxID == 0x10 ? areaKind(item) : "syntax_0x" + hex(Int(item.syntaxID), digits: 2)
        return Message.Target(kind: kind, address: address, count: Int(item.length), values: values)
    }

    static func targets(_ frame: Frame, pdu: Span<UInt8>, state: State) -> [Message.Target] {
        guard frame.kind == .pdu else { return [] }
        let header = frame.rosctr == ROSCTR.ack || frame.rosctr == ROSCTR.ackData ? ackHeaderLength : headerLength
        let parameterEnd = min(header &+ Int(frame.parameterLength), pdu.count)
        guard parameterEnd >= header else { return [] }
        let parameter = pdu.extracting(header..<parameterEnd)
        let data = pdu.extracting(parameterEnd..<min(parameterEnd &+ Int(frame.dataLength), pdu.count))
        if frame.isUserdata { return userdataTargets(frame, data: data) }
        if frame.blockNumber >= 0 {
            return [Message.Target(kind: blockKind(frame.blockType), address: Int(frame.blockNumber),
                count: max(1, Int(frame.blockCount)))]
        }
        guard frame.hasFunction else { return [] }
        switch frame.function {
        case Function.readVariable, Function.writeVariable:
            return frame.isRequest ? requestItems(frame, parameter: parameter, data: data)
                : responseItems(frame, data: data, state: state)
        case Function.setupCommunication:
            return [Message.Target(kind: "pdu_size", address: 0, values: [Int(frame.negotiatedPDUSize)])]
        default:
            return []
        }
    }

    /// Read/write request items, with the written values of a write.
    static func requestItems(_ frame: Frame, parameter: Span<UInt8>, data: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        var offset = 2
        var dataOffset = 0
        for index in 0..<min(Int(frame.itemCount), maxItems) {
            guard let length = parameter.byte(at: offset &+ 1), offset &+ 2 &+ Int(length) <= parameter.count else {
                break
            }
            let item = itemAddress(parameter, at: offset, length: length)
            offset = offset &+ 2 &+ Int(length)
            var values: [Int] = []
            if frame.function == Function.writeVariable {
                let isLast = index == Int(frame.itemCount) &- 1
                values = dataItem(data, at: &dataOffset, item: item, isLast: isLast)
            }
            targets.append(target(item, values: values))
        }
        return targets
    }

    /// Read responses carry each item's data; write responses only return codes. Items are
    /// addressed from the request when it was seen and its items are still in the ring.
    static func responseItems(_ frame: Frame, data: Span<UInt8>, state: State) -> [Message.Target] {
        var targets: [Message.Target] = []
        var dataOffset = 0
        for index in 0..<min(Int(frame.itemCount), maxItems) {
            var item = frame.request.flatMap { state.items.item(first: $0.firstItem, index: index) }
                ?? ItemAddress(syntaxID: 0, transportSize: 0, area: 0, dbNumber: 0, bitAddress: 0, length: 0)
            if frame.request == nil { item.syntaxID = 0x10 }
            if frame.function == Function.writeVariable {
                guard dataOffset < data.count else { break }
                targets.append(target(item))
                dataOffset &+= 1
                continue
            }
            guard dataOffset < data.count else { break }
            let isLast = index == Int(frame.itemCount) &- 1
            let values = dataItem(data, at: &dataOffset, item: item, isLast: isLast)
            var found = target(item, values: values)
            if frame.request == nil {
                found.kind = "unknown"
                found.address = -1
                found.count = values.count
            }
            targets.append(found)
        }
        return targets
    }

    /// One data item (return code, transport size, length, data, fill byte when odd and not
    /// last) as values in the request's element width; advances `offset`.
    static func dataItem(_ data: Span<UInt8>, at offset: inout Int, item: ItemAddress, isLast: Bool) -> [Int] {
        guard let returnCode = data.byte(at: offset &+ 0), let size = data.byte(at: offset &+ 1),
            let rawLength = data.uint16BE(at: offset &+ 2)
        else {
            offset = data.count
            return []
        }
        // Transport sizes 3 (bit), 4 (byte/word/dword) and 5 (integer) count bits.
        let byteCount = size == 3 || size == 4 || size == 5 ? (Int(rawLength) &+ 7) / 8 : Int(rawLength)
        let start = offset &+ 4
        let end = min(start &+ byteCount, data.count)
        offset = start &+ byteCount &+ (byteCount % 2 == 1 && !isLast ? 1 : 0)
        guard returnCode == 0xff || returnCode == 0 else { return [] }
        var values: [Int] = []
        if item.transportSize == TransportSize.bit || size == 3 {
            if let byte = data.byte(at: start) { values.append(Int(byte & 1)) }
            return values
        }
        let width = TransportSize.elementBytes(item.transportSize)
        values.reserveCapacity(min(max(0, (end &- start) / width), maxValuesPerTarget))
        var position = start
        while position &+ width <= end, values.count < maxValuesPerTarget {
            var value = 0
            for index in 0..<width { value = value << 8 | Int(data[position &+ index]) }
            if TransportSize.isSigned(item.transportSize) {
                let shift = 64 &- width &* 8
                value = (value << shift) >> shift
            }
            values.append(value)
            position &+= width
        }
        return values
    }
}
