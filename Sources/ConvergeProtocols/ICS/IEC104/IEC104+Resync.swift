import ConvergeModel

extension IEC104 {
    /// How far `resynchronize` looks for a start byte: a few APDUs' worth, so a stream of garbage
    /// costs a bounded scan per call.
    public static let resyncWindow = 4 * (headerLength + 255)

    /// After a gap or broken framing: the offset of the first 0x68 within `resyncWindow` bytes
    /// whose length byte is at least 4 (the APDU may still be incomplete), or nil. Like
    /// Wireshark, the first such byte is taken, so junk before an APDU costs only the junk.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        let limit = min(bytes.count, resyncWindow)
        var offset = 0
        while offset < limit {
            if bytes[offset] == startByte {
                guard let length = bytes.byte(at: offset &+ 1) else { return offset }
                if Int(length) >= minLengthField { return offset }
            }
            offset &+= 1
        }
        return nil
    }
}
