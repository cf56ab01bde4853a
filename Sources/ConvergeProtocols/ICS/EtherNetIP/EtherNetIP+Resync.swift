import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// How far `resynchronize` looks for a header, so garbage costs a bounded scan per call.
    public static let resyncWindow = 4_096

    /// After a gap or broken framing: the offset of the first plausible header within
    /// `resyncWindow` bytes, or nil. A candidate must probe as a match and, when its whole
    /// message and the next header are in `bytes`, be followed by another plausible header.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        let limit = min(bytes.count, resyncWindow)
        var offset = 0
        while offset < limit {
            defer { offset &+= 1 }
            let candidate = bytes.extracting(offset..<bytes.count)
            guard probe(candidate, direction: direction) == .match, let length = le16(candidate, 2) else { continue }
            let next = headerLength &+ Int(length)
            guard next < candidate.count else { return offset }
            if probe(candidate.extracting(next..<candidate.count), direction: direction) != .reject {
                return offset
            }
        }
        return nil
    }
}
