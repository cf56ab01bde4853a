import ConvergeModel

extension OPCUA {
    /// The three-letter message type of the UA TCP message header (OPC 10000-6 §7.1.2).
    public enum MessageType: UInt8, Sendable, Equatable {
        case hello = 1
        case acknowledge, error, reverseHello, open, message, close

        /// The type from its three ASCII bytes, nil for anything else.
        init?(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
            switch (a, b, c) {
            case (0x48, 0x45, 0x4c): self = .hello  // HEL
            case (0x41, 0x43, 0x4b): self = .acknowledge  // ACK
            case (0x45, 0x52, 0x52): self = .error  // ERR
            case (0x52, 0x48, 0x45): self = .reverseHello  // RHE
            case (0x4f, 0x50, 0x4e): self = .open  // OPN
            case (0x4d, 0x53, 0x47): self = .message  // MSG
            case (0x43, 0x4c, 0x4f): self = .close  // CLO
            default: return nil
            }
        }

        /// Whether the first byte can start a message type (lets a probe reject after one byte).
        static func canStart(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x48, 0x41, 0x45, 0x52, 0x4f, 0x4d, 0x43: true
            default: false
            }
        }

        /// Whether two bytes can begin a message type.
        static func canContinue(_ a: UInt8, _ b: UInt8) -> Bool {
            switch (a, b) {
            case (0x48, 0x45), (0x41, 0x43), (0x45, 0x52), (0x52, 0x48), (0x4f, 0x50), (0x4d, 0x53), (0x43, 0x4c): true
            default: false
            }
        }

        /// OPN, MSG and CLO travel on a secure channel and carry a service body.
        public var isSecureConversation: Bool { self == .open || self == .message || self == .close }

        /// The name used for messages without a service (`hello`, …).
        public var name: String {
            switch self {
            case .hello: "hello"
            case .acknowledge: "acknowledge"
            case .error: "error"
            case .reverseHello: "reverse_hello"
            case .open: "open_secure_channel"
            case .message: "message"
            case .close: "close_secure_channel"
            }
        }

        /// The smallest size field this type can have: the header plus its fixed fields.
        var minimumSize: Int {
            switch self {
            // Version, four buffer/limit fields, then the endpoint URL's length.
            case .hello: headerLength &+ 20 &+ 4
            // Version and four buffer/limit fields.
            case .acknowledge: headerLength &+ 20
            // Error code and the reason's length.
            case .error: headerLength &+ 8
            // Server URI and endpoint URL lengths.
            case .reverseHello: headerLength &+ 8
            // Secure channel id and at least one more u32 (token id, or an abort's error code).
            case .open, .message, .close: headerLength &+ 8
            }
        }
    }

    /// The chunk type byte: a final chunk, an intermediate one, or an abort (§6.7.2.2).
    public enum ChunkType: UInt8, Sendable, Equatable {
        case final = 0x46  // F
        case intermediate = 0x43  // C
        case abort = 0x41  // A
    }

    /// Message type (3), chunk type (1), message size (4, little endian).
    public static let headerLength = 8
    /// The largest message size field accepted: the spec lets peers negotiate buffers up to 2^32,
    /// real stacks use 8 KiB…16 MiB; anything larger cannot be a chunk and breaks the framing.
    public static let maxChunkSize = 16 << 20

    /// The parsed message header (cheap enough for `probe` and `resynchronize`).
    struct Header {
        var type: MessageType
        var chunk: ChunkType
        var size: Int
    }

    /// Reads and checks the 8-byte header: nil in `header` with `needMore` when too short, or a
    /// reason when it cannot be UA TCP framing.
    static func header(_ bytes: Span<UInt8>) -> (header: Header?, needMore: Bool, reason: StaticString?) {
        guard let a = bytes.byte(at: 0) else { return (nil, true, nil) }
        guard MessageType.canStart(a) else { return (nil, false, "unknown message type") }
        guard let b = bytes.byte(at: 1) else { return (nil, true, nil) }
        guard MessageType.canContinue(a, b) else { return (nil, false, "unknown message type") }
        guard let c = bytes.byte(at: 2) else { return (nil, true, nil) }
        guard let type = MessageType(a, b, c) else { return (nil, false, "unknown message type") }
        guard let chunkByte = bytes.byte(at: 3) else { return (nil, true, nil) }
        guard let chunk = ChunkType(rawValue: chunkByte) else { return (nil, false, "unknown chunk type") }
        // HEL, ACK, ERR and RHE are always single final chunks.
        if !type.isSecureConversation && chunk != .final { return (nil, false, "chunked transport message") }
        guard bytes.count >= headerLength else { return (nil, true, nil) }
        let size = Int(bytes.loadUInt32LE(at: 4))
        guard size >= type.minimumSize else { return (nil, false, "message size below its type's minimum") }
        guard size <= maxChunkSize else { return (nil, false, "message size above maxChunkSize") }
        return (Header(type: type, chunk: chunk, size: size), false, nil)
    }
}
