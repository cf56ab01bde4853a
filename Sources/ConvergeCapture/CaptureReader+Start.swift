import ConvergeWire

extension CaptureReader {
    /// Reads the magic number and the file header; false (with `error`) when the input is not a capture.
    func start() -> Bool {
        guard window.request(0, 4) else {
            finish()
            if let failure = window.failure { return fail(failure, at: 0, record: 0) }
            let count = window.remaining(from: 0)
            if count == 0 { return fail("empty file (0 bytes)", at: 0, record: 0) }
            return fail("not a pcap or pcapng capture (only \(count) bytes)", at: 0, record: 0)
        }
        let magic = window.u32(0, bigEndian: false)
        let started: Bool
        switch magic {
        case 0xa1b2_c3d4: started = startPcap(bigEndian: false, nanoseconds: false, modified: false)
        case 0xd4c3_b2a1: started = startPcap(bigEndian: true, nanoseconds: false, modified: false)
        case 0xa1b2_3c4d: started = startPcap(bigEndian: false, nanoseconds: true, modified: false)
        case 0x4d3c_b2a1: started = startPcap(bigEndian: true, nanoseconds: true, modified: false)
        case 0xa1b2_cd34: started = startPcap(bigEndian: false, nanoseconds: false, modified: true)
        case 0x34cd_b2a1: started = startPcap(bigEndian: true, nanoseconds: false, modified: true)
        case PcapngBlock.sectionHeader:
            format = .pcapng
            started = true  // the section header is read as the first block
        default:
            let bytes = (0..<4).map { hex(window.u8($0)) }.joined(separator: " ")
            started = fail("not a pcap or pcapng capture (magic \(bytes))", at: 0, record: 0)
        }
        if !started { finish() }
        return started
    }

    private func startPcap(bigEndian: Bool, nanoseconds: Bool, modified: Bool) -> Bool {
        let headerLength = 24
        guard window.request(0, headerLength) else {
            if let failure = window.failure { return fail(failure, at: 0, record: 0) }
            let remain = window.remaining(from: 0)
            return fail("truncated file header: needs \(headerLength) bytes, \(remain) remain", at: 0, record: 0)
        }
        format = .pcap
        self.bigEndian = bigEndian
        pcapNanoseconds = nanoseconds
        pcapRecordHeaderLength = modified ? 24 : 16
        pcapSnaplen = Int(clamping: window.u32(16, bigEndian: bigEndian))
        // The upper bits of the link-type field carry FCS information (bits 26-31): keep the type only,
        // as libpcap's LT_LINKTYPE does.
        pcapLinkType = LinkType(rawValue: window.u32(20, bigEndian: bigEndian) & 0x03ff_ffff)
        nextOffset = headerLength
        return true
    }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
}
