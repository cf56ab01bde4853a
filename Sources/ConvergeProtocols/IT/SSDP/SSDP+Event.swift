import ConvergeModel
import ConvergeWire

extension SSDP {
    /// The event: `notify` (with its NTS, `notify.ssdp:alive`), `m_search`, `response`; targets the
    /// header values that say who and what (`nt`, `st`, `usn`, `location`, `server`, `user_agent`).
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var functionName: String
        switch Int(parsed.code) {
        case _ where parsed.isResponse: functionName = "response"
        case notifyCode: functionName = "notify"
        case searchCode: functionName = "m_search"
        default: functionName = "other_method"
        }
        if let subtype = text(parsed.notificationSubtype, bytes) { functionName += "." + subtype.lowercased() }
        var targets: [Message.Target] = []
        for (kind, header) in [
            ("nt", parsed.notificationType), ("st", parsed.searchTarget), ("usn", parsed.uniqueServiceName),
            ("location", parsed.location), ("server", parsed.server), ("user_agent", parsed.userAgent),
        ] {
            if let value = text(header, bytes) { targets.append(Message.Target(kind: kind, address: 0, value: value)) }
        }
        let status: Message.Status =
            parsed.isResponse && parsed.code != 200
            ? .exception(code: Int(parsed.code), name: "http_\(parsed.code)") : .ok
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server, proto: name,
            direction: parsed.direction, functionCode: parsed.functionCode, functionName: functionName,
            operation: .discovery, targets: targets, status: status, anomalies: parsed.anomalies.names)
    }

    /// What a device says about itself in a NOTIFY (not a bye-bye) or a search answer: its `os`
    /// and `software` from SERVER, and its UPnP device and service types as `service`.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.isResponse || parsed.code == UInt16(notifyCode) else { return [] }
        if let subtype = text(parsed.notificationSubtype, bytes), subtype.lowercased() == "ssdp:byebye" { return [] }
        let sender = parsed.direction == .toServer ? context.client.address : context.server.address
        let source = name + "/" + (parsed.isResponse ? "response" : "notify")
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String) {
            guard !value.isEmpty else { return }
            let fact = AssetFact(time: context.time, address: sender, kind: kind, value: value, source: source)
            if !facts.contains(fact) { facts.append(fact) }
        }
        if let server = text(parsed.server, bytes) {
            let described = describeServer(server)
            if let os = described.os { add(.os, os) }
            if let product = described.product { add(.software, product) }
        }
        let type = parsed.isResponse ? parsed.searchTarget : parsed.notificationType
        if let type = text(type, bytes), type.hasPrefix("urn:"),
            type.contains(":device:") || type.contains(":service:")
        {
            add(.service, type)
        }
        return facts
    }

    /// SERVER is "OS/version UPnP/x.y product/version" (UDA §1.1.2); some devices leave the OS
    /// out, some use commas. Split at the UPnP token.
    static func describeServer(_ server: String) -> (os: String?, product: String?) {
        let tokens = server.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard let upnp = tokens.firstIndex(where: { $0.lowercased().hasPrefix("upnp/") }) else {
            return (nil, tokens.isEmpty ? nil : tokens.joined(separator: " "))
        }
        let os = tokens[..<upnp].joined(separator: " ")
        let product = tokens[(upnp + 1)...].joined(separator: " ")
        return (os.isEmpty ? nil : os, product.isEmpty ? nil : product)
    }

    static func text(_ header: HeaderValue, _ bytes: Span<UInt8>) -> String? {
        let start = Int(header.offset)
        let end = start &+ Int(header.length)
        guard header.isPresent, end <= bytes.count, end > start else { return nil }
        return DNS.text(bytes.extracting(start..<end))
    }
}
