import Foundation

/// Test-only: the TCP payloads of a classic pcap of Ethernet/IPv4 frames, just enough to feed
/// capture fixtures to the Modbus dissector (the real decoders live in ConvergeCapture and
/// ConvergeProtocols/Link and are tested there). Anything it does not understand is skipped.
enum ModbusPcapSplitter {
    struct Segment {
        var frame: Int
        var time: Int64
        var source: UInt32
        var destination: UInt32
        var sourcePort: UInt16
        var destinationPort: UInt16
        var sequence: UInt32
        var payload: [UInt8]
    }

    static func tcpSegments(_ file: [UInt8]) -> [Segment] {
        guard file.count >= 24 else { return [] }
        let magic = UInt32(file[0]) << 24 | UInt32(file[1]) << 16 | UInt32(file[2]) << 8 | UInt32(file[3])
        let littleEndian: Bool
        let nanoseconds: Bool
        switch magic {
        case 0xd4c3_b2a1: (littleEndian, nanoseconds) = (true, false)
        case 0x4d3c_b2a1: (littleEndian, nanoseconds) = (true, true)
        case 0xa1b2_c3d4: (littleEndian, nanoseconds) = (false, false)
        case 0xa1b2_3c4d: (littleEndian, nanoseconds) = (false, true)
        default: return []
        }
        func u32(_ at: Int) -> UInt32 {
            let b = (0..<4).map { UInt32(file[at + $0]) }
            let bytes = littleEndian ? b.reversed() : b
            return bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]
        }
        guard u32(20) == 1 else { return [] }  // Ethernet only
        var segments: [Segment] = []
        var offset = 24
        var frame = 0
        while offset + 16 <= file.count {
            frame += 1
            let seconds = Int64(u32(offset)), fraction = Int64(u32(offset + 4))
            let captured = Int(u32(offset + 8))
            let start = offset + 16
            guard start + captured <= file.count else { break }
            let time = seconds * 1_000_000_000 + (nanoseconds ? fraction : fraction * 1000)
            if var segment = tcp(Array(file[start..<(start + captured)])) {
                segment.frame = frame
                segment.time = time
                segments.append(segment)
            }
            offset = start + captured
        }
        return segments
    }

    static func tcp(_ packet: [UInt8]) -> Segment? {
        func u16(_ at: Int) -> Int { Int(packet[at]) << 8 | Int(packet[at + 1]) }
        var ip = 14
        guard packet.count >= 14 else { return nil }
        var etherType = u16(12)
        while etherType == 0x8100 || etherType == 0x88a8, packet.count >= ip + 4 {
            etherType = u16(ip + 2)
            ip += 4
        }
        guard etherType == 0x0800, packet.count >= ip + 20, packet[ip] >> 4 == 4, packet[ip + 9] == 6 else {
            return nil
        }
        let headerLength = Int(packet[ip] & 0x0f) * 4
        let totalLength = u16(ip + 2)
        let tcp = ip + headerLength
        guard headerLength >= 20, packet.count >= tcp + 20, totalLength >= headerLength + 20 else { return nil }
        let dataOffset = Int(packet[tcp + 12] >> 4) * 4
        let end = min(packet.count, ip + totalLength)
        guard dataOffset >= 20, tcp + dataOffset <= end else { return nil }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) << 16 | UInt32(u16(at + 2)) }
        return Segment(
            frame: 0, time: 0, source: u32(ip + 12), destination: u32(ip + 16), sourcePort: UInt16(u16(tcp)),
            destinationPort: UInt16(u16(tcp + 2)), sequence: u32(tcp + 4),
            payload: Array(packet[(tcp + dataOffset)..<end]))
    }
}
