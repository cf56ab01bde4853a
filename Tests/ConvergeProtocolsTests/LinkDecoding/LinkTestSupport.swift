import ConvergeModel
import ConvergeWire
import Foundation
@testable import ConvergeProtocols

/// Decodes a whole byte array as one frame.
func linkDecode(_ bytes: [UInt8], _ linkType: LinkType) -> (packet: DecodedPacket, issue: DecodeIssue?) {
    var packet = DecodedPacket()
    let issue = PacketDecoder.decode(bytes.span, linkType: linkType, into: &packet)
    return (packet, issue)
}

/// An address from text; `.none` (which no fixture uses) if the text is bad, so a typo fails the test.
func linkIP(_ text: String) -> IPAddress { IPAddress(text) ?? .none }

/// The invariants every decode must keep, whatever the input: offsets inside the frame.
func linkOffsetsAreInside(_ packet: DecodedPacket, count: Int) -> Bool {
    packet.payloadOffset >= 0 && packet.payloadLength >= 0
        && packet.payloadOffset + packet.payloadLength <= count
        && packet.networkOffset >= 0 && packet.networkOffset <= count
        && packet.transportOffset >= 0 && packet.transportOffset <= count
        && packet.tunnelDepth <= UInt8(PacketDecoder.maxTunnelDepth)
        && Int(packet.vlanCount) <= PacketDecoder.maxVLANTags
}


/// Tests/Fixtures/link, found from this file's path.
func linkFixtureURL(_ name: String) -> URL {
    var url = URL(fileURLWithPath: #filePath)
    while url.lastPathComponent != "Tests", url.path != "/" { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Fixtures/link/\(name)")
}

/// A minimal classic-pcap record splitter for tests, until the capture reader is merged: both byte
/// orders, micro- and nanosecond magic, records cut short end the list.
struct LinkTestPcap {
    var linkType: LinkType
    var records: [(time: Timestamp, bytes: [UInt8])]

    init?(_ data: [UInt8]) {
        guard data.count >= 24 else { return nil }
        func u32(_ at: Int, _ little: Bool) -> UInt32 {
            let b = (0..<4).map { UInt32(data[at + $0]) }
            return little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
        }
        let magic = u32(0, true)
        let little: Bool
        let nanos: Bool
        switch magic {
        case 0xA1B2_C3D4: (little, nanos) = (true, false)
        case 0xA1B2_3C4D: (little, nanos) = (true, true)
        case 0xD4C3_B2A1: (little, nanos) = (false, false)
        case 0x4D3C_B2A1: (little, nanos) = (false, true)
        default: return nil
        }
        linkType = LinkType(rawValue: u32(20, little) & 0x0FFF_FFFF)
        records = []
        var offset = 24
        while offset + 16 <= data.count {
            let seconds = Int64(u32(offset, little))
            let fraction = Int64(u32(offset + 4, little))
            let length = Int(u32(offset + 8, little))
            guard length <= data.count - offset - 16 else { break }
            let time = Timestamp(seconds: seconds, nanoseconds: nanos ? fraction : fraction * 1000)
            records.append((time, Array(data[(offset + 16)..<(offset + 16 + length)])))
            offset += 16 + length
        }
    }

    init?(contentsOf url: URL) {
        guard let data = try? Data(contentsOf: url) else { return nil }
        self.init([UInt8](data))
    }
}
