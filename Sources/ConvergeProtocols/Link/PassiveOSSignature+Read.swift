import ConvergeModel

extension PassiveOSSignature {
    /// TCP options longer than this cannot fit in a TCP header (60 bytes less the fixed 20).
    static let maxOptionBytes = 40

    /// Reads the signature of a TCP SYN or SYN+ACK that `PacketDecoder` decoded from `frame`; nil for
    /// any other packet (no SYN, SYN with RST or FIN, a fragment, headers cut short).
    ///
    /// Every byte is read through a bounds check against the frame; the option walk moves forward at
    /// least one byte a step and stops at the header's end, so bad lengths cannot loop or overrun.
    public static func read(_ frame: Span<UInt8>, packet: borrowing DecodedPacket) -> PassiveOSSignature? {
        guard packet.transport == .tcp, !packet.isFragment else { return nil }
        let flags = packet.tcpFlags
        guard flags & DecodedPacket.syn != 0, flags & (DecodedPacket.rst | DecodedPacket.fin) == 0 else { return nil }
        let network = packet.networkOffset
        let tcp = packet.transportOffset
        let count = frame.count
        guard network >= 0, tcp >= network, tcp <= count, count &- tcp >= 20 else { return nil }

        var sig = PassiveOSSignature()
        sig.isSynAck = flags & DecodedPacket.ack != 0
        switch packet.network {
        case .ipv4:
            guard readIPv4(frame, at: network, into: &sig) else { return nil }
        case .ipv6:
            guard readIPv6(frame, at: network, into: &sig) else { return nil }
        default:
            return nil
        }
        sig.ttl = packet.hopLimit
        sig.initialTTL = initialTTL(for: sig.ttl)
        sig.distance = sig.initialTTL &- sig.ttl
        sig.window = packet.window
        sig.payloadLength = max(0, packet.payloadLength)
        readTCPFlags(frame, at: tcp, packet: packet, into: &sig)

        // Options run from byte 20 to the data offset; a header cut by the capture is read as far as
        // it goes and flagged.
        let headerLength = Int(frame[tcp &+ 12] >> 4) &* 4
        var optionsEnd = tcp &+ min(max(headerLength, 20), 20 &+ maxOptionBytes)
        if optionsEnd > count {
            optionsEnd = count
            sig.quirks.insert(.badOptions)
        }
        sig.headerBytes = UInt16(clamping: tcp &- network &+ max(headerLength, 20))
        readOptions(frame, from: tcp &+ 20, to: optionsEnd, into: &sig)
        return sig
    }

    static func readIPv4(_ f: Span<UInt8>, at start: Int, into sig: inout PassiveOSSignature) -> Bool {
        guard f.count &- start >= 20 else { return false }
        sig.ipVersion = 4
        let headerLength = Int(f[start] & 0x0F) &* 4
        sig.ipOptionsLength = UInt8(clamping: max(0, headerLength &- 20))
        if f[start &+ 1] & 0x03 != 0 { sig.quirks.insert(.ecn) }
        let id = UInt16(f[start &+ 4]) << 8 | UInt16(f[start &+ 5])
        let flags = f[start &+ 6]
        sig.dontFragment = flags & 0x40 != 0
        sig.ipIDZero = id == 0
        if sig.dontFragment {
            sig.quirks.insert(.dontFragment)
            if id != 0 { sig.quirks.insert(.idNonZeroWithDF) }
        } else if id == 0 {
            sig.quirks.insert(.idZeroWithoutDF)
        }
        if flags & 0x80 != 0 { sig.quirks.insert(.mustBeZeroSet) }
        return true
    }

    static func readIPv6(_ f: Span<UInt8>, at start: Int, into sig: inout PassiveOSSignature) -> Bool {
        guard f.count &- start >= 40 else { return false }
        sig.ipVersion = 6
        let trafficClass = (f[start] & 0x0F) << 4 | f[start &+ 1] >> 4
        if trafficClass & 0x03 != 0 { sig.quirks.insert(.ecn) }
        if f[start &+ 1] & 0x0F != 0 || f[start &+ 2] != 0 || f[start &+ 3] != 0 { sig.quirks.insert(.flowLabel) }
        return true
    }

    /// Flag and number quirks of the fixed TCP header (the caller checked its 20 bytes are there).
    static func readTCPFlags(
        _ f: Span<UInt8>, at tcp: Int, packet: borrowing DecodedPacket, into sig: inout PassiveOSSignature
    ) {
        let flags = packet.tcpFlags
        if flags & 0xC0 != 0, !sig.isSynAck || flags & 0x40 != 0 { sig.quirks.insert(.ecn) }
        if packet.sequence == 0 { sig.quirks.insert(.sequenceZero) }
        if flags & DecodedPacket.ack != 0 {
            if packet.acknowledgment == 0 { sig.quirks.insert(.ackFlagWithZeroNumber) }
        } else if packet.acknowledgment != 0 {
            sig.quirks.insert(.ackNumberWithoutFlag)
        }
        let urgentPointer = UInt16(f[tcp &+ 18]) << 8 | UInt16(f[tcp &+ 19])
        if flags & 0x20 != 0 {
            sig.quirks.insert(.urgentFlag)
        } else if urgentPointer != 0 {
            sig.quirks.insert(.urgentPointerWithoutFlag)
        }
        if flags & DecodedPacket.psh != 0 { sig.quirks.insert(.pushFlag) }
    }

    /// Walks the TCP option list (RFC 9293 §3.1: EOL and NOP are one byte, every other option carries
    /// a length counting kind and length bytes). A length below 2 or past the end, or a known option
    /// with the wrong fixed length, is `bad` and ends the walk.
    static func readOptions(_ f: Span<UInt8>, from start: Int, to end: Int, into sig: inout PassiveOSSignature) {
        var offset = start
        while offset < end {
            let kind = f[offset]
            sig.options.append(kind)
            if kind == OptionLayout.eol {
                let padding = end &- offset &- 1
                sig.eolPadding = UInt8(clamping: padding)
                var scan = offset &+ 1
                while scan < end {
                    if f[scan] != 0 {
                        sig.quirks.insert(.dataAfterEOL)
                        break
                    }
                    scan &+= 1
                }
                return
            }
            if kind == OptionLayout.nop {
                offset &+= 1
                continue
            }
            guard end &- offset >= 2 else { return markBad(&sig) }
            let length = Int(f[offset &+ 1])
            guard length >= 2, length <= end &- offset else { return markBad(&sig) }
            let body = offset &+ 2
            switch kind {
            case OptionLayout.mss:
                guard length == 4 else { return markBad(&sig) }
                sig.mss = UInt16(f[body]) << 8 | UInt16(f[body &+ 1])
            case OptionLayout.windowScale:
                guard length == 3 else { return markBad(&sig) }
                let shift = f[body]
                sig.windowScale = shift
                if shift > 14 { sig.quirks.insert(.excessiveWindowScale) }
            case OptionLayout.sackPermitted:
                guard length == 2 else { return markBad(&sig) }
                sig.sackPermitted = true
            case OptionLayout.timestamp:
                guard length == 10 else { return markBad(&sig) }
                sig.timestampPresent = true
                let own = loadU32(f, body)
                let peer = loadU32(f, body &+ 4)
                sig.timestampZero = own == 0
                if own == 0 { sig.quirks.insert(.ownTimestampZero) }
                if peer != 0, !sig.isSynAck { sig.quirks.insert(.peerTimestampOnSyn) }
            default:
                break
            }
            offset &+= length
        }
    }

    static func markBad(_ sig: inout PassiveOSSignature) {
        sig.quirks.insert(.badOptions)
    }

    /// Four bytes big-endian; the caller checked they lie inside the option.
    @inline(__always) static func loadU32(_ f: Span<UInt8>, _ i: Int) -> UInt32 {
        UInt32(f[i]) << 24 | UInt32(f[i &+ 1]) << 16 | UInt32(f[i &+ 2]) << 8 | UInt32(f[i &+ 3])
    }
}
