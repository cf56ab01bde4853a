/// Byte-commented DHCPv4 messages for the DHCP tests.
enum DHCPFixtures {
    /// The BOOTP header: op, Ethernet, xid 0x3903F326, the four addresses, chaddr 00:0b:82:01:fc:42,
    /// then zeroed sname and file (236 bytes), then the magic cookie.
    static func header(op: UInt8, ciaddr: [UInt8] = [0, 0, 0, 0], yiaddr: [UInt8] = [0, 0, 0, 0]) -> [UInt8] {
        var bytes: [UInt8] = [
            op, 0x01, 0x06, 0x00,  // op, htype Ethernet, hlen 6, hops
            0x39, 0x03, 0xf3, 0x26,  // xid
            0x00, 0x00, 0x00, 0x00,  // secs, flags
        ]
        bytes += ciaddr + yiaddr  // ciaddr, yiaddr
        bytes += [0, 0, 0, 0, 0, 0, 0, 0]  // siaddr, giaddr
        bytes += [0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42] + [UInt8](repeating: 0, count: 10)  // chaddr
        bytes += [UInt8](repeating: 0, count: 64 + 128)  // sname, file
        bytes += [0x63, 0x82, 0x53, 0x63]  // magic cookie
        return bytes
    }

    /// A REQUEST for 192.168.0.10 from "plc-gw" with a vendor class and a parameter request list.
    static let request: [UInt8] =
        header(op: 1) + [
            53, 1, 3,  // message type REQUEST
            61, 7, 0x01, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42,  // client id: Ethernet + MAC
            50, 4, 192, 168, 0, 10,  // requested address
            12, 6, 0x70, 0x6c, 0x63, 0x2d, 0x67, 0x77,  // host name "plc-gw"
            60, 8, 0x4d, 0x53, 0x46, 0x54, 0x20, 0x35, 0x2e, 0x30,  // vendor class "MSFT 5.0"
            81, 14, 0x04, 0x00, 0x00,  // FQDN: E flag (wire form), rcodes
            0x06, 0x70, 0x6c, 0x63, 0x2d, 0x67, 0x77, 0x03, 0x6c, 0x61, 0x6e, 0x00,  // plc-gw.lan
            55, 4, 1, 3, 6, 15,  // parameter request list
            255,  // end
        ]

    /// The server's ACK leasing 192.168.0.10 for an hour, naming itself, a router and two DNS servers.
    static let ack: [UInt8] =
        header(op: 2, yiaddr: [192, 168, 0, 10]) + [
            53, 1, 5,  // message type ACK
            54, 4, 192, 168, 0, 1,  // server identifier
            51, 4, 0x00, 0x00, 0x0e, 0x10,  // lease time 3600 s
            1, 4, 255, 255, 255, 0,  // subnet mask
            3, 4, 192, 168, 0, 254,  // router
            6, 8, 192, 168, 0, 1, 8, 8, 8, 8,  // DNS servers
            15, 4, 0x63, 0x6f, 0x72, 0x70,  // domain "corp"
            255, 0, 0, 0,  // end, padding
        ]

    /// A DISCOVER whose message type and host name sit in the `file` field (option 52 = 1).
    static let overloaded: [UInt8] = {
        var bytes = header(op: 1)
        let file = 108
        let inFile: [UInt8] = [53, 1, 1, 12, 3, 0x61, 0x62, 0x63, 255]  // DISCOVER, host name "abc", end
        for (index, byte) in inFile.enumerated() { bytes[file + index] = byte }
        return bytes + [52, 1, 1, 255]  // overload: file, end
    }()

    static let all: [[UInt8]] = [request, ack, overloaded]
}
