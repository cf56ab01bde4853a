import ConvergeModel

extension OPCUA {
    /// How far `resynchronize` looks for a header, so a stream of garbage costs a bounded scan.
    public static let resyncWindow = 64 << 10

    /// After a gap or broken framing: the offset of the first plausible header within
    /// `resyncWindow` bytes, or nil. A candidate whose whole chunk is in `bytes` must be followed
    /// by another plausible header (or the end of the bytes), so the letters "MSGF" inside a
    /// string are rarely taken for framing.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        let limit = min(bytes.count, resyncWindow)
        var offset = 0
        while offset < limit {
            defer { offset &+= 1 }
            let candidate = bytes.extracting(offset..<bytes.count)
            let (found, needMore, _) = header(candidate)
            guard let header = found else {
                if needMore { return offset }
                continue
            }
            guard header.size < candidate.count else { return offset }
            if probe(candidate.extracting(header.size..<candidate.count), direction: direction) != .reject {
                return offset
            }
        }
        return nil
    }
}
