import ConvergeModel

extension ModbusTCP {
    /// How far `resynchronize` looks for a header: a few ADUs' worth, so a stream of garbage
    /// costs a bounded scan per call.
    public static let resyncWindow = 4 * (6 + maxLengthField)

    /// After a gap or malformed framing: the offset of the first plausible ADU header within
    /// `resyncWindow` bytes, or nil if none. A candidate must probe as a match and, when its whole
    /// ADU and the next header are in `bytes`, be followed by another plausible header, so a
    /// chance "00 00" inside register data is rarely taken for framing.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        let limit = min(bytes.count, resyncWindow)
        var offset = 0
        while offset < limit {
            defer { offset &+= 1 }
            let candidate = bytes.extracting(offset..<bytes.count)
            guard probe(candidate, direction: direction) == .match,
                let length = candidate.uint16BE(at: 4)
            else { continue }
            let next = 6 &+ Int(length)
            guard next < candidate.count else { return offset }
            if probe(candidate.extracting(next..<candidate.count), direction: direction) != .reject {
                return offset
            }
        }
        return nil
    }
}
