import ConvergeModel

/// IPv4 and IPv6 headers, IPv6 extension header chains and IPv4 AH.
extension PacketDecoder {
    /// Which headers may appear between the IP header and the transport header.
    enum Chain {
        /// IPv4: only AH.
        case ipv4
        /// IPv6 straight after its fixed header: hop-by-hop first, a fragment header allowed.
        case ipv6
        /// The fragmentable part of a reassembled IPv6 datagram: no (second) fragment header.
        case reassembledIPv6
    }

    static func ipv4(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        p.etherType = 0x0800
        guard end &- start >= 20 else { return .truncatedIP }
        let versionAndLength = f[start]
        guard versionAndLength >> 4 == 4 else { return .badIPVersion }
        p.network = .ipv4
        p.networkOffset = start
        p.hopLimit = f[start &+ 8]
        p.ipProtocol = f[start &+ 9]
        p.source = ipv4Address(f, start &+ 12)
        p.destination = ipv4Address(f, start &+ 16)
        let headerLength = Int(versionAndLength & 0x0F) &* 4
        guard headerLength >= 20 else { return .badIPHeaderLength }
        guard end &- start >= headerLength else { return .truncatedIP }
        if headerLength > 20 {
            p.anomalies.insert(.ipOptions)
            if !ipv4OptionsAreWellFormed(f, from: start &+ 20, to: start &+ headerLength) {
                p.anomalies.insert(.badIPOptions)
            }
        }

        // Wireshark's rules: a total length of 0 is TCP segmentation offload (use what was
        // captured), below the header is bogus, above the capture is a snaplen cut; below the
        // capture leaves Ethernet padding or a trailer, which is ignored.
        let totalLength = Int(u16(f, start &+ 2))
        var ipEnd = end
        if totalLength == 0 {
            p.anomalies.insert(.ipLengthZero)
        } else if totalLength < headerLength {
            return .badIPTotalLength
        } else if totalLength > end &- start {
            p.anomalies.insert(.ipLengthExceedsCapture)
        } else {
            ipEnd = start &+ totalLength
        }

        let payloadStart = start &+ headerLength
        let fragmentField = u16(f, start &+ 6)
        if fragmentField & 0x3FFF != 0 {  // MF set or a non-zero offset
            p.isFragment = true
            p.fragmentID = UInt32(u16(f, start &+ 4))
            p.fragmentOffset = Int(fragmentField & 0x1FFF) &* 8
            p.moreFragments = fragmentField & 0x2000 != 0
            p.transportOffset = payloadStart
            p.payloadOffset = payloadStart
            p.payloadLength = ipEnd &- payloadStart
            return nil
        }
        return upperLayer(f, at: payloadStart, end: ipEnd, protocol: p.ipProtocol, chain: .ipv4, into: &p)
    }

    /// Walks the option list (RFC 791: EOL and NOP are one byte, every other option has a length
    /// byte counting itself and the type) only to see that it tiles the header; contents are ignored.
    static func ipv4OptionsAreWellFormed(_ f: Span<UInt8>, from start: Int, to end: Int) -> Bool {
        var offset = start
        while offset < end {
            let type = f[offset]
            if type == 0 { return true }  // end of option list: the rest is padding
            if type == 1 {
                offset &+= 1
                continue
            }
            guard end &- offset >= 2 else { return false }
            let length = Int(f[offset &+ 1])
            guard length >= 2, length <= end &- offset else { return false }
            offset &+= length
        }
        return true
    }

    static func ipv6(_ f: Span<UInt8>, at start: Int, end: Int, into p: inout DecodedPacket) -> DecodeIssue? {
        p.etherType = 0x86DD
        guard end &- start >= 40 else { return .truncatedIP }
        guard f[start] >> 4 == 6 else { return .badIPVersion }
        p.network = .ipv6
        p.networkOffset = start
        p.hopLimit = f[start &+ 7]
        p.ipProtocol = f[start &+ 6]
        p.source = ipv6Address(f, start &+ 8)
        p.destination = ipv6Address(f, start &+ 24)
        let payloadLength = Int(u16(f, start &+ 4))
        let available = end &- start &- 40
        var ipEnd = end
        if payloadLength == 0 {
            p.anomalies.insert(.ipLengthZero)  // jumbogram or segmentation offload
        } else if payloadLength > available {
            p.anomalies.insert(.ipLengthExceedsCapture)
        } else {
            ipEnd = start &+ 40 &+ payloadLength
        }
        return upperLayer(f, at: start &+ 40, end: ipEnd, protocol: p.ipProtocol, chain: .ipv6, into: &p)
    }

    /// Walks IPv6 extension headers (and AH for both versions) up to the upper-layer protocol.
    static func upperLayer(
        _ f: Span<UInt8>, at start: Int, end: Int, protocol first: UInt8, chain: Chain, into p: inout DecodedPacket
    ) -> DecodeIssue? {
        var offset = start
        var next = first
        var headers = 0
        let isIPv6 = chain != .ipv4
        while true {
            let headerLength: Int
            if next == 51 {
                // AH (RFC 4302): length in 4-octet units, minus 2.
                guard end &- offset >= 2 else { return .truncatedExtensionHeader }
                headerLength = (Int(f[offset &+ 1]) &+ 2) &* 4
            } else if isIPv6, next == 0 || next == 43 || next == 60 || next == 139 || next == 140 {
                // Hop-by-hop, routing, destination options, HIP, Shim6: length in 8-octet units, minus 1.
                if next == 0, headers != 0 || chain != .ipv6 { p.anomalies.insert(.misplacedHopByHop) }
                guard end &- offset >= 2 else { return .truncatedExtensionHeader }
                headerLength = (Int(f[offset &+ 1]) &+ 1) &* 8
            } else if isIPv6, next == 44 {
                guard chain == .ipv6 else { return .nestedFragment }
                guard end &- offset >= 8 else { return .truncatedExtensionHeader }
                let field = u16(f, offset &+ 2)
                let fragmentOffset = Int(field >> 3) &* 8
                let more = field & 1 != 0
                next = f[offset]
                p.ipProtocol = next
                offset &+= 8
                headers &+= 1
                if fragmentOffset == 0, !more {
                    p.anomalies.insert(.atomicFragment)  // RFC 6946: a whole datagram, decode on
                    guard headers <= maxExtensionHeaders else { return .tooManyExtensionHeaders }
                    continue
                }
                p.isFragment = true
                p.fragmentID = u32(f, offset &- 4)
                p.fragmentOffset = fragmentOffset
                p.moreFragments = more
                p.transportOffset = offset
                p.payloadOffset = offset
                p.payloadLength = end &- offset
                return nil
            } else if isIPv6, next == 59 {
                // No next header: whatever follows is ignored (RFC 8200 §4.7).
                p.transportOffset = offset
                p.payloadOffset = offset
                p.payloadLength = end &- offset
                return nil
            } else {
                return transport(f, at: offset, end: end, protocol: next, into: &p)
            }
            guard end &- offset >= headerLength else { return .truncatedExtensionHeader }
            headers &+= 1
            guard headers <= maxExtensionHeaders else { return .tooManyExtensionHeaders }
            next = f[offset]
            p.ipProtocol = next
            offset &+= headerLength
        }
    }
}
