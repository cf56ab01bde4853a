import ConvergeModel

extension Fox {
    /// The commands this dissector names; every other is counted as `other` (code 0).
    public enum Command: Int, Sendable, Equatable {
        case other = 0
        /// `fox hello`: each side announces itself; the session opens.
        case hello = 1
        /// `fox challenge`: the station asks for credentials (digest nonce).
        case challenge = 2

        init(channel: Range<Int>, command: Range<Int>, in bytes: Span<UInt8>) {
            guard Fox.equals(bytes, channel, "fox") else {
                self = .other
                return
            }
            if Fox.equals(bytes, command, "hello") {
                self = .hello
            } else if Fox.equals(bytes, command, "challenge") {
                self = .challenge
            } else {
                self = .other
            }
        }

        public var name: String {
            switch self {
            case .other: "other"
            case .hello: "hello"
            case .challenge: "challenge"
            }
        }

        public var operation: Operation {
            switch self {
            case .other: .other
            case .hello: .session
            case .challenge: .auth
            }
        }
    }

    /// One Fox message as framed.
    public struct Frame: ParsedMessage, Equatable {
        public var direction: Direction
        /// Bytes of the whole message, header line to the `};;` line's newline.
        public var length = 0
        /// The letter after `fox` (`a` in the handshake).
        public var kind: UInt8 = 0
        public var number = 0
        public var replyTo = 0
        public var command: Command = .other
        /// Offsets of the header tokens after `fox `, the channel and the command.
        public var header: Range<Int> = 0..<0
        public var channel: Range<Int> = 0..<0
        public var commandRange: Range<Int> = 0..<0
        /// Body lines (`key=value`), capped by `maxFields`.
        public var fieldCount = 0
        public var anomalies: Anomalies = []

        init(direction: Direction) { self.direction = direction }

        public var functionCode: Int { command.rawValue }
        public var hasFunction: Bool { true }
    }

    /// Per-flow state: which side has said hello.
    public struct State: Sendable {
        public var messages: UInt64 = 0
        public var clientHello = false
        public var serverHello = false
        public init() {}
    }

    /// What was wrong with a well-framed message.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Fewer than five header tokens.
        public static let shortHeader = Anomalies(rawValue: 1 << 0)

        public var names: [String] { contains(.shortHeader) ? ["fox.short_header"] : [] }
    }

    static func equals(_ bytes: Span<UInt8>, _ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount, range.upperBound <= bytes.count else { return false }
        return text.withUTF8Buffer { buffer in
            for index in 0..<buffer.count where bytes[range.lowerBound &+ index] != buffer[index] { return false }
            return true
        }
    }
}
