/// Builds capture bytes in either byte order, for fixtures the tests cannot spell out byte by byte
/// (every variant in both orders). The canonical fixtures are literal, byte-commented arrays.
struct FixtureBytes {
    var bytes: [UInt8] = []
    let bigEndian: Bool

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { put(UInt64(value), 2) }
    mutating func u32(_ value: UInt32) { put(UInt64(value), 4) }
    mutating func u64(_ value: UInt64) { put(value, 8) }
    mutating func raw(_ value: [UInt8]) { bytes += value }
    mutating func padTo4() { while bytes.count % 4 != 0 { bytes.append(0) } }

    private mutating func put(_ value: UInt64, _ width: Int) {
        for index in 0..<width {
            let shift = bigEndian ? (width - 1 - index) * 8 : index * 8
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}

/// One record for `pcapFile`.
struct PcapRecord {
    var seconds: UInt32
    var fraction: UInt32
    var data: [UInt8]
    var originalLength: UInt32? = nil
    var capturedLength: UInt32? = nil  // overrides data.count in the header (for bad-input tests)
}

enum Fixtures {
    static func pcapFile(
        bigEndian: Bool = false, nanoseconds: Bool = false, modified: Bool = false,
        linkType: UInt32 = 1, snaplen: UInt32 = 65535, records: [PcapRecord]
    ) -> [UInt8] {
        var out = FixtureBytes(bigEndian: bigEndian)
        out.u32(modified ? 0xa1b2_cd34 : nanoseconds ? 0xa1b2_3c4d : 0xa1b2_c3d4)
        out.u16(2)  // version 2.4
        out.u16(4)
        out.u32(0)  // thiszone
        out.u32(0)  // sigfigs
        out.u32(snaplen)
        out.u32(linkType)
        for record in records {
            out.u32(record.seconds)
            out.u32(record.fraction)
            out.u32(record.capturedLength ?? UInt32(record.data.count))
            out.u32(record.originalLength ?? UInt32(record.data.count))
            if modified {
                out.u32(7)  // ifindex
                out.u16(0x0800)  // protocol
                out.u8(0)  // packet type
                out.u8(0)  // padding
            }
            out.raw(record.data)
        }
        return out.bytes
    }

    // MARK: pcapng blocks

    /// Any block: type, total length, body padded to 4, total length again.
    static func block(_ type: UInt32, _ body: [UInt8], bigEndian: Bool, lengthOverride: UInt32? = nil) -> [UInt8] {
        var padded = body
        while padded.count % 4 != 0 { padded.append(0) }
        let length = UInt32(12 + padded.count)
        var out = FixtureBytes(bigEndian: bigEndian)
        out.u32(type)
        out.u32(lengthOverride ?? length)
        out.raw(padded)
        out.u32(length)
        return out.bytes
    }

    static func sectionHeader(bigEndian: Bool, major: UInt16 = 1) -> [UInt8] {
        var body = FixtureBytes(bigEndian: bigEndian)
        body.u32(0x1a2b_3c4d)  // byte-order magic
        body.u16(major)  // version 1.0
        body.u16(0)
        body.u64(UInt64.max)  // section length unknown (-1)
        return block(0x0a0d_0d0a, body.bytes, bigEndian: bigEndian)
    }

    static func interface(
        bigEndian: Bool, linkType: UInt16 = 1, snaplen: UInt32 = 0, tsresol: UInt8? = nil, tsoffset: Int64? = nil
    ) -> [UInt8] {
        var body = FixtureBytes(bigEndian: bigEndian)
        body.u16(linkType)
        body.u16(0)  // reserved
        body.u32(snaplen)
        body.u16(2)  // if_name "e0", an option the reader skips
        body.u16(2)
        body.raw(Array("e0".utf8))
        body.padTo4()
        if let tsresol {
            body.u16(9)  // if_tsresol
            body.u16(1)
            body.u8(tsresol)
            body.padTo4()
        }
        if let tsoffset {
            body.u16(14)  // if_tsoffset
            body.u16(8)
            body.u64(UInt64(bitPattern: tsoffset))
        }
        body.u16(0)  // opt_endofopt
        body.u16(0)
        return block(1, body.bytes, bigEndian: bigEndian)
    }

    static func enhancedPacket(
        bigEndian: Bool, interface: UInt32 = 0, ticks: UInt64, data: [UInt8], originalLength: UInt32? = nil,
        capturedLength: UInt32? = nil
    ) -> [UInt8] {
        var body = FixtureBytes(bigEndian: bigEndian)
        body.u32(interface)
        body.u32(UInt32(truncatingIfNeeded: ticks >> 32))
        body.u32(UInt32(truncatingIfNeeded: ticks))
        body.u32(capturedLength ?? UInt32(data.count))
        body.u32(originalLength ?? UInt32(data.count))
        body.raw(data)
        body.padTo4()
        body.u16(1)  // opt_comment "hi"
        body.u16(2)
        body.raw(Array("hi".utf8))
        body.padTo4()
        body.u32(0)  // opt_endofopt
        return block(6, body.bytes, bigEndian: bigEndian)
    }

    static func simplePacket(bigEndian: Bool, originalLength: UInt32, data: [UInt8]) -> [UInt8] {
        var body = FixtureBytes(bigEndian: bigEndian)
        body.u32(originalLength)
        body.raw(data)
        return block(3, body.bytes, bigEndian: bigEndian)
    }

    static func obsoletePacket(bigEndian: Bool, interface: UInt16, ticks: UInt64, data: [UInt8]) -> [UInt8] {
        var body = FixtureBytes(bigEndian: bigEndian)
        body.u16(interface)
        body.u16(3)  // drops count
        body.u32(UInt32(truncatingIfNeeded: ticks >> 32))
        body.u32(UInt32(truncatingIfNeeded: ticks))
        body.u32(UInt32(data.count))
        body.u32(UInt32(data.count))
        body.raw(data)
        return block(2, body.bytes, bigEndian: bigEndian)
    }
}

