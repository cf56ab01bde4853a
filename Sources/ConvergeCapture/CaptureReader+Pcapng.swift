import ConvergeModel
import ConvergeWire

extension CaptureReader {
    /// Reads blocks until the next packet: section and interface blocks update the reader, packet
    /// blocks are returned, every other block (name resolution, statistics, secrets, custom,
    /// unknown) is skipped whole after its framing is checked.
    func nextPcapngPacket() -> Bool {
        while true {
            let offset = nextOffset
            guard window.request(offset, 8) else { return endOrTruncated(at: offset, needs: 8) }
            let type = window.u32(offset, bigEndian: bigEndian)
            if type == PcapngBlock.sectionHeader {
                // The type reads the same in both orders; the byte-order magic after the length decides
                // how this section's numbers, the length included, are to be read.
                guard window.request(offset, 12) else { return truncated(at: offset, needs: 12) }
                switch window.u32(offset &+ 8, bigEndian: false) {
                case PcapngBlock.byteOrderMagic: bigEndian = false
                case PcapngBlock.byteOrderMagic.byteSwapped: bigEndian = true
                default: return fail("section header with a bad byte-order magic", at: offset)
                }
            }
            let length = Int(clamping: window.u32(offset &+ 4, bigEndian: bigEndian))
            let minimum = type == PcapngBlock.sectionHeader ? 28 : 12
            guard length >= minimum else {
                return fail("block total length \(length) is too small (minimum \(minimum))", at: offset)
            }
            guard length % 4 == 0 else {
                return fail("block total length \(length) is not a multiple of 4", at: offset)
            }
            guard length <= CaptureLimits.maxBlockLength else {
                let limit = CaptureLimits.maxBlockLength
                return fail("block total length \(length) exceeds the maximum of \(limit)", at: offset)
            }
            guard window.request(offset, length) else { return truncated(at: offset, needs: length) }
            let trailer = Int(clamping: window.u32(offset &+ length &- 4, bigEndian: bigEndian))
            guard trailer == length else {
                return fail("block total length mismatch: \(length) at the start, \(trailer) at the end", at: offset)
            }
            nextOffset = offset &+ length
            let body = offset &+ 8
            let bodyLength = length &- 12
            switch type {
            case PcapngBlock.sectionHeader:
                guard startSection(body: body, at: offset) else { return false }
            case PcapngBlock.interfaceDescription:
                guard addInterface(body: body, bodyLength: bodyLength, at: offset) else { return false }
            case PcapngBlock.enhancedPacket:
                return enhancedPacket(body: body, bodyLength: bodyLength, at: offset)
            case PcapngBlock.simplePacket:
                return simplePacket(body: body, bodyLength: bodyLength, at: offset)
            case PcapngBlock.packet:
                return obsoletePacket(body: body, bodyLength: bodyLength, at: offset)
            default:
                continue
            }
        }
    }

    private func startSection(body: Int, at offset: Int) -> Bool {
        let major = window.u16(body &+ 4, bigEndian: bigEndian)
        let minor = window.u16(body &+ 6, bigEndian: bigEndian)
        guard major == 1 else { return fail("unsupported pcapng version \(major).\(minor)", at: offset) }
        interfaces.removeAll(keepingCapacity: true)
        return true
    }

    private func addInterface(body: Int, bodyLength: Int, at offset: Int) -> Bool {
        guard bodyLength >= 8 else { return fail("interface description block too short", at: offset) }
        guard interfaces.count < CaptureLimits.maxInterfaces else {
            return fail("more than \(CaptureLimits.maxInterfaces) interfaces in one section", at: offset)
        }
        var interface = PcapngInterface(
            linkType: LinkType(rawValue: UInt32(window.u16(body, bigEndian: bigEndian))),
            snaplen: Int(clamping: window.u32(body &+ 4, bigEndian: bigEndian)),
            scale: .microseconds, offset: 0)
        // Options: code, length, value padded to 4 bytes; each step moves at least 4 bytes forward.
        var option = body &+ 8
        let end = body &+ bodyLength
        while end &- option >= 4 {
            let code = window.u16(option, bigEndian: bigEndian)
            let length = Int(window.u16(option &+ 2, bigEndian: bigEndian))
            let value = option &+ 4
            guard code != PcapngBlock.optionEnd, length <= end &- value else { break }
            if code == PcapngBlock.optionTimestampResolution && length >= 1 {
                interface.scale = TimestampScale(tsresol: window.u8(value))
            } else if code == PcapngBlock.optionTimestampOffset && length >= 8 {
                let seconds = Int64(bitPattern: window.u64(value, bigEndian: bigEndian))
                interface.offset = seconds &* 1_000_000_000
            }
            option = value &+ ((length &+ 3) & ~3)
        }
        interfaces.append(interface)
        return true
    }

    /// EPB: interface id, timestamp (high, low), caplen, original length, packet data, options.
    private func enhancedPacket(body: Int, bodyLength: Int, at offset: Int) -> Bool {
        guard bodyLength >= 20 else { return fail("enhanced packet block too short", at: offset) }
        let interfaceID = Int(clamping: window.u32(body, bigEndian: bigEndian))
        return packetFields(
            interfaceID: interfaceID, fields: body &+ 4, data: body &+ 20, room: bodyLength &- 20, at: offset)
    }

    /// Obsolete Packet Block: 16-bit interface id, 16-bit drop count, then as an EPB.
    private func obsoletePacket(body: Int, bodyLength: Int, at offset: Int) -> Bool {
        guard bodyLength >= 20 else { return fail("packet block too short", at: offset) }
        let interfaceID = Int(window.u16(body, bigEndian: bigEndian))
        return packetFields(
            interfaceID: interfaceID, fields: body &+ 4, data: body &+ 20, room: bodyLength &- 20, at: offset)
    }

    /// The fields EPB and PB share: timestamp high and low words, caplen, original length.
    private func packetFields(interfaceID: Int, fields: Int, data: Int, room: Int, at offset: Int) -> Bool {
        guard interfaceID < interfaces.count else {
            return fail("packet for undefined interface \(interfaceID) (\(interfaces.count) defined)", at: offset)
        }
        let interface = interfaces[interfaceID]
        let capturedLength = Int(clamping: window.u32(fields &+ 8, bigEndian: bigEndian))
        guard capturedLength <= CaptureLimits.maxPacketLength else {
            return fail("caplen \(capturedLength) exceeds the maximum of \(CaptureLimits.maxPacketLength)", at: offset)
        }
        guard capturedLength <= room else {
            return fail("caplen \(capturedLength) larger than the block's \(room) bytes of packet data", at: offset)
        }
        guard interface.snaplen == 0 || capturedLength <= interface.snaplen else {
            return fail("caplen \(capturedLength) larger than snaplen \(interface.snaplen)", at: offset)
        }
        let high = UInt64(window.u32(fields, bigEndian: bigEndian))
        let low = UInt64(window.u32(fields &+ 4, bigEndian: bigEndian))
        let nanoseconds = interface.scale.nanoseconds(high << 32 | low) &+ interface.offset
        setPacket(
            timestamp: Timestamp(nanoseconds: nanoseconds), interface: interface, interfaceID: interfaceID,
            capturedLength: capturedLength,
            originalLength: Int(clamping: window.u32(fields &+ 12, bigEndian: bigEndian)),
            data: data, at: offset)
        return true
    }

    /// SPB: original length, then the packet, for interface 0; captured length is what the block
    /// holds, bounded by the original length and the interface's snaplen.
    private func simplePacket(body: Int, bodyLength: Int, at offset: Int) -> Bool {
        guard let interface = interfaces.first else {
            return fail("simple packet block before any interface description", at: offset)
        }
        guard bodyLength >= 4 else { return fail("simple packet block too short", at: offset) }
        let originalLength = Int(clamping: window.u32(body, bigEndian: bigEndian))
        var capturedLength = min(originalLength, bodyLength &- 4)
        if interface.snaplen > 0 { capturedLength = min(capturedLength, interface.snaplen) }
        guard capturedLength <= CaptureLimits.maxPacketLength else {
            return fail("caplen \(capturedLength) exceeds the maximum of \(CaptureLimits.maxPacketLength)", at: offset)
        }
        setPacket(
            timestamp: lastTimestamp, interface: interface, interfaceID: 0, capturedLength: capturedLength,
            originalLength: originalLength, data: body &+ 4, at: offset)
        return true
    }

    @inline(__always)
    private func setPacket(
        timestamp: Timestamp, interface: PcapngInterface, interfaceID: Int, capturedLength: Int,
        originalLength: Int, data: Int, at offset: Int
    ) {
        packets &+= 1
        lastTimestamp = timestamp
        header.timestamp = timestamp
        header.linkType = interface.linkType
        header.capturedLength = capturedLength
        header.originalLength = originalLength
        header.record = packets
        header.offset = offset
        header.interfaceID = interfaceID
        dataOffset = data
    }
}
