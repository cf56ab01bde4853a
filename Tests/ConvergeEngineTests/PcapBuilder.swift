import Foundation

/// Builds small classic-pcap files of Ethernet/IPv4/TCP/UDP frames for end-to-end tests.
/// Checksums are left zero: Converge, like Wireshark by default, does not verify them.
struct PcapBuilder {
    private(set) var data = Data()
    private var time: UInt32 = 1_700_000_000

    init(linkType: UInt32 = 1) {
        append32(0xa1b2_c3d4)  // magic, microseconds, little-endian writer
        append16(2); append16(4)  // version 2.4
        append32(0); append32(0)  // thiszone, sigfigs
        append32(65_535)  // snaplen
        append32(linkType)
    }

    mutating func frame(_ bytes: [UInt8], advance: UInt32 = 1) {
        time &+= advance
        append32(time); append32(0)
        append32(UInt32(bytes.count)); append32(UInt32(bytes.count))
        data.append(contentsOf: bytes)
    }

    /// An Ethernet/IPv4/TCP frame; `flags` as in the TCP header (SYN 0x02, ACK 0x10, PSH 0x08, FIN 0x01).
    mutating func tcp(
        from src: (UInt32, UInt16), to dst: (UInt32, UInt16), seq: UInt32, ack: UInt32 = 0,
        flags: UInt8, payload: [UInt8] = []
    ) {
        var tcp: [UInt8] = be16(src.1) + be16(dst.1) + be32(seq) + be32(ack)
        tcp += [0x50, flags] + be16(65_535) + [0, 0, 0, 0]
        frame(ethernet(ipv4(protocol: 6, src: src.0, dst: dst.0, body: tcp + payload)))
    }

    mutating func udp(from src: (UInt32, UInt16), to dst: (UInt32, UInt16), payload: [UInt8]) {
        let udp = be16(src.1) + be16(dst.1) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
        frame(ethernet(ipv4(protocol: 17, src: src.0, dst: dst.0, body: udp)))
    }

    func ethernet(_ body: [UInt8]) -> [UInt8] {
        [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00] + body
    }

    func ipv4(protocol proto: UInt8, src: UInt32, dst: UInt32, body: [UInt8]) -> [UInt8] {
        [0x45, 0] + be16(UInt16(20 + body.count)) + [0, 1, 0x40, 0, 64, proto, 0, 0] + be32(src) + be32(dst) + body
    }

    func write(to url: URL) throws { try data.write(to: url) }

    private mutating func append32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    private mutating func append16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
}

func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

/// A temporary file path that is removed when the test's scope ends.
struct TemporaryFile: ~Copyable {
    let url: URL
    init(_ name: String = "capture.pcap") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("converge-\(UUID().uuidString)-\(name)")
    }
    var path: String { url.path }
    deinit { try? FileManager.default.removeItem(at: url) }
}
