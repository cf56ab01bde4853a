import ConvergeModel

extension Telnet {
    public enum TargetKind {
        /// WILL/WONT/DO/DONT/SB: `address` the option number.
        public static let option = "option"
        /// A completed login name (`name`).
        public static let login = "login"
    }

    static let commandNames: [UInt8: String] = [
        240: "se", 241: "nop", 242: "data_mark", 243: "break", 244: "interrupt_process", 245: "abort_output",
        246: "are_you_there", 247: "erase_character", 248: "erase_line", 249: "go_ahead", 250: "subnegotiation",
        251: "will", 252: "wont", 253: "do", 254: "dont", 255: "iac",
    ]

    /// Printable ASCII, others U+FFFD, at most 256 characters.
    static func text(_ bytes: [UInt8]) -> String {
        let scalars = bytes.prefix(256).map { $0 >= 0x20 && $0 < 0x7F ? Unicode.Scalar($0) : "\u{FFFD}" }
        return String(String.UnicodeScalarView(scalars))
    }

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        var targets: [ConvergeModel.Message.Target] = []
        if parsed.command >= 250 && parsed.command <= 254 {
            targets.append(.init(kind: TargetKind.option, address: Int(parsed.option)))
        }
        if parsed.completesLogin {
            targets.append(.init(kind: TargetKind.login, address: -1, name: text(state.loginBytes)))
        }
        let name = parsed.command == 0 ? "data" : commandNames[parsed.command] ?? "command_\(parsed.command)"
        let operation: Operation = parsed.completesLogin || parsed.anomalies.contains(.cleartextPassword)
            ? .auth : parsed.command == 0 ? .other : .session
        return ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: self.name, direction: parsed.direction, functionCode: parsed.functionCode, functionName: name,
            operation: operation, targets: targets, anomalies: parsed.anomalies.names)
    }

    /// The login name typed after a prompt names the client's user; the server's first text is
    /// its banner (software or OS, as the server words it).
    public static func facts(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        if parsed.completesLogin {
            return [AssetFact(time: context.time, address: context.client.address, kind: .userName,
                              value: text(state.loginBytes), source: "telnet/login")]
        }
        if parsed.isBanner {
            var line: [UInt8] = []
            for index in 0..<min(bytes.count, 256) where bytes[index] != 0x0D && bytes[index] != 0x0A {
                line.append(bytes[index])
            }
            while line.last == 0x20 { line.removeLast() }
            while line.first == 0x20 { line.removeFirst() }
            let banner = text(line)
            guard banner.count >= 2, !banner.contains("\u{FFFD}"), prompt(bytes) == .nothing else { return [] }
            return [AssetFact(time: context.time, address: context.server.address, kind: .software, value: banner,
                              source: "telnet/banner")]
        }
        return []
    }
}
