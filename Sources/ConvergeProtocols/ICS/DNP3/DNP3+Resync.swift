import ConvergeModel

extension DNP3 {
    /// How far `resynchronize` looks for a frame start: a few maximal frames, so garbage costs
    /// a bounded scan per call.
    public static let resyncWindow = 4 * Link.maxFrameLength

    /// After a gap or broken framing: the offset of the first 0x0564 whose header CRC matches
    /// (a chance 0x0564 in data almost never has one), or of a trailing partial header that may
    /// become one; nil if none within `resyncWindow`.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        let limit = min(bytes.count, resyncWindow)
        var offset = 0
        while offset < limit {
            defer { offset &+= 1 }
            guard bytes[offset] == Link.start0 else { continue }
            let candidate = bytes.extracting(offset..<bytes.count)
            switch probe(candidate, direction: direction) {
            case .match: return offset
            case .needMore: return offset
            case .reject: continue
            }
        }
        return nil
    }
}
