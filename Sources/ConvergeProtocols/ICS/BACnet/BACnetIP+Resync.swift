import ConvergeModel

extension BACnetIP {
    /// Bytes searched for a BVLC header after broken framing.
    public static let resyncWindow = 1500

    /// Every datagram starts a message, so after a rejected or lost datagram the next one is taken
    /// from its first byte when that is a plausible BVLC header. Inside the rest of a datagram
    /// whose framing broke, only a header whose length runs exactly to the end is believed, so
    /// stray 0x81 bytes are not taken for messages.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? {
        let limit = min(bytes.count, resyncWindow)
        var offset = 0
        while offset < limit {
            if bytes.byte(at: offset) == bvlcType, let function = bytes.byte(at: offset &+ 1),
                function <= maxBVLCFunction, let length = bytes.uint16BE(at: offset &+ 2)
            {
                let fits = offset == 0 ? Int(length) >= bvlcHeaderLength : Int(length) == bytes.count &- offset
                if fits { return offset }
            }
            offset &+= 1
        }
        return nil
    }
}
