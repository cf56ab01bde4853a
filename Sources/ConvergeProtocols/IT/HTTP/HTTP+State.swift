extension HTTP {
    /// Per-flow state: each direction's body framing and the requests awaiting responses.
    public struct State: Sendable {
        public var client = Lane()
        public var server = Lane()
        /// Methods of requests not answered yet, oldest first (pipelining), at most
        /// `maxPendingRequests`: 4 bits each in one integer, so the table never allocates.
        var pending: UInt64 = 0
        public internal(set) var pendingCount = 0
        /// Requests dropped from a full table.
        public internal(set) var pendingOverflows: UInt64 = 0

        public init() {}

        mutating func push(_ method: Method) {
            if pendingCount == maxPendingRequests {
                _ = pop()
                pendingOverflows &+= 1
            }
            pending |= UInt64(method.rawValue & 0x0f) << UInt64(4 &* pendingCount)
            pendingCount &+= 1
        }

        mutating func pop() -> Method? {
            guard pendingCount > 0 else { return nil }
            let raw = UInt8(pending & 0x0f)
            pending >>= 4
            pendingCount &-= 1
            return Method(rawValue: raw) ?? .other
        }
    }

    /// How the current message body of one direction is framed.
    public struct Lane: Sendable {
        public enum Body: UInt8, Sendable {
            /// At a message start.
            case none
            /// `remaining` bytes of a Content-Length body.
            case length
            /// A chunked body: `chunk` says where.
            case chunked
            /// Until the connection closes (a response without length, a tunnel after CONNECT or
            /// an Upgrade): everything is skipped.
            case untilClose
        }

        public enum Chunk: UInt8, Sendable {
            /// Expecting a chunk-size line.
            case size
            /// Inside chunk data (`remaining` bytes), then its CR LF.
            case data
            case dataEnd
            /// After the last chunk: trailer lines until an empty one.
            case trailer
        }

        public internal(set) var body = Body.none
        public internal(set) var chunk = Chunk.size
        public internal(set) var remaining: Int64 = 0
        public init() {}
    }
}
