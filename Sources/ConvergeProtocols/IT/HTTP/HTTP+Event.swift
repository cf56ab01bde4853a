import ConvergeModel

extension HTTP {
    /// URIs, header values and reason phrases longer than this are cut in events.
    public static let maxTextLength = 1024

    public enum TargetKind {
        public static let uri = "uri"
        public static let host = "host"
        public static let userAgent = "user_agent"
        public static let authorization = "authorization"
        public static let server = "server"
        public static let contentType = "content_type"
        public static let authenticate = "www_authenticate"
        public static let body = "body"
    }

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var targets: [Message.Target] = []
        let wantsTargets = context.wantsTargets
        func add(_ kind: String, _ field: Field) {
            guard wantsTargets, field.isPresent else { return }
            targets.append(Message.Target(kind: kind, address: 0, name: text(bytes, field)))
        }
        var status = Message.Status.ok
        switch parsed.kind {
        case .request:
            add(TargetKind.uri, parsed.uri)
            add(TargetKind.host, parsed.host)
            add(TargetKind.userAgent, parsed.userAgent)
            add(TargetKind.contentType, parsed.contentType)
            if wantsTargets, parsed.authScheme != .none {
                // The scheme only: the credential after it is never kept.
                targets.append(Message.Target(kind: TargetKind.authorization, address: 0, name: parsed.authScheme.name))
            }
            status = .pending
        case .response:
            add(TargetKind.server, parsed.server)
            add(TargetKind.contentType, parsed.contentType)
            add(TargetKind.authenticate, parsed.authenticate)
            if parsed.status >= 400 {
                status = .exception(code: Int(parsed.status), name: reasonName(text(bytes, parsed.reason)))
            }
        case .body:
            if wantsTargets { targets.append(Message.Target(kind: TargetKind.body, address: 0, count: Int(parsed.bodyBytes))) }
        }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.kind == .body ? -1 : parsed.functionCode,
            functionName: functionName(parsed, bytes: bytes), operation: operation(parsed), targets: targets,
            status: status, anomalies: parsed.anomalies.names)
    }

    static func functionName(_ frame: Frame, bytes: Span<UInt8>) -> String {
        switch frame.kind {
        case .request:
            frame.method == .other ? text(bytes, frame.methodToken).lowercased() : frame.method.token.lowercased()
        case .response: "response"
        case .body: "body"
        }
    }

    static func operation(_ frame: Frame) -> Operation {
        switch frame.kind {
        case .request: frame.authScheme != .none ? .auth : frame.method.operation
        case .response: (frame.requestMethod ?? .other).operation
        case .body: .other
        }
    }

    /// `Not Found` → `not_found`.
    static func reasonName(_ reason: String) -> String {
        let words = reason.lowercased().split { !$0.isLetter && !$0.isNumber }
        return words.isEmpty ? "error" : words.joined(separator: "_")
    }

    /// Wire text as data: decoded as UTF-8 (invalid bytes replaced), cut to `maxTextLength`.
    static func text(_ bytes: Span<UInt8>, _ field: Field) -> String {
        let start = Int(field.start)
        let end = min(start &+ Int(field.length), start &+ maxTextLength, bytes.count)
        guard start >= 0, start < end else { return "" }
        var out: [UInt8] = []
        out.reserveCapacity(end &- start)
        for index in start..<end { out.append(bytes[index]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The Host a client asked for and its User-Agent; the server's banner and what it reveals
    /// about the device (web UIs of PLCs, gateways and cameras name themselves there).
    public static func facts(_ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact]
    {
        func fact(_ address: IPAddress, _ kind: AssetFact.Kind, _ value: String, _ source: String) -> AssetFact {
            AssetFact(time: context.time, address: address, kind: kind, value: value, source: "http/" + source)
        }
        var facts: [AssetFact] = []
        switch parsed.kind {
        case .request:
            if parsed.host.isPresent {
                let host = hostWithoutPort(text(bytes, parsed.host))
                if !host.isEmpty, !host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" || $0 == "[" || $0 == "]" })
                {
                    facts.append(fact(context.server.address, .hostname, host, "host"))
                }
            }
            if parsed.userAgent.isPresent {
                facts.append(fact(context.client.address, .software, text(bytes, parsed.userAgent), "user_agent"))
            }
        case .response:
            guard parsed.server.isPresent else { return [] }
            let banner = text(bytes, parsed.server)
            facts.append(fact(context.server.address, .software, banner, "server"))
            let device = DeviceBanner.match(banner)
            if let vendor = device.vendor { facts.append(fact(context.server.address, .vendor, vendor, "server")) }
            if let os = device.os { facts.append(fact(context.server.address, .os, os, "server")) }
            if let role = device.role { facts.append(fact(context.server.address, .role, role, "server")) }
        case .body:
            break
        }
        return facts
    }

    static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("[") { return String(host.prefix { $0 != "]" }.dropFirst()) }
        return String(host.prefix { $0 != ":" })
    }
}
