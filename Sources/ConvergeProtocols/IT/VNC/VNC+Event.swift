import ConvergeModel

extension VNC {
    public enum TargetKind {
        /// `name` "RFB 003.008".
        public static let version = "version"
        /// `values` the offered types, `name` their names joined by `,`.
        public static let securityTypes = "security_types"
        /// `values` [type], `name` its name.
        public static let securityType = "security_type"
        /// A failure's reason (`value`, the server's text).
        public static let reason = "reason"
        /// ClientInit: `values` [shared flag].
        public static let shared = "shared"
        /// ServerInit: `name` the desktop name, `values` [width, height, bits per pixel].
        public static let desktop = "desktop"
        /// SetPixelFormat: `values` [bits per pixel].
        public static let pixelFormat = "pixel_format"
        /// SetEncodings: `values` the encodings (at most `maxEventEncodings`), `count` all of them.
        public static let encodings = "encodings"
        /// FramebufferUpdateRequest: `values` [incremental, width, height].
        public static let framebuffer = "framebuffer"
        /// KeyEvent: `values` [down]; the key is not kept.
        public static let key = "key"
        /// PointerEvent: `values` [button mask, x, y].
        public static let pointer = "pointer"
        /// Cut text: `count` its length; the text is not kept.
        public static let cutText = "cut_text"
        /// FramebufferUpdate: `count` rectangles.
        public static let rectangles = "rectangles"
    }

    /// Encodings listed in an event, at most.
    public static let maxEventEncodings = 64

    public static func operation(_ message: Message) -> Operation {
        switch message.kind {
        case .handshake:
            switch Step(rawValue: message.code) {
            case .serverVersion, .clientVersion, .clientInit, .serverInit: .session
            default: .auth
            }
        case .client:
            switch message.code {
            case ClientType.keyEvent: .control
            case ClientType.pointerEvent: message.value != 0 ? .control : .other
            case ClientType.framebufferUpdateRequest: .read
            case ClientType.clientCutText: .write
            case ClientType.setPixelFormat, ClientType.setEncodings, ClientType.enableContinuousUpdates: .session
            default: .other
            }
        case .server:
            message.code == ServerType.framebufferUpdate || message.code == ServerType.serverCutText ? .read : .other
        case .rectangle, .steppedOver: .other
        }
    }

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        typealias Target = ConvergeModel.Message.Target
        var targets: [Target] = []
        var status: ConvergeModel.Message.Status = .ok
        let text = parsed.textLength > 0 ? printable(bytes, parsed.textOffset, parsed.textLength) : nil
        switch (parsed.kind, parsed.code) {
        case (.handshake, Step.serverVersion.rawValue), (.handshake, Step.clientVersion.rawValue):
            targets.append(Target(kind: TargetKind.version, address: -1, name: versionText(parsed.value)))
        case (.handshake, Step.securityTypes.rawValue):
            var types: [Int] = []
            for index in 0..<parsed.count where parsed.listOffset &+ index < bytes.count {
                types.append(Int(bytes[parsed.listOffset &+ index]))
            }
            if parsed.count == 0, parsed.value != 0 { types.append(Int(parsed.value)) }
            let names = types.map { securityTypeName(UInt32($0)) }.joined(separator: ",")
            targets.append(Target(kind: TargetKind.securityTypes, address: -1, count: types.count, values: types,
                                  name: names))
        case (.handshake, Step.securityTypeSelected.rawValue):
            targets.append(Target(kind: TargetKind.securityType, address: -1, values: [Int(parsed.value)],
                                  name: securityTypeName(parsed.value)))
        case (.handshake, Step.clientInit.rawValue):
            targets.append(Target(kind: TargetKind.shared, address: -1, values: [Int(parsed.value)]))
        case (.handshake, Step.serverInit.rawValue):
            targets.append(Target(kind: TargetKind.desktop, address: -1,
                                  values: [Int(parsed.width), Int(parsed.height), Int(parsed.value)], name: text))
        case (.client, ClientType.setPixelFormat):
            targets.append(Target(kind: TargetKind.pixelFormat, address: -1, values: [Int(parsed.value)]))
        case (.client, ClientType.setEncodings):
            var encodings: [Int] = []
            for index in 0..<min(parsed.count, maxEventEncodings) {
                let offset = parsed.listOffset &+ index &* 4
                guard offset &+ 4 <= bytes.count else { break }
                encodings.append(Int(Int32(bitPattern: bytes.loadUInt32BE(at: offset))))
            }
            targets.append(Target(kind: TargetKind.encodings, address: -1, count: parsed.count, values: encodings))
        case (.client, ClientType.framebufferUpdateRequest):
            targets.append(Target(kind: TargetKind.framebuffer, address: -1,
                                  values: [Int(parsed.value), Int(parsed.width), Int(parsed.height)]))
        case (.client, ClientType.keyEvent):
            targets.append(Target(kind: TargetKind.key, address: -1, values: [Int(parsed.value)]))
        case (.client, ClientType.pointerEvent):
            targets.append(Target(kind: TargetKind.pointer, address: -1,
                                  values: [Int(parsed.value), Int(parsed.width), Int(parsed.height)]))
        case (.client, ClientType.clientCutText), (.server, ServerType.serverCutText):
            targets.append(Target(kind: TargetKind.cutText, address: -1, count: Int(parsed.value)))
        case (.server, ServerType.framebufferUpdate):
            targets.append(Target(kind: TargetKind.rectangles, address: -1, count: parsed.count))
        default:
            break
        }
        if parsed.anomalies.contains(.authenticationFailed) {
            status = .exception(code: Int(clamping: parsed.value), name: "authentication_failed")
            if let text { targets.append(Target(kind: TargetKind.reason, address: -1, value: text)) }
        }
        return ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: operation(parsed), targets: targets, status: status,
            anomalies: parsed.anomalies.names)
    }

    /// Each side's RFB version as `software`; the desktop name as a `service` on the server.
    public static func facts(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.kind == .handshake else { return [] }
        switch Step(rawValue: parsed.code) {
        case .serverVersion:
            return [AssetFact(time: context.time, address: context.server.address, kind: .software,
                              value: versionText(parsed.value), source: "vnc/server_version")]
        case .clientVersion:
            return [AssetFact(time: context.time, address: context.client.address, kind: .software,
                              value: versionText(parsed.value), source: "vnc/client_version")]
        case .serverInit where parsed.textLength > 0:
            let desktop = printable(bytes, parsed.textOffset, parsed.textLength)
            return [AssetFact(time: context.time, address: context.server.address, kind: .service,
                              value: "vnc:" + desktop, source: "vnc/server_init")]
        default:
            return []
        }
    }

    /// Printable ASCII, others as U+FFFD, at most `maxTextLength` characters.
    static func printable(_ bytes: Span<UInt8>, _ offset: Int, _ length: Int) -> String {
        var scalars = String.UnicodeScalarView()
        var index = max(0, offset)
        let end = min(bytes.count, offset &+ min(length, maxTextLength))
        while index < end {
            let byte = bytes[index]
            scalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "\u{FFFD}")
            index &+= 1
        }
        return String(scalars)
    }
}
