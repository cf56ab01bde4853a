import ConvergeModel
import ConvergeWire

extension VNC {
    /// One client message, by its type's fixed or announced length.
    static func parseClientMessage(
        _ bytes: Span<UInt8>, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        let type = bytes[0]
        var message = Message(direction: .toServer, kind: .client, length: 0)
        message.code = type
        switch type {
        case ClientType.setPixelFormat:
            try fixed(20, bytes, &message)
            message.value = UInt32(bytes[4])
            state.bytesPerPixel = bytesPerPixel(bits: bytes[4])
        case ClientType.setEncodings:
            guard let count = bytes.uint16BE(at: 2) else { throw .needMore(4) }
            message.count = Int(count)
            guard Int(count) <= maxEncodings else {
                message.anomalies.insert(.oversized)
                message.count = 0
                message.length = 4
                lane.skip = UInt64(count) &* 4
                return (message, 4)
            }
            try fixed(4 &+ 4 &* Int(count), bytes, &message)
            message.listOffset = 4
        case ClientType.framebufferUpdateRequest:
            try fixed(10, bytes, &message)
            message.value = UInt32(bytes[1])
            message.width = bytes.uint16BE(at: 6) ?? 0
            message.height = bytes.uint16BE(at: 8) ?? 0
        case ClientType.keyEvent:
            // The key itself is not kept: key events are what someone types, passwords included.
            try fixed(8, bytes, &message)
            message.value = UInt32(bytes[1])
        case ClientType.pointerEvent:
            try fixed(6, bytes, &message)
            message.value = UInt32(bytes[1])
            message.width = bytes.uint16BE(at: 2) ?? 0
            message.height = bytes.uint16BE(at: 4) ?? 0
        case ClientType.clientCutText:
            return try cutText(bytes, message, lane: &lane)
        case ClientType.enableContinuousUpdates:
            try fixed(10, bytes, &message)
        case ClientType.clientFence:
            return try fence(bytes, message, lane: &lane)
        default:
            return unsizable(bytes, message, lane: &lane)
        }
        return (message, message.length)
    }

    /// One server message; a framebuffer update's rectangles follow as their own units.
    static func parseServerMessage(_ bytes: Span<UInt8>, lane: inout Lane) throws(DissectError) -> Parse {
        let type = bytes[0]
        var message = Message(direction: .toClient, kind: .server, length: 0)
        message.code = type
        switch type {
        case ServerType.framebufferUpdate:
            try fixed(4, bytes, &message)
            let count = bytes.uint16BE(at: 2) ?? 0
            message.count = Int(count)
            lane.rectangles = count
        case ServerType.setColourMapEntries:
            try fixed(6, bytes, &message)
            let count = bytes.uint16BE(at: 4) ?? 0
            message.count = Int(count)
            lane.skip = UInt64(count) &* 6
        case ServerType.bell, ServerType.endOfContinuousUpdates:
            message.length = 1
        case ServerType.serverCutText:
            return try cutText(bytes, message, lane: &lane)
        case ServerType.serverFence:
            return try fence(bytes, message, lane: &lane)
        default:
            return unsizable(bytes, message, lane: &lane)
        }
        return (message, message.length)
    }

    static func fixed(_ length: Int, _ bytes: Span<UInt8>, _ message: inout Message) throws(DissectError) {
        guard bytes.count >= length else { throw .needMore(length) }
        message.length = length
    }

    /// Cut text: the header is read, the text (a clipboard: possibly secret) stepped over.
    static func cutText(_ bytes: Span<UInt8>, _ message: Message, lane: inout Lane) throws(DissectError) -> Parse {
        var message = message
        try fixed(8, bytes, &message)
        let length = bytes.loadUInt32BE(at: 4)
        message.value = length
        lane.skip = UInt64(length)
        return (message, 8)
    }

    /// A fence: flags (4 after 3 padding), a length byte, at most 64 bytes of payload.
    static func fence(_ bytes: Span<UInt8>, _ message: Message, lane: inout Lane) throws(DissectError) -> Parse {
        var message = message
        guard let length = bytes.byte(at: 8) else { throw .needMore(9) }
        guard Int(length) <= maxFenceLength else { return unsizable(bytes, message, lane: &lane) }
        try fixed(9 &+ Int(length), bytes, &message)
        return (message, message.length)
    }

    /// A type whose length is unknown: counted, and the direction is stepped over from here.
    static func unsizable(_ bytes: Span<UInt8>, _ message: Message, lane: inout Lane) -> Parse {
        var message = message
        message.anomalies.insert(.unsizable)
        message.length = bytes.count
        lane.phase = .opaque
        lane.rectangles = 0
        return (message, bytes.count)
    }
}
