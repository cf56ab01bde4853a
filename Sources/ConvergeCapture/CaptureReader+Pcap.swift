import ConvergeModel

extension CaptureReader {
    /// Reads the next classic pcap record: ts_sec, ts_usec|ts_nsec, caplen, len, then caplen bytes.
    @inline(__always)
    func nextPcapPacket() -> Bool {
        let offset = nextOffset
        let headerLength = pcapRecordHeaderLength
        guard window.request(offset, headerLength) else { return endOrTruncated(at: offset, needs: headerLength) }
        let capturedLength = Int(clamping: window.u32(offset &+ 8, bigEndian: bigEndian))
        guard capturedLength <= CaptureLimits.maxPacketLength else {
            return fail("caplen \(capturedLength) exceeds the maximum of \(CaptureLimits.maxPacketLength)", at: offset)
        }
        guard pcapSnaplen == 0 || capturedLength <= pcapSnaplen else {
            return fail("caplen \(capturedLength) larger than snaplen \(pcapSnaplen)", at: offset)
        }
        let recordLength = headerLength &+ capturedLength
        guard window.request(offset, recordLength) else { return truncated(at: offset, needs: recordLength) }
        let seconds = Int64(window.u32(offset, bigEndian: bigEndian))
        let fraction = Int64(window.u32(offset &+ 4, bigEndian: bigEndian))
        let nanoseconds = seconds &* 1_000_000_000 &+ (pcapNanoseconds ? fraction : fraction &* 1000)
        packets &+= 1
        header.timestamp = Timestamp(nanoseconds: nanoseconds)
        header.linkType = pcapLinkType
        header.capturedLength = capturedLength
        header.originalLength = Int(clamping: window.u32(offset &+ 12, bigEndian: bigEndian))
        header.record = packets
        header.offset = offset
        header.interfaceID = 0
        dataOffset = offset &+ headerLength
        nextOffset = offset &+ recordLength
        return true
    }
}
