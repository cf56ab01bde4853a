import ConvergeModel
import ConvergeWire

extension VNC {
    /// Rectangle encodings and pseudo-encodings whose data length is known from their header.
    public enum Encoding {
        public static let raw: Int32 = 0
        public static let copyRect: Int32 = 1
        public static let rre: Int32 = 2
        public static let coRRE: Int32 = 4
        public static let hextile: Int32 = 5
        public static let zlib: Int32 = 6
        public static let tight: Int32 = 7
        public static let trle: Int32 = 15
        public static let zrle: Int32 = 16
        public static let cursor: Int32 = -239
        public static let xCursor: Int32 = -240
        public static let desktopSize: Int32 = -223
        public static let lastRect: Int32 = -224
        public static let ledState: Int32 = -261
        public static let qemuExtendedKeyEvent: Int32 = -258
        public static let desktopName: Int32 = -307
        public static let extendedDesktopSize: Int32 = -308
        public static let fence: Int32 = -312
        public static let continuousUpdates: Int32 = -313
    }

    /// A rectangle header (x, y, width, height, encoding) and the small header its encoding adds;
    /// its data is left in `lane.skip`. An encoding that cannot be sized gives the direction up.
    static func parseRectangle(_ bytes: Span<UInt8>, state: State, lane: inout Lane) throws(DissectError) -> Parse {
        let header = 12
        guard bytes.count >= header, let width16 = bytes.uint16BE(at: 4), let height16 = bytes.uint16BE(at: 6) else {
            throw .needMore(header)
        }
        let encoding = Int32(bitPattern: bytes.loadUInt32BE(at: 8))
        var message = Message(direction: .toClient, kind: .rectangle, length: header)
        message.width = width16
        message.height = height16
        message.value = UInt32(bitPattern: encoding)
        lane.rectangles &-= 1
        let width = UInt64(width16), height = UInt64(height16), pixel = UInt64(state.bytesPerPixel)
        let maskBytes = (width &+ 7) / 8 &* height
        var consumed = header
        switch encoding {
        case Encoding.raw: lane.skip = width &* height &* pixel
        case Encoding.copyRect: lane.skip = 4
        case Encoding.rre, Encoding.coRRE:
            let withCount = header &+ 4 &+ Int(state.bytesPerPixel)
            guard bytes.count >= withCount else { throw .needMore(withCount) }
            let subrectangle: UInt64 = encoding == Encoding.rre ? 8 : 4
            lane.skip = UInt64(bytes.loadUInt32BE(at: header)) &* (pixel &+ subrectangle)
            consumed = withCount
        case Encoding.zlib, Encoding.zrle, Encoding.desktopName:
            guard bytes.count >= header &+ 4 else { throw .needMore(header &+ 4) }
            let length = bytes.loadUInt32BE(at: header)
            guard length <= maxCompressedLength else { return giveUp(message, lane: &lane) }
            lane.skip = UInt64(length)
            consumed = header &+ 4
        case Encoding.cursor: lane.skip = width &* height &* pixel &+ maskBytes
        case Encoding.xCursor: lane.skip = width &* height == 0 ? 0 : 6 &+ 2 &* maskBytes
        case Encoding.extendedDesktopSize:
            guard let screens = bytes.byte(at: header) else { throw .needMore(header &+ 1) }
            lane.skip = 4 &+ 16 &* UInt64(screens)
        case Encoding.ledState: lane.skip = 1
        case Encoding.lastRect: lane.rectangles = 0
        case Encoding.desktopSize, Encoding.qemuExtendedKeyEvent, Encoding.fence, Encoding.continuousUpdates:
            break
        default:
            // Hextile, Tight, TRLE and unknown encodings: only decoding them tells their length.
            return giveUp(message, lane: &lane)
        }
        message.length = consumed
        return (message, consumed)
    }

    static func giveUp(_ message: Message, lane: inout Lane) -> Parse {
        var message = message
        message.anomalies.insert(.unsizable)
        lane.phase = .opaque
        lane.rectangles = 0
        return (message, message.length)
    }
}
