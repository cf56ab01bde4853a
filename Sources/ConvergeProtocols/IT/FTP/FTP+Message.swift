import ConvergeModel

extension FTP {
    /// One line: scalars and offsets into the bytes handed to `parse`.
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        /// Bytes consumed (line ending included), and the line's text length (without it).
        public var length: Int
        public var textLength: Int
        public var isCommand = false
        /// The verb's letters, upper-cased, packed big-endian (at most `maxVerbLength`).
        public var verb: UInt64 = 0
        /// Position in `FTP.commands` (1…), 0 for a command not in it.
        public var command: Int = 0
        /// Reply code, 0 for a continuation line.
        public var replyCode: UInt16 = 0
        public var argumentOffset = 0
        public var argumentLength = 0
        /// For a reply: the command it answers, by table index (0 none or unknown).
        public var answers: Int = 0
        public var anomalies = Anomalies(rawValue: 0)

        public init(direction: Direction, length: Int, textLength: Int) {
            self.direction = direction
            self.length = length
            self.textLength = textLength
        }

        public var functionCode: Int { isCommand ? command : Int(replyCode) }
        public var hasFunction: Bool { isCommand || replyCode != 0 }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// A PASS command: a password crossed the wire in the clear (its value is never kept).
        public static let cleartextPassword = Anomalies(rawValue: 1 << 0)
        /// USER anonymous or ftp.
        public static let anonymousLogin = Anomalies(rawValue: 1 << 1)
        /// A line longer than `maxLineLength`.
        public static let longLine = Anomalies(rawValue: 1 << 2)
        /// A reply code outside 100…599.
        public static let invalidReplyCode = Anomalies(rawValue: 1 << 3)
        /// A 530 reply to PASS: a failed login.
        public static let loginFailed = Anomalies(rawValue: 1 << 4)

        static let named: [(Anomalies, String)] = [
            (.cleartextPassword, "cleartext_password"), (.anonymousLogin, "anonymous_login"),
            (.longLine, "long_line"), (.invalidReplyCode, "invalid_reply_code"), (.loginFailed, "login_failed"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }

    /// Per-flow state: the last command, to name what a reply answers.
    public struct State: Sendable {
        public internal(set) var lastCommand = 0
        public internal(set) var sawPassword = false
        public init() {}

        mutating func noteCommand(_ message: inout Message) {
            lastCommand = message.command
            if message.command == Command.pass {
                sawPassword = true
                message.anomalies.insert(.cleartextPassword)
            }
        }

        mutating func noteReply(_ message: inout Message) {
            message.answers = lastCommand
            if lastCommand == Command.pass && message.replyCode == 530 { message.anomalies.insert(.loginFailed) }
        }
    }
}
