import ConvergeModel

extension S7Comm {
    /// Job functions (the first parameter byte of job and ack-data PDUs).
    public enum Function {
        public static let cpuServices: UInt8 = 0x00
        public static let readVariable: UInt8 = 0x04
        public static let writeVariable: UInt8 = 0x05
        public static let requestDownload: UInt8 = 0x1a
        public static let downloadBlock: UInt8 = 0x1b
        public static let downloadEnded: UInt8 = 0x1c
        public static let startUpload: UInt8 = 0x1d
        public static let upload: UInt8 = 0x1e
        public static let endUpload: UInt8 = 0x1f
        public static let piService: UInt8 = 0x28
        public static let plcStop: UInt8 = 0x29
        public static let setupCommunication: UInt8 = 0xf0

        public static func isKnown(_ code: UInt8) -> Bool {
            switch code {
            case cpuServices, readVariable, writeVariable, requestDownload, downloadBlock, downloadEnded,
                startUpload, upload, endUpload, piService, plcStop, setupCommunication:
                true
            default: false
            }
        }
    }

    /// A job: its function, what it addresses, and a pending entry for its response.
    static func parseJob(
        _ parameter: Span<UInt8>, data: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State
    ) {
        guard let function = parameter.byte(at: 0) else { return }
        frame.function = function
        frame.hasFunction = true
        if !Function.isKnown(function) { frame.anomalies.insert(.unknownFunction) }
        let firstItem = state.items.written
        switch function {
        case Function.setupCommunication:
            frame.negotiatedPDUSize = parameter.uint16BE(at: 6) ?? 0
            if parameter.count != 8 { frame.anomalies.insert(.invalidParameter) }
        case Function.readVariable, Function.writeVariable:
            parseItems(parameter, frame: &frame, state: &state)
        case Function.requestDownload, Function.downloadBlock, Function.downloadEnded, Function.startUpload:
            parseFileName(parameter, at: 8, frame: &frame)
        case Function.piService:
            parsePIService(parameter, frame: &frame)
        case Function.plcStop:
            frame.piService = .stop
            if !nameMatches(parameter, lengthAt: 6, "P_PROGRAM") { frame.anomalies.insert(.unknownPIService) }
        default:
            break
        }
        var pending = Pending(
            pduReference: frame.pduReference, rosctr: ROSCTR.job, function: function, userdataGroup: 0,
            userdataSubfunction: 0, szlID: 0, szlIndex: 0, firstItem: firstItem,
            itemCount: UInt8(truncatingIfNeeded: min(Int(frame.itemCount), maxItems)), time: time)
        pending.piService = frame.piService
        pending.blockType = frame.blockType
        pending.blockNumber = frame.blockNumber
        if state.pending.insert(pending) {
            state.pendingOverflows &+= 1
            frame.anomalies.insert(.pendingOverflow)
        }
    }

    /// Ack and ack-data: paired by PDU reference; the function byte is present when the parameter is.
    static func parseAck(
        _ parameter: Span<UInt8>, data: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State
    ) {
        if let request = state.pending.take(PendingKey(pduReference: frame.pduReference, userdata: false)) {
            frame.request = request
            frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
            frame.itemCount = request.itemCount
            frame.piService = request.piService
            if frame.blockNumber < 0 {
                frame.blockType = request.blockType
                frame.blockNumber = request.blockNumber
            }
        } else {
            frame.anomalies.insert(.unsolicitedResponse)
        }
        if let function = parameter.byte(at: 0) {
            frame.function = function
            frame.hasFunction = true
            if !Function.isKnown(function) { frame.anomalies.insert(.unknownFunction) }
            if let request = frame.request, request.function != function { frame.anomalies.insert(.responseMismatch) }
        } else if let request = frame.request {
            // An ack without parameter (usually an error) answers its request's function.
            frame.function = request.function
        }
        guard frame.hasFunction else { return }
        switch frame.function {
        case Function.setupCommunication:
            frame.negotiatedPDUSize = parameter.uint16BE(at: 6) ?? 0
        case Function.readVariable, Function.writeVariable:
            frame.itemCount = parameter.byte(at: 1) ?? 0
            frame.returnCode = data.byte(at: 0) ?? 0
            if let request = frame.request, request.itemCount != frame.itemCount, Int(frame.itemCount) <= maxItems {
                frame.anomalies.insert(.responseMismatch)
            }
        default:
            break
        }
    }

    /// Read/write variable items: count, then item specs (0x12, length, syntax id, …). S7ANY
    /// items (syntax 0x10, length 10) are kept in the item ring; others only advance.
    static func parseItems(_ parameter: Span<UInt8>, frame: inout Frame, state: inout State) {
        guard let count = parameter.byte(at: 1) else {
            frame.anomalies.insert(.invalidParameter)
            return
        }
        frame.itemCount = count
        if Int(count) > maxItems { frame.anomalies.insert(.tooManyItems) }
        var offset = 2
        for _ in 0..<min(Int(count), maxItems) {
            guard parameter.byte(at: offset) == 0x12, let length = parameter.byte(at: offset &+ 1),
                offset &+ 2 &+ Int(length) <= parameter.count
            else {
                frame.anomalies.insert(.invalidParameter)
                return
            }
            state.items.append(itemAddress(parameter, at: offset, length: length))
            offset = offset &+ 2 &+ Int(length)
        }
        if Int(count) <= maxItems, offset != parameter.count { frame.anomalies.insert(.invalidParameter) }
    }

    /// The item spec at `offset` (0x12, its length, syntax id …): S7ANY (syntax 0x10, length 10)
    /// decoded, other syntaxes keep only their id.
    static func itemAddress(_ parameter: Span<UInt8>, at offset: Int, length: UInt8) -> ItemAddress {
        var item = ItemAddress()
        item.syntaxID = parameter.byte(at: offset &+ 2) ?? 0
        guard item.syntaxID == 0x10, length == 10 else { return item }
        item.transportSize = parameter.byte(at: offset &+ 3) ?? 0
        item.length = parameter.uint16BE(at: offset &+ 4) ?? 0
        item.dbNumber = parameter.uint16BE(at: offset &+ 6) ?? 0
        item.area = parameter.byte(at: offset &+ 8) ?? 0
        let high = UInt32(parameter.byte(at: offset &+ 9) ?? 0)
        item.bitAddress = high << 16 | UInt32(parameter.uint16BE(at: offset &+ 10) ?? 0)
        return item
    }

    /// Block file names ("_0A00001P": "_", block type as two hex digits, five-digit number,
    /// file system letter) carried after a length byte at `lengthOffset`.
    static func parseFileName(_ parameter: Span<UInt8>, at lengthOffset: Int, frame: inout Frame) {
        guard let length = parameter.byte(at: lengthOffset) else { return }
        let start = lengthOffset &+ 1
        guard length >= 8, start &+ Int(length) <= parameter.count, parameter.byte(at: start) == 0x5f else {
            frame.anomalies.insert(.invalidParameter)
            return
        }
        parseBlockID(parameter, at: start &+ 1, frame: &frame)
    }

    /// A block id: type (two hex digits), number (five decimal digits).
    static func parseBlockID(_ bytes: Span<UInt8>, at offset: Int, frame: inout Frame) {
        guard let high = hexDigit(bytes.byte(at: offset)), let low = hexDigit(bytes.byte(at: offset &+ 1)) else {
            frame.anomalies.insert(.invalidParameter)
            return
        }
        var number: Int32 = 0
        for index in 0..<5 {
            guard let byte = bytes.byte(at: offset &+ 2 &+ index), byte >= 0x30, byte <= 0x39 else {
                frame.anomalies.insert(.invalidParameter)
                return
            }
            number = number &* 10 &+ Int32(byte &- 0x30)
        }
        frame.blockType = high << 4 | low
        frame.blockNumber = number
    }

    static func hexDigit(_ byte: UInt8?) -> UInt8? {
        guard let byte else { return nil }
        switch byte {
        case 0x30...0x39: return byte &- 0x30
        case 0x41...0x46: return byte &- 0x41 &+ 10
        case 0x61...0x66: return byte &- 0x61 &+ 10
        default: return nil
        }
    }

    /// PI service (0x28): seven reserved bytes, parameter block length and block, name length and
    /// name. P_PROGRAM starts the PLC (cold start when the argument is "C"); _INSE/_DELE list
    /// blocks (count, reserved byte, then 8 characters each: type, number, file system).
    static func parsePIService(_ parameter: Span<UInt8>, frame: inout Frame) {
        guard let blockLength = parameter.uint16BE(at: 8) else {
            frame.anomalies.insert(.invalidParameter)
            return
        }
        let blockStart = 10
        let nameLengthOffset = blockStart &+ Int(blockLength)
        guard let nameLength = parameter.byte(at: nameLengthOffset),
            nameLengthOffset &+ 1 &+ Int(nameLength) <= parameter.count
        else {
            frame.anomalies.insert(.invalidParameter)
            return
        }
        let name = nameLengthOffset &+ 1
        if equals(parameter, at: name, length: Int(nameLength), "P_PROGRAM") {
            frame.piService = blockLength > 0 && parameter.byte(at: blockStart) == 0x43 ? .coldStart : .hotStart
        } else if equals(parameter, at: name, length: Int(nameLength), "_INSE") {
            frame.piService = .insertBlock
        } else if equals(parameter, at: name, length: Int(nameLength), "_DELE") {
            frame.piService = .deleteBlock
        } else if equals(parameter, at: name, length: Int(nameLength), "_GARB") {
            frame.piService = .compressMemory
        } else if equals(parameter, at: name, length: Int(nameLength), "_MODU") {
            frame.piService = .copyRAMToROM
        } else if nameLength > 3, equals(parameter, at: name, length: 3, "_N_") {
            frame.piService = .ncService
        } else {
            frame.piService = .unknown
            frame.anomalies.insert(.unknownPIService)
        }
        if frame.piService == .insertBlock || frame.piService == .deleteBlock {
            frame.blockCount = parameter.byte(at: blockStart) ?? 0
            if blockLength >= 10 { parseBlockID(parameter, at: blockStart &+ 2, frame: &frame) }
        }
    }

    /// Whether the length-prefixed name at `lengthOffset` is `text`.
    static func nameMatches(_ bytes: Span<UInt8>, lengthOffset: Int, _ text: StaticString) -> Bool {
        guard let length = bytes.byte(at: lengthOffset) else { return false }
        return equals(bytes, at: lengthOffset &+ 1, length: Int(length), text)
    }

    static func nameMatches(_ bytes: Span<UInt8>, lengthAt offset: Int, _ text: StaticString) -> Bool {
        nameMatches(bytes, lengthOffset: offset, text)
    }

    /// Whether `length` bytes at `offset` spell `text` (ASCII), without building a string.
    static func equals(_ bytes: Span<UInt8>, at offset: Int, length: Int, _ text: StaticString) -> Bool {
        guard length == text.utf8CodeUnitCount, offset >= 0, offset &+ length <= bytes.count else { return false }
        let pointer = text.utf8Start
        for index in 0..<length where bytes[offset &+ index] != pointer[index] { return false }
        return true
    }
}
