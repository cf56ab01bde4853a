import ConvergeModel

extension PacketDecoder {
    /// ARP (RFC 826): hardware type 2, protocol type 2, hardware length 1, protocol length 1,
    /// operation 2, then sender and target hardware and protocol addresses.
    static func arp(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        p.network = .arp
        p.networkOffset = start
        guard end &- start >= 8 else { return .truncatedARP }
        let protocolType = u16(f, start &+ 2)
        let hardwareLength = Int(f[start &+ 4])
        let protocolLength = Int(f[start &+ 5])
        p.arpOperation = u16(f, start &+ 6)
        // Both lengths are one byte, so this cannot overflow.
        let length = 8 &+ 2 &* (hardwareLength &+ protocolLength)
        guard end &- start >= length else { return .truncatedARP }
        p.payloadOffset = start
        p.payloadLength = length
        let senderHardware = start &+ 8
        if hardwareLength == 6 { p.arpSenderMAC = mac(f, senderHardware) }
        if protocolType == 0x0800, protocolLength == 4 {
            p.source = ipv4Address(f, senderHardware &+ hardwareLength)
            p.destination = ipv4Address(f, senderHardware &+ 2 &* hardwareLength &+ 4)
        }
        return nil
    }
}
