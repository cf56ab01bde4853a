import ConvergeModel
import ConvergeWire
@testable import ConvergeProtocols

/// Byte-commented SYNs for the passive OS tests, built with `LinkFrameBuilder`.
enum PassiveOSFrames {
    typealias B = LinkFrameBuilder

    /// Linux 4.19+ client SYN: MSS 1460 (02 04 05 b4), SACK permitted (04 02), timestamps
    /// (08 0a, TSval 0x0001e240, TSecr 0), NOP (01), window scale 7 (03 03 07): 20 option bytes.
    static let linuxOptions: [UInt8] = [
        0x02, 0x04, 0x05, 0xB4,  // MSS 1460
        0x04, 0x02,  // SACK permitted
        0x08, 0x0A, 0x00, 0x01, 0xE2, 0x40, 0x00, 0x00, 0x00, 0x00,  // timestamps
        0x01,  // NOP
        0x03, 0x03, 0x07,  // window scale 7
    ]

    static func linuxSYN() -> [UInt8] {
        B.ethernet(type: 0x0800, B.ipv4(
            source: "192.168.10.50", destination: "192.168.10.10", protocol: 6, id: 0x5A3C, flagsAndOffset: 0x4000,
            ttl: 64,
            B.tcp(sourcePort: 37002, destinationPort: 80, sequence: 0x1234_5678, flags: 0x02, window: 64240,
                  options: linuxOptions)))
    }

    /// Windows 7 server SYN+ACK, TTL 128 seen after 2 routers: MSS 1460, NOP, window scale 8, NOP,
    /// NOP, SACK permitted (12 option bytes), window 8192.
    static func windowsSynAck() -> [UInt8] {
        B.ethernet(type: 0x0800, B.ipv4(
            source: "10.0.0.2", destination: "10.0.0.1", protocol: 6, id: 0x0101, flagsAndOffset: 0x4000, ttl: 126,
            B.tcp(sourcePort: 20000, destinationPort: 49152, sequence: 99, acknowledgment: 0x1000, flags: 0x12,
                  window: 8192, options: [0x02, 0x04, 0x05, 0xB4, 0x01, 0x03, 0x03, 0x08, 0x01, 0x01, 0x04, 0x02])))
    }

    /// macOS SYN over IPv6 with ECN setup (SYN, ECE, CWR) and a flow label: MSS 1440, NOP, window
    /// scale 5, NOP, NOP, timestamps, SACK permitted, EOL, one byte of padding (24 option bytes).
    static func macSYNv6() -> [UInt8] {
        var frame = B.ethernet(type: 0x86DD, B.ipv6(
            source: "2001:db8:1::1d22", destination: "2001:db8:1::1", next: 6, hopLimit: 64,
            B.tcp(sourcePort: 52308, destinationPort: 80, sequence: 7, flags: 0xC2, window: 65535, options: [
                0x02, 0x04, 0x05, 0xA0,  // MSS 1440
                0x01, 0x03, 0x03, 0x05,  // NOP, window scale 5
                0x01, 0x01,  // NOP, NOP
                0x08, 0x0A, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00,  // timestamps
                0x04, 0x02,  // SACK permitted
                0x00, 0x00,  // EOL, padding
            ])))
        frame[14 + 1] = 0x0A  // flow label 0xA_BCDE
        frame[14 + 2] = 0xBC
        frame[14 + 3] = 0xDE
        return frame
    }

    /// A SYN whose TCP options are `options` (padded by the caller to a multiple of 4, or not: the
    /// data offset is set by `dataOffset` when given).
    static func syn(options: [UInt8], dataOffset: UInt8? = nil, window: UInt16 = 4096, ttl: UInt8 = 64) -> [UInt8] {
        B.ethernet(type: 0x0800, B.ipv4(
            protocol: 6, id: 0, flagsAndOffset: 0, ttl: ttl,
            B.tcp(sourcePort: 1025, destinationPort: 502, sequence: 1, flags: 0x02, window: window, options: options,
                  dataOffset: dataOffset)))
    }

    /// Decodes an Ethernet frame and reads its signature.
    static func signature(_ frame: [UInt8], linkType: LinkType = .ethernet) -> PassiveOSSignature? {
        var packet = DecodedPacket()
        _ = PacketDecoder.decode(frame.span, linkType: linkType, into: &packet)
        return PassiveOSSignature.read(frame.span, packet: packet)
    }
}
