import ConvergeModel

extension HTTP {
    /// Skips message bodies by their framing, reading only chunk-size lines.
    enum Body {
        /// Hex digits read in a chunk size; more are an invalid chunk (no chunk is 2^60 bytes).
        static let maxChunkSizeDigits = 15

        /// Skips body bytes from `from` as far as `bytes` go or the body ends. `frame` is the head
        /// the body belongs to, nil for a continuation (which must consume something).
        static func skip(
            _ bytes: Span<UInt8>, direction: Direction, lane: inout Lane, from: Int, frame: Frame?
        ) throws(DissectError) -> (message: Frame, consumed: Int) {
            var result = frame ?? Frame(kind: .body, direction: direction)
            var offset = from
            loop: while offset < bytes.count {
                switch lane.body {
                case .none:
                    break loop
                case .untilClose:
                    offset = bytes.count
                case .length:
                    let take = min(Int64(bytes.count &- offset), lane.remaining)
                    offset &+= Int(take)
                    lane.remaining &-= take
                    if lane.remaining <= 0 { lane.body = .none }
                case .chunked:
                    guard let next = chunked(bytes, at: offset, lane: &lane, frame: &result) else { break loop }
                    offset = next
                }
            }
            if frame == nil && offset == 0 { throw .needMore(bytes.count &+ 1) }
            result.bodyBytes = Int32(clamping: offset &- from)
            return (result, offset)
        }

        /// One step of chunked framing at `offset`: the offset after it, or nil when the bytes end
        /// inside a line that must be read whole.
        static func chunked(_ bytes: Span<UInt8>, at offset: Int, lane: inout Lane, frame: inout Frame) -> Int? {
            switch lane.chunk {
            case .data:
                let take = min(Int64(bytes.count &- offset), lane.remaining)
                lane.remaining &-= take
                if lane.remaining <= 0 { lane.chunk = .dataEnd }
                return offset &+ Int(take)
            case .dataEnd:
                guard let first = bytes.byte(at: offset) else { return nil }
                lane.chunk = .size
                if first == 0x0a { return offset &+ 1 }
                guard first == 0x0d else {
                    frame.anomalies.insert(.invalidChunk)
                    return offset
                }
                guard let second = bytes.byte(at: offset &+ 1) else {
                    lane.chunk = .dataEnd
                    return nil
                }
                if second != 0x0a { frame.anomalies.insert(.invalidChunk) }
                return offset &+ (second == 0x0a ? 2 : 1)
            case .size, .trailer:
                guard
                    let end = Head.lineEnd(
                        bytes.extracting(offset..<min(bytes.count, offset &+ maxChunkLineLength)), from: 0)
                else {
                    if bytes.count &- offset >= maxChunkLineLength { return giveUp(&lane, &frame, at: offset) }
                    return nil
                }
                let lineEnd = offset &+ end
                if lane.chunk == .trailer {
                    if Head.contentEnd(bytes, offset, lineEnd) == offset {
                        lane.body = .none
                        lane.chunk = .size
                    }
                    return lineEnd
                }
                guard let size = chunkSize(bytes, offset, lineEnd) else { return giveUp(&lane, &frame, at: offset) }
                if size == 0 {
                    lane.chunk = .trailer
                } else {
                    lane.chunk = .data
                    lane.remaining = size
                }
                return lineEnd
            }
        }

        /// Framing is lost inside a body: the rest of the connection is skipped.
        static func giveUp(_ lane: inout Lane, _ frame: inout Frame, at offset: Int) -> Int {
            frame.anomalies.insert(.invalidChunk)
            lane.body = .untilClose
            return offset
        }

        static func chunkSize(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) -> Int64? {
            var value: Int64 = 0
            var digits = 0
            var index = start
            while index < end {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte &- 0x30
                case 0x41...0x46: digit = byte &- 0x37
                case 0x61...0x66: digit = byte &- 0x57
                default: digit = 0xff
                }
                if digit == 0xff { break }
                digits &+= 1
                guard digits <= maxChunkSizeDigits else { return nil }
                value = value << 4 | Int64(digit)
                index &+= 1
            }
            guard digits > 0 else { return nil }
            // What may follow the digits: spaces, chunk extensions, the line end.
            if index < end, let byte = bytes.byte(at: index), byte != 0x3b, byte != 0x20, byte != 0x09, byte != 0x0d,
                byte != 0x0a
            {
                return nil
            }
            return value
        }
    }
}
