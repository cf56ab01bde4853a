import ConvergeWire

extension PNIOCM {
    /// The NDR arguments header before the blocks: requests carry ArgsMaximum, ArgsLength and the
    /// conformant array's MaximumCount, Offset, ActualCount; responses PNIOStatus instead of
    /// ArgsMaximum. Either way 20 bytes.
    public static let argumentsHeaderLength = 20
    /// Blocks looked at per packet; a Connect carries a handful, more is flagged.
    public static let maxBlocks = 64
    /// Block header: type, length (bytes after the length field), version high and low.
    static let blockHeaderLength = 6
    /// The longest CMInitiatorStationName kept (a DNS-compatible name: 240 octets).
    public static let maxStationNameLength = 240

    /// Fault/reject bodies carry a status code; PNIO requests and responses their arguments.
    static func parseBody(_ body: Span<UInt8>, frame: inout Frame) {
        if frame.packetType == PacketType.fault || frame.packetType == PacketType.reject {
            frame.faultStatus = u32(body, 0, little: frame.littleEndian) ?? 0
            return
        }
        guard frame.interface.isPNIO, frame.isFirstFragment,
            frame.packetType == PacketType.request || frame.packetType == PacketType.response
        else { return }
        guard body.count >= argumentsHeaderLength,
            let argsLength = u32(body, 4, little: frame.littleEndian),
            let actual = u32(body, 16, little: frame.littleEndian)
        else {
            // A response may be only a PNIOStatus (a refused call); an empty body says nothing.
            if frame.packetType == PacketType.response, body.count >= 4 {
                frame.pnioStatus = body.loadUInt32BE(at: 0)
            } else if body.count > 0 {
                frame.anomalies.insert(.badArguments)
            }
            return
        }
        if frame.packetType == PacketType.response { frame.pnioStatus = body.loadUInt32BE(at: 0) }
        let room = body.count &- argumentsHeaderLength
        if UInt64(actual) > UInt64(room) || argsLength != actual { frame.anomalies.insert(.badArguments) }
        let length = Int(min(UInt64(actual), UInt64(room)))
        walkBlocks(body.extracting(argumentsHeaderLength..<(argumentsHeaderLength &+ length)),
            base: headerLength &+ argumentsHeaderLength, frame: &frame)
    }

    /// Steps over the blocks, keeping the first AR, record and control block it meets.
    /// `base` is the blocks' offset in the datagram (for the station name's position).
    static func walkBlocks(_ blocks: Span<UInt8>, base: Int, frame: inout Frame) {
        var offset = 0
        while offset < blocks.count {
            guard frame.blockCount < maxBlocks else {
                frame.anomalies.insert(.tooManyBlocks)
                return
            }
            guard let type = blocks.uint16BE(at: offset), let length = blocks.uint16BE(at: offset &+ 2),
                length >= 2
            else {
                frame.anomalies.insert(.badBlock)
                return
            }
            let end = offset &+ 4 &+ Int(length)
            if end > blocks.count { frame.anomalies.insert(.badBlock) }
            let block = blocks.extracting(offset..<min(end, blocks.count))
            if frame.blockCount == 0 { frame.firstBlockType = type }
            frame.blockCount &+= 1
            readBlock(type, block, at: base &+ offset, frame: &frame)
            // A write request's and a read response's header block is followed by the record
            // data, which is not a block list (some records happen to be blocks, most are not).
            if type == 0x0008 || type == 0x8009 { return }
            offset = end
        }
    }

    static func readBlock(_ type: UInt16, _ block: Span<UInt8>, at position: Int, frame: inout Frame) {
        switch type {
        case 0x0008, 0x8008, 0x0009, 0x8009:
            guard !frame.hasRecord else { return }
            // SeqNumber, ARUUID, API, Slot, Subslot, padding, Index, RecordDataLength.
            guard let slot = block.uint16BE(at: 28), let subslot = block.uint16BE(at: 30),
                let index = block.uint16BE(at: 34), block.count >= 40
            else {
                frame.anomalies.insert(.badBlock)
                return
            }
            frame.hasRecord = true
            frame.recordBlockType = type
            frame.api = block.loadUInt32BE(at: 24)
            frame.slot = slot
            frame.subslot = subslot
            frame.index = index
            frame.recordLength = block.loadUInt32BE(at: 36)
        case 0x0101:
            guard !frame.hasARBlock else { return }
            // ARType, ARUUID, SessionKey, CMInitiatorMacAdd, CMInitiatorObjectUUID, ARProperties,
            // timeout factor, UDP RT port, StationNameLength, CMInitiatorStationName.
            guard let arType = block.uint16BE(at: 6), let nameLength = block.uint16BE(at: 56),
                let arUUID = uuid(block, 8, little: false)
            else {
                frame.anomalies.insert(.badBlock)
                return
            }
            frame.hasARBlock = true
            frame.arType = arType
            frame.arUUID = arUUID
            let present = max(0, block.count &- 58)
            if Int(nameLength) > present { frame.anomalies.insert(.badBlock) }
            frame.stationNameOffset = position &+ 58
            frame.stationNameLength = min(Int(nameLength), present, maxStationNameLength)
        case 0x0110...0x0118, 0x8110...0x8118:
            guard !frame.hasControl else { return }
            // Reserved, ARUUID, SessionKey, reserved, ControlCommand, ControlBlockProperties.
            guard let command = block.uint16BE(at: 28) else {
                frame.anomalies.insert(.badBlock)
                return
            }
            frame.hasControl = true
            frame.controlBlockType = type
            frame.controlCommand = command
        default:
            return
        }
    }
}
