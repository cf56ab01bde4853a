import ConvergeModel

extension S7Comm {
    /// One address of a variable table, modify or force job: memory area and width in one byte
    /// (high nibble: 0 flag, 1 input, 2 output, 3 peripheral, 5 timer, 6 counter, 7 data block;
    /// low nibble: 0 bit, 1 byte, 2 word, 3 double word), repetition factor (the bit number for
    /// a bit), data block number, start byte.
    struct ProgrammerAddress {
        var area: UInt8
        var repetition: UInt8
        var dbNumber: UInt16
        var start: UInt16

        var isBit: Bool { area & 0x0f == 0 && area >> 4 <= 7 && area != 0x54 && area != 0x64 }
        /// Bytes per element of the area's width.
        var width: Int {
            if area == 0x54 || area == 0x64 { return 2 }
            switch area & 0x0f {
            case 2: return 2
            case 3: return 4
            default: return 1
            }
        }

        var target: Message.Target {
            let base: String
            switch area {
            case 0x54: base = "timer"
            case 0x64: base = "counter"
            default:
                switch area >> 4 {
                case 0: base = "flag"
                case 1: base = "input"
                case 2: base = "output"
                case 3: base = "peripheral"
                case 7: base = "db" + String(dbNumber)
                default: base = "area_0x" + S7Comm.hex(Int(area), digits: 2)
                }
            }
            if isBit {
                return Message.Target(kind: base + "_bit", address: Int(start) << 3 | Int(repetition & 7), count: 1)
            }
            return Message.Target(kind: base, address: Int(start), count: Int(repetition))
        }
    }

    /// Programmer commands carry test-and-installation data: parameter size, data size, the
    /// parameter, then the data. Variable table, modify and force requests list addresses
    /// (modify and force then the values to write); answers and pushes of a variable table the
    /// values read; job management names the job.
    static func programmerTargets(_ frame: Frame, payload: Span<UInt8>) -> [Message.Target] {
        guard let parameterSize = payload.uint16BE(at: 0), let dataSize = payload.uint16BE(at: 2) else { return [] }
        let start = min(4 &+ Int(parameterSize), payload.count)
        let data = payload.extracting(start..<min(start &+ Int(dataSize), payload.count))
        let subfunction = frame.userdataSubfunction
        guard frame.userdataType == UserdataType.request else {
            return subfunction == 0x02 ? readValues(data) : []
        }
        switch subfunction {
        case 0x02, 0x08, 0x09:
            return addressedTargets(data, withValues: subfunction != 0x02)
        case 0x0d, 0x0e, 0x0f, 0x12:
            guard let job = data.byte(at: 0), let reference = data.byte(at: 1) else { return [] }
            return [Message.Target(
                kind: "job", address: Int(reference), values: [Int(job)], name: programmerCommandName(job))]
        default:
            return []
        }
    }

    /// Item count, the addresses (6 bytes each), then, for modify and force, one data item per
    /// address (return code, transport size, length, data, a fill byte after odd lengths).
    static func addressedTargets(_ data: Span<UInt8>, withValues: Bool) -> [Message.Target] {
        guard let count = data.uint16BE(at: 0) else { return [] }
        let items = min(Int(count), maxListedEntries)
        var targets: [Message.Target] = []
        var addresses: [ProgrammerAddress] = []
        var offset = 2
        for _ in 0..<items {
            guard let area = data.byte(at: offset), let repetition = data.byte(at: offset &+ 1),
                let dbNumber = data.uint16BE(at: offset &+ 2), let start = data.uint16BE(at: offset &+ 4)
            else { break }
            addresses.append(ProgrammerAddress(area: area, repetition: repetition, dbNumber: dbNumber, start: start))
            offset &+= 6
        }
        for address in addresses {
            var target = address.target
            if withValues, let values = programmerDataItem(data, at: &offset, width: address.width) {
                target.values = address.isBit ? values.prefix(1).map { $0 & 1 } : values
            }
            targets.append(target)
        }
        return targets
    }

    /// Values of a variable table answer: the addresses are in the request job, so they are
    /// shown as bytes of an unknown address.
    static func readValues(_ data: Span<UInt8>) -> [Message.Target] {
        guard let count = data.uint16BE(at: 0) else { return [] }
        var targets: [Message.Target] = []
        var offset = 2
        for _ in 0..<min(Int(count), maxListedEntries) {
            guard let values = programmerDataItem(data, at: &offset, width: 1) else { break }
            targets.append(Message.Target(kind: "unknown", address: -1, count: values.count, values: values))
        }
        return targets
    }

    /// One data item; advances `offset` past it and its fill byte. Nil past the end.
    static func programmerDataItem(_ data: Span<UInt8>, at offset: inout Int, width: Int) -> [Int]? {
        guard let returnCode = data.byte(at: offset), let size = data.byte(at: offset &+ 1),
            let rawLength = data.uint16BE(at: offset &+ 2)
        else { return nil }
        // Transport sizes 3 (bit), 4 (byte/word/dword) and 5 (integer) count bits.
        let length = size == 3 || size == 4 || size == 5 ? (Int(rawLength) &+ 7) / 8 : Int(rawLength)
        let start = offset &+ 4
        let end = min(start &+ length, data.count)
        offset = start &+ length &+ (length % 2)
        guard returnCode == 0xff || returnCode == 0, end > start else { return [] }
        var values: [Int] = []
        var position = start
        while position &+ width <= end, values.count < maxValuesPerTarget {
            var value = 0
            for index in 0..<width { value = value << 8 | Int(data[position &+ index]) }
            values.append(value)
            position &+= width
        }
        return values
    }
}
