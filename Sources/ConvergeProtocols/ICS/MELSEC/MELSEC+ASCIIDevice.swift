import ConvergeModel

extension MELSEC.Device {
    /// ASCII head device of a batch read/write: device code 2 characters ("D*", "ZR"), head
    /// device number 6 characters, points 4 hex characters; iQ-R subcommands 0002/0003 widen
    /// them to code 4 ("D***") and number 8. The device code comes first, unlike binary.
    /// Numbers are decimal, except for the devices the manual numbers in hexadecimal (X, Y, B, W,
    /// SB, SW, DX, DY). The code is mapped to the binary device code so that `kind` names it.
    static func parseASCII(_ bytes: Span<UInt8>, at offset: Int, subcommand: UInt16) -> MELSEC.Device? {
        let wide = subcommand & 0x0002 != 0
        let codeLength = wide ? 4 : 2
        let numberLength = wide ? 8 : 6
        guard let c0 = bytes.byte(at: offset), let c1 = bytes.byte(at: offset &+ 1),
            let mapped = asciiCode(c0, c1)
        else { return nil }
        let numberOffset = offset &+ codeLength
        let number =
            mapped.hexNumbered
            ? MELSEC.asciiHex(bytes, at: numberOffset, digits: numberLength)
            : MELSEC.asciiDecimal(bytes, at: numberOffset, digits: numberLength)
        guard let number, let points = MELSEC.asciiHex(bytes, at: numberOffset &+ numberLength, digits: 4) else {
            return nil
        }
        return MELSEC.Device(code: mapped.code, number: number, points: UInt16(truncatingIfNeeded: points))
    }

    /// Characters of an ASCII batch read/write device field before its values.
    static func asciiLength(subcommand: UInt16) -> Int { subcommand & 0x0002 != 0 ? 16 : 12 }

    /// The binary device code of an ASCII one and whether its numbers are hexadecimal.
    static func asciiCode(_ c0: UInt8, _ c1: UInt8) -> (code: UInt16, hexNumbered: Bool)? {
        // The two characters as one big-endian word: "D*" is 0x442A.
        switch UInt16(c0) << 8 | UInt16(c1) {
        case 0x582A:  // "X*"
            return (0x9C, true)
        case 0x592A:  // "Y*"
            return (0x9D, true)
        case 0x4D2A:  // "M*"
            return (0x90, false)
        case 0x4C2A:  // "L*"
            return (0x92, false)
        case 0x462A:  // "F*"
            return (0x93, false)
        case 0x562A:  // "V*"
            return (0x94, false)
        case 0x422A:  // "B*"
            return (0xA0, true)
        case 0x442A:  // "D*"
            return (0xA8, false)
        case 0x572A:  // "W*"
            return (0xB4, true)
        case 0x5453:  // "TS"
            return (0xC1, false)
        case 0x5443:  // "TC"
            return (0xC0, false)
        case 0x544E:  // "TN"
            return (0xC2, false)
        case 0x4353:  // "CS"
            return (0xC4, false)
        case 0x4343:  // "CC"
            return (0xC3, false)
        case 0x434E:  // "CN"
            return (0xC5, false)
        case 0x522A:  // "R*"
            return (0xAF, false)
        case 0x5A52:  // "ZR"
            return (0xB0, false)
        case 0x5A2A:  // "Z*"
            return (0xCC, false)
        case 0x534D:  // "SM"
            return (0x91, false)
        case 0x5344:  // "SD"
            return (0xA9, false)
        case 0x5342:  // "SB"
            return (0xA1, true)
        case 0x5357:  // "SW"
            return (0xB5, true)
        case 0x4458:  // "DX"
            return (0xA2, true)
        case 0x4459:  // "DY"
            return (0xA3, true)
        default: return nil
        }
    }
}

extension MELSEC {
    /// The head device of an ASCII batch read or write, with the values the frame carries.
    static func asciiTargets(_ frame: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        let end = min(frame.length, bytes.count)
        guard frame.dataOffset <= end else { return [] }
        let data = bytes.extracting(frame.dataOffset..<end)
        if frame.isResponse {
            guard frame.endCode == 0, frame.command == Command.batchRead, let device = frame.request?.device else {
                return []
            }
            return [target(device, values: asciiValues(data, from: 0, device: device, subcommand: frame.subcommand))]
        }
        guard frame.command == Command.batchRead || frame.command == Command.batchWrite,
            let device = Device.parseASCII(data, at: 0, subcommand: frame.subcommand)
        else { return [] }
        guard frame.command == Command.batchWrite else { return [target(device, values: [])] }
        let start = Device.asciiLength(subcommand: frame.subcommand)
        return [target(device, values: asciiValues(data, from: start, device: device, subcommand: frame.subcommand))]
    }

    /// Points in bit units (one character each) or word units (4 hex characters each), capped
    /// by `maxTargetValues`; stops at the first short or non-hex value.
    static func asciiValues(_ data: Span<UInt8>, from start: Int, device: Device, subcommand: UInt16) -> [Int] {
        let width = Device.isBitUnit(subcommand) ? 1 : 4
        let wanted = min(Int(device.points), maxTargetValues)
        var values: [Int] = []
        for index in 0..<wanted {
            guard let value = asciiHex(data, at: start &+ index &* width, digits: width) else { break }
            values.append(Int(value))
        }
        return values
    }
}
