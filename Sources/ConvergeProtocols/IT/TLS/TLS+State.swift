import ConvergeModel

extension TLS {
    /// Per-flow state: where each direction stands in its record stream, and what the server chose.
    public struct State: Sendable {
        public var client = Lane()
        public var server = Lane()
        public var shared = Shared()
        public init() {}

        /// The lane of the side that sends in `direction`.
        public func lane(_ direction: Direction) -> Lane { direction == .toServer ? client : server }
    }

    /// One direction of the record stream.
    public struct Lane: Sendable {
        /// Bytes of the current record's body not consumed yet (0 at a record boundary).
        public internal(set) var recordRemaining = 0
        var recordType: ContentType = .handshake
        var recordVersion: UInt16 = 0
        /// After this direction's ChangeCipherSpec (TLS ≤ 1.2) its handshake records are encrypted.
        public internal(set) var encrypted = false
        /// A handshake message split across records is being collected into `buffer`.
        public internal(set) var collecting = false
        /// That message's size with its header; 0 until its 4-byte header has been seen.
        var collectTotal = 0
        /// Its bytes seen so far (`buffer` keeps at most `maxReassembly` of them).
        var collected = 0
        /// The message being collected, or the last one completed (its event reads it from here).
        /// Allocated only for a flow that splits a message, and reused after that.
        public internal(set) var buffer: [UInt8] = []

        public init() {}

        /// Framing was lost: start again at the next record header.
        mutating func reset() {
            recordRemaining = 0
            collecting = false
            collectTotal = 0
            collected = 0
        }
    }

    /// What both directions need to know.
    public struct Shared: Sendable {
        /// The version the ServerHello chose (0 until one is seen). In TLS 1.3 ChangeCipherSpec is a
        /// compatibility no-op, so it does not mark later handshake records as encrypted.
        public var negotiatedVersion: UInt16 = 0
        public init() {}
    }
}
