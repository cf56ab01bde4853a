import ConvergeModel

extension Telnet {
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        public var length: Int
        /// The IAC command (240…255), 0 for a data run.
        public var command: UInt8 = 0
        /// The option of WILL, WONT, DO, DONT and SB.
        public var option: UInt8 = 0
        /// This data run finished the login name the state now holds.
        public var completesLogin = false
        /// This data run is the server's first text: its banner.
        public var isBanner = false
        public var anomalies = Anomalies(rawValue: 0)

        public init(direction: Direction, length: Int) {
            self.direction = direction
            self.length = length
        }

        public var functionCode: Int { Int(command) }
        public var hasFunction: Bool { command != 0 }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The client typed a password after a `Password:` prompt: it crossed in the clear.
        public static let cleartextPassword = Anomalies(rawValue: 1 << 0)
        /// A subnegotiation longer than `maxSubnegotiationLength`.
        public static let longSubnegotiation = Anomalies(rawValue: 1 << 1)
        /// IAC followed by a byte that is no command.
        public static let unknownCommand = Anomalies(rawValue: 1 << 2)
        /// A login prompt from the server (a cleartext login is about to happen).
        public static let loginPrompt = Anomalies(rawValue: 1 << 3)

        static let named: [(Anomalies, String)] = [
            (.cleartextPassword, "cleartext_password"), (.longSubnegotiation, "long_subnegotiation"),
            (.unknownCommand, "unknown_command"), (.loginPrompt, "login_prompt"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }

    /// Per-flow state: what the server last asked for and the login name being typed.
    public struct State: Sendable {
        public enum Awaiting: Sendable { case nothing, login, password }
        public internal(set) var awaiting = Awaiting.nothing
        public internal(set) var sawBanner = false
        /// The login name typed so far (or the last one completed), `loginLength` bytes.
        var login: InlineArray<64, UInt8> = .init(repeating: 0)
        public internal(set) var loginLength = 0
        var typing = false
        public init() {}

        /// The completed login name's bytes.
        public var loginBytes: [UInt8] { (0..<loginLength).map { login[$0] } }

        mutating func noteData(_ run: Span<UInt8>, _ message: inout Message) {
            if message.direction == .toClient {
                if !sawBanner, Telnet.hasText(run) {
                    sawBanner = true
                    message.isBanner = true
                }
                switch Telnet.prompt(run) {
                case .login:
                    awaiting = .login
                    loginLength = 0
                    typing = true
                    message.anomalies.insert(.loginPrompt)
                case .password:
                    awaiting = .password
                    message.anomalies.insert(.loginPrompt)
                case .nothing:
                    break
                }
                return
            }
            for index in 0..<run.count {
                let byte = run[index]
                let ends = byte == 0x0D || byte == 0x0A
                switch awaiting {
                case .login where ends:
                    if loginLength > 0 { message.completesLogin = true }
                    awaiting = .nothing
                    typing = false
                case .login:
                    if byte == 0x08 || byte == 0x7F {
                        loginLength = max(0, loginLength &- 1)
                    } else if loginLength < Telnet.maxLoginLength, byte != 0 {
                        login[loginLength] = byte
                        loginLength &+= 1
                    }
                case .password where ends:
                    message.anomalies.insert(.cleartextPassword)
                    awaiting = .nothing
                default:
                    break
                }
            }
        }
    }

    /// Whether a run holds any printable character.
    static func hasText(_ run: Span<UInt8>) -> Bool {
        for index in 0..<run.count where run[index] > 0x20 && run[index] < 0x7F { return true }
        return false
    }

    /// Whether a server run ends in a login or password prompt (case-insensitive, trailing spaces
    /// ignored).
    static func prompt(_ run: Span<UInt8>) -> State.Awaiting {
        var end = run.count
        while end > 0, run[end &- 1] == 0x20 { end &-= 1 }
        func endsWith(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard end >= count else { return false }
            let pointer = word.utf8Start
            for index in 0..<count where (run[end &- count &+ index] | 0x20) != (pointer[index] | 0x20) { return false }
            return true
        }
        if endsWith("password:") { return .password }
        if endsWith("login:") || endsWith("username:") || endsWith("user:") { return .login }
        return .nothing
    }
}
