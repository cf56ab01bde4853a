import ConvergeModel

extension S7CommPlus {
    /// Operation-header functions.
    public enum Function {
        public static let explore: UInt16 = 0x04bb
        public static let createObject: UInt16 = 0x04ca
        public static let deleteObject: UInt16 = 0x04d4
        public static let setVariable: UInt16 = 0x04f2
        public static let getVariable: UInt16 = 0x04fc
        public static let addLink: UInt16 = 0x0506
        public static let removeLink: UInt16 = 0x051a
        public static let getLink: UInt16 = 0x0524
        public static let setMultiVariables: UInt16 = 0x0542
        public static let getMultiVariables: UInt16 = 0x054c
        public static let beginSequence: UInt16 = 0x0556
        public static let endSequence: UInt16 = 0x0560
        public static let invoke: UInt16 = 0x056b
        public static let setVarSubStreamed: UInt16 = 0x057c
        public static let getVarSubStreamed: UInt16 = 0x0586
        public static let getVariablesAddress: UInt16 = 0x0590
        public static let abort: UInt16 = 0x059a
        public static let error: UInt16 = 0x05a9
        public static let initSSL: UInt16 = 0x05b3
    }

    /// snake_case function names; nil when unknown.
    public static func functionName(_ function: UInt16) -> String? {
        switch function {
        case Function.explore: "explore"
        case Function.createObject: "create_object"
        case Function.deleteObject: "delete_object"
        case Function.setVariable: "set_variable"
        case Function.getVariable: "get_variable"
        case Function.addLink: "add_link"
        case Function.removeLink: "remove_link"
        case Function.getLink: "get_link"
        case Function.setMultiVariables: "set_multi_variables"
        case Function.getMultiVariables: "get_multi_variables"
        case Function.beginSequence: "begin_sequence"
        case Function.endSequence: "end_sequence"
        case Function.invoke: "invoke"
        case Function.setVarSubStreamed: "set_var_sub_streamed"
        case Function.getVarSubStreamed: "get_var_sub_streamed"
        case Function.getVariablesAddress: "get_variables_address"
        case Function.abort: "abort"
        case Function.error: "error"
        case Function.initSSL: "init_ssl"
        default: nil
        }
    }

    /// What the function does to the PLC. Creating and deleting objects opens and closes
    /// sessions (and, inside a begin/end sequence, loads blocks: still counted as session here,
    /// the payload is not decoded); Invoke calls a method on the CPU, such as a mode change.
    public static func operation(_ function: UInt16) -> Operation {
        switch function {
        case Function.getVariable, Function.getMultiVariables, Function.getVarSubStreamed,
            Function.getVariablesAddress, Function.getLink:
            .read
        case Function.setVariable, Function.setMultiVariables, Function.setVarSubStreamed:
            .write
        case Function.createObject, Function.deleteObject, Function.abort, Function.initSSL: .session
        case Function.explore: .discovery
        case Function.invoke: .control
        case Function.beginSequence, Function.endSequence: .program
        default: .other
        }
    }

    public static func eventName(_ frame: Frame) -> String {
        switch frame.kind {
        case .continuation: return "continuation"
        case .keepAlive: return "keep_alive"
        case .tls: return "tls_record"
        case .foreign: return "not_s7comm_plus"
        case .overflow: return "reassembly_overflow"
        case .pdu: break
        }
        if frame.opcode == Opcode.notification { return "notification" }
        guard frame.hasFunction else { return "no_function" }
        return functionName(frame.function) ?? "unknown_0x" + String(frame.function, radix: 16)
    }

    /// The normalised event: the session as the first target, then what the body names
    /// (item addresses, written values, objects, attribute strings) where it is readable.
    ///
    /// The session target: kind `session_<protection>`, address the session id, values
    /// [protection level (0 none, 1 V2 integrity part, 2 V3 digest, 3 TLS), protocol version,
    /// sequence number], and as text what can and cannot be read: `opcode=…`, `version=v1|v2|v3`,
    /// `integrity_protected=…` (V2/V3: each message carries an integrity part or digest that is
    /// not checked here), `encrypted=…` (TLS: nothing past the record header is decoded), and
    /// `body=not_decoded` where the body is not read (TLS, V3).
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var targets: [Message.Target] = []
        if parsed.sessionID != 0 || parsed.kind == .tls || parsed.kind == .pdu {
            targets.append(sessionTarget(parsed))
        }
        if parsed.kind == .pdu, bodyReadable(parsed) {
            targets += withPDU(parsed, bytes: bytes, state: state) { bodyTargets(parsed, pdu: $0) }
        }
        let operation: Operation = parsed.kind == .pdu && parsed.hasFunction ? operation(parsed.function) : .other
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.hasFunction ? parsed.functionCode : -1,
            functionName: eventName(parsed), operation: operation, targets: targets,
            status: parsed.isRequest ? .pending : .ok, anomalies: parsed.anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    static func sessionTarget(_ frame: Frame) -> Message.Target {
        let version: String
        switch frame.version {
        case Version.v1: version = "v1"
        case Version.v2: version = "v2"
        case Version.v3: version = "v3"
        default: version = frame.kind == .tls ? "tls" : "0x" + S7Comm.hex(Int(frame.version), digits: 2)
        }
        let integrity = frame.version == Version.v2 || frame.version == Version.v3 || frame.security == .integrity
            || frame.security == .legacyIntegrity
        let encrypted = frame.security == .tls
        var text = "opcode=" + opcodeName(frame.opcode) + " version=" + version
        text += " integrity_protected=" + (integrity ? "true" : "false")
        text += " encrypted=" + (encrypted ? "true" : "false")
        if frame.kind == .tls || (frame.kind == .pdu && frame.hasFunction && !bodyReadable(frame)) {
            text += " body=not_decoded"
        }
        return Message.Target(
            kind: "session_" + frame.security.name, address: Int(frame.sessionID),
            values: [Int(frame.security.rawValue), Int(frame.version), Int(frame.sequence)], value: text)
    }

    /// Whether the body is decoded: V1 and V2 bodies are read (the public captures show their
    /// layout); a V3 body may start with fields this decoder has never seen on the wire, and a
    /// TLS session is encrypted, so neither is guessed at.
    static func bodyReadable(_ frame: Frame) -> Bool {
        frame.security != .tls && (frame.version == Version.v1 || frame.version == Version.v2)
    }

    public static func opcodeName(_ opcode: UInt8) -> String {
        switch opcode {
        case Opcode.request: "request"
        case Opcode.response: "response"
        case Opcode.notification: "notification"
        case Opcode.response2: "response2"
        case 0: "none"
        default: "0x" + S7Comm.hex(Int(opcode), digits: 2)
        }
    }

    /// Text kept from an identity string at most.
    public static let maxIdentityText = 64

    /// The CreateObject response names the CPU: "1;6ES7 511-1AK00-0AB0;V1.0" (a count, the order
    /// number, the firmware version). Scans the PDU for that string.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact] {
        guard frame.kind == .pdu, !frame.isRequest, frame.function == Function.createObject else { return [] }
        return withPDU(frame, bytes: bytes, state: state) { pdu in
            guard let text = identityText(pdu) else { return [] }
            let parts = text.split(separator: ";").map { trimmedSpaces($0) }
            guard parts.count >= 2 else { return [] }
            var facts = [AssetFact(
                time: context.time, address: context.server.address, kind: .productCode, value: parts[1],
                source: "s7comm-plus/create_object")]
            if parts.count >= 3, parts[2].hasPrefix("V") {
                facts.append(AssetFact(
                    time: context.time, address: context.server.address, kind: .firmware, value: parts[2],
                    source: "s7comm-plus/create_object"))
            }
            if parts[1].hasPrefix("6ES7") || parts[1].hasPrefix("6AG") {
                facts.append(AssetFact(
                    time: context.time, address: context.server.address, kind: .vendor, value: "Siemens",
                    source: "s7comm-plus/create_object"))
            }
            return facts
        }
    }

    /// The first "<digit>;6ES7…"/"<digit>;6AG…" run of printable characters in the PDU.
    static func identityText(_ pdu: Span<UInt8>) -> String? {
        var index = 0
        while index &+ 4 < pdu.count {
            defer { index &+= 1 }
            guard pdu[index] >= 0x30, pdu[index] <= 0x39, pdu[index &+ 1] == 0x3b, pdu[index &+ 2] == 0x36,
                pdu[index &+ 3] == 0x45 || pdu[index &+ 3] == 0x41
            else { continue }
            var characters: [UInt8] = []
            var position = index
            while position < pdu.count, characters.count < maxIdentityText, pdu[position] >= 0x20,
                pdu[position] < 0x7f
            {
                characters.append(pdu[position])
                position &+= 1
            }
            return String(decoding: characters, as: UTF8.self)
        }
        return nil
    }
}

extension S7CommPlus {
    /// The text without leading and trailing spaces.
    static func trimmedSpaces(_ text: Substring) -> String {
        var slice = text
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
