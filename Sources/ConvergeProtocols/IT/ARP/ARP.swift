import ConvergeModel
import ConvergeWire

/// ARP (RFC 826) for IPv4 over Ethernet: who-has / is-at, gratuitous announcements and probes
/// (RFC 5227), and the IP ↔ MAC bindings they reveal, with their changes (a binding that moves to
/// another MAC is how ARP spoofing looks on the wire).
///
/// The function code is the ARP operation (`arp.opcode`: 1 request, 2 reply, 3/4 RARP, 8/9
/// InARP). Frames for other hardware or protocol types are counted but bind nothing.
public enum ARP {
    public static let name = "arp"

    /// One ARP frame's fields, read from the bytes the decoder handed on (the ARP header onward).
    public struct Frame: ParsedMessage, Equatable {
        public var operation: UInt16 = 0
        public var hardwareType: UInt16 = 0
        public var protocolType: UInt16 = 0
        /// 48-bit sender/target hardware addresses; 0 unless the hardware length is 6.
        public var senderMAC: UInt64 = 0
        public var targetMAC: UInt64 = 0
        /// IPv4 sender/target addresses; 0 unless protocol type 0x0800 with length 4.
        public var senderIP: UInt32 = 0
        public var targetIP: UInt32 = 0
        public var isIPv4OverEthernet = false

        public var functionCode: Int { Int(operation) }
        public var hasFunction: Bool { true }

        /// A request or reply in which the sender announces its own address to everyone (RFC 5227
        /// ARP announcement, or a gratuitous reply).
        public var isGratuitous: Bool {
            isIPv4OverEthernet && senderIP != 0 && senderIP == targetIP
        }
        /// An address probe (RFC 5227): "does anyone use this address?", sent from 0.0.0.0.
        public var isProbe: Bool { isIPv4OverEthernet && operation == 1 && senderIP == 0 && targetIP != 0 }
    }

    /// Reads an ARP header and its addresses; `malformed` when the lengths run past the bytes.
    public static func parse(_ bytes: Span<UInt8>) throws(DissectError) -> Frame {
        guard bytes.count >= 8 else { throw .malformed("ARP header truncated (\(bytes.count) of 8 bytes)") }
        var frame = Frame()
        frame.hardwareType = PacketDecoder.u16(bytes, 0)
        frame.protocolType = PacketDecoder.u16(bytes, 2)
        let hardwareLength = Int(bytes[4])
        let protocolLength = Int(bytes[5])
        frame.operation = PacketDecoder.u16(bytes, 6)
        let length = 8 &+ 2 &* (hardwareLength &+ protocolLength)
        guard bytes.count >= length else {
            throw .malformed("ARP addresses truncated (\(bytes.count) of \(length) bytes)")
        }
        guard hardwareLength == 6, protocolLength == 4, frame.protocolType == 0x0800 else { return frame }
        frame.isIPv4OverEthernet = true
        frame.senderMAC = PacketDecoder.mac(bytes, 8)
        frame.senderIP = bytes.loadUInt32BE(at: 14)
        frame.targetMAC = PacketDecoder.mac(bytes, 18)
        frame.targetIP = bytes.loadUInt32BE(at: 24)
        return frame
    }

    public static func functionName(_ operation: UInt16) -> String {
        switch operation {
        case 1: "request"
        case 2: "reply"
        case 3: "rarp_request"
        case 4: "rarp_reply"
        case 8: "inarp_request"
        case 9: "inarp_reply"
        case 10: "arp_nak"
        default: "operation_\(operation)"
        }
    }
}
