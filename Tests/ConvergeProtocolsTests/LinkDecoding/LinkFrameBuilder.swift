/// Builds test frames header by header; each function lays its header out field by field, in wire
/// order, so a reader can check the bytes against the RFC. Checksums are left 0 (the decoder does
/// not verify them).
enum LinkFrameBuilder {
    static let clientMAC: UInt64 = 0x0011_2233_4455
    static let serverMAC: UInt64 = 0x6677_8899_AABB

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { be16(UInt16(v >> 16)) + be16(UInt16(v & 0xFFFF)) }
    static func mac(_ v: UInt64) -> [UInt8] { (0..<6).map { UInt8(v >> (40 - 8 * UInt64($0)) & 0xFF) } }
    static func v4(_ text: String) -> [UInt8] { text.split(separator: ".").map { UInt8($0) ?? 0 } }
    static func v6(_ text: String) -> [UInt8] {
        let bits = linkIP(text).bits
        return (0..<16).map { UInt8(truncatingIfNeeded: bits >> (120 - 8 * UInt128($0))) }
    }

    /// Ethernet II: destination 6, source 6, EtherType 2.
    static func ethernet(
        destination: UInt64 = serverMAC, source: UInt64 = clientMAC, type: UInt16, _ payload: [UInt8]
    ) -> [UInt8] {
        mac(destination) + mac(source) + be16(type) + payload
    }

    /// An 802.1Q/802.1ad tag body after its TPID: PCP/DEI/VID 2, next EtherType 2.
    static func tag(_ id: UInt16, priority: UInt8 = 0, next: UInt16) -> [UInt8] {
        be16(UInt16(priority) << 13 | id) + be16(next)
    }

    /// IPv4 (RFC 791): version/IHL 1, DSCP 1, total length 2, id 2, flags/offset 2, TTL 1,
    /// protocol 1, checksum 2, source 4, destination 4, options, payload.
    static func ipv4(
        source: String = "10.0.0.1", destination: String = "10.0.0.2", protocol: UInt8, id: UInt16 = 0x1234,
        flagsAndOffset: UInt16 = 0x4000, ttl: UInt8 = 64, options: [UInt8] = [], totalLength: Int? = nil,
        ihl: UInt8? = nil, _ payload: [UInt8]
    ) -> [UInt8] {
        let headerWords = ihl ?? UInt8(5 + options.count / 4)
        let total = totalLength ?? (20 + options.count + payload.count)
        return [0x40 | headerWords, 0x00] + be16(UInt16(truncatingIfNeeded: total)) + be16(id)
            + be16(flagsAndOffset) + [ttl, `protocol`] + [0x00, 0x00]
            + v4(source) + v4(destination) + options + payload
    }

    /// IPv6 (RFC 8200): version/class/flow 4, payload length 2, next header 1, hop limit 1,
    /// source 16, destination 16, payload (extension headers included).
    static func ipv6(
        source: String = "2001:db8::1", destination: String = "2001:db8::2", next: UInt8, hopLimit: UInt8 = 64,
        payloadLength: Int? = nil, _ payload: [UInt8]
    ) -> [UInt8] {
        [0x60, 0x00, 0x00, 0x00] + be16(UInt16(truncatingIfNeeded: payloadLength ?? payload.count))
            + [next, hopLimit] + v6(source) + v6(destination) + payload
    }

    /// A generic IPv6 extension header (hop-by-hop, routing, destination options): next 1,
    /// length in 8-octet units minus 1, then the body padded to a multiple of 8.
    static func extensionHeader(next: UInt8, body: [UInt8] = [0x01, 0x04, 0, 0, 0, 0]) -> [UInt8] {
        let total = (body.count + 2 + 7) / 8 * 8
        return [next, UInt8(total / 8 - 1)] + body + Array(repeating: 0, count: total - 2 - body.count)
    }

    /// IPv6 fragment header: next 1, reserved 1, offset(13 bits)/res(2)/M(1) 2, identification 4.
    static func fragmentHeader(next: UInt8, offset: Int, more: Bool, id: UInt32) -> [UInt8] {
        [next, 0x00] + be16(UInt16(offset / 8) << 3 | (more ? 1 : 0)) + be32(id)
    }

    /// TCP (RFC 9293): ports 2+2, sequence 4, acknowledgment 4, data offset/flags 2, window 2,
    /// checksum 2, urgent 2, options, payload.
    static func tcp(
        sourcePort: UInt16 = 49152, destinationPort: UInt16 = 502, sequence: UInt32 = 1, acknowledgment: UInt32 = 0,
        flags: UInt8 = 0x18, window: UInt16 = 0x7210, options: [UInt8] = [], dataOffset: UInt8? = nil,
        _ payload: [UInt8] = []
    ) -> [UInt8] {
        let words = dataOffset ?? UInt8(5 + options.count / 4)
        return be16(sourcePort) + be16(destinationPort) + be32(sequence) + be32(acknowledgment)
            + [words << 4, flags] + be16(window) + [0, 0, 0, 0] + options + payload
    }

    /// UDP (RFC 768): ports 2+2, length 2, checksum 2, payload.
    static func udp(
        sourcePort: UInt16 = 5353, destinationPort: UInt16 = 53, length: Int? = nil, _ payload: [UInt8] = []
    ) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(UInt16(truncatingIfNeeded: length ?? 8 + payload.count))
            + [0, 0] + payload
    }

    /// ICMP / ICMPv6: type 1, code 1, checksum 2, rest of header 4 (echo: id 2, sequence 2), data.
    static func icmp(type: UInt8, code: UInt8 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        [type, code, 0, 0] + [0x00, 0x01, 0x00, 0x07] + payload
    }

    /// ARP over Ethernet/IPv4: htype 2, ptype 2, hlen 1, plen 1, operation 2, SHA 6, SPA 4, THA 6, TPA 4.
    static func arp(operation: UInt16, sender: String, target: String, senderMAC: UInt64 = clientMAC) -> [UInt8] {
        be16(1) + be16(0x0800) + [6, 4] + be16(operation) + mac(senderMAC) + v4(sender) + mac(0) + v4(target)
    }

    /// GRE (RFC 2784/2890): flags/version 2, protocol 2, [checksum 2 + reserved 2], [key 4], [sequence 4].
    static func gre(protocol: UInt16, checksum: Bool = false, key: UInt32? = nil, sequence: UInt32? = nil,
                    _ payload: [UInt8]) -> [UInt8] {
        var flags: UInt16 = 0
        if checksum { flags |= 0x8000 }
        if key != nil { flags |= 0x2000 }
        if sequence != nil { flags |= 0x1000 }
        var header = be16(flags) + be16(`protocol`)
        if checksum { header += [0, 0, 0, 0] }
        if let key { header += be32(key) }
        if let sequence { header += be32(sequence) }
        return header + payload
    }

    /// VXLAN (RFC 7348): flags 1 (0x08 = VNI valid), reserved 3, VNI 3, reserved 1, inner Ethernet frame.
    static func vxlan(vni: UInt32, flags: UInt8 = 0x08, _ inner: [UInt8]) -> [UInt8] {
        [flags, 0, 0, 0] + Array(be32(vni << 8)) + inner
    }
}
