import ConvergeModel

extension Syslog {
    public enum TargetKind {
        /// `address` the facility code, `name` its name (`auth`, `local0` …).
        public static let facility = "facility"
        /// `name` the header's hostname.
        public static let hostname = "hostname"
        /// `name` the app-name (RFC 5424) or tag (RFC 3164); `value` the procid when present.
        public static let appName = "app_name"
        /// `name` the RFC 5424 MSGID.
        public static let msgID = "msgid"
        /// `value` the header's timestamp as sent.
        public static let timestamp = "timestamp"
        /// `value` the text, at most `maxTextLength` characters.
        public static let text = "text"
    }

    static let severityNames = [
        "emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug",
    ]
    static let facilityNames = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
        "ntp", "security", "console", "solaris_cron", "local0", "local1", "local2", "local3", "local4", "local5",
        "local6", "local7",
    ]

    public static func severityName(_ severity: Int) -> String {
        severity >= 0 && severity < severityNames.count ? severityNames[severity] : "no_priority"
    }

    public static func facilityName(_ facility: Int) -> String {
        facility >= 0 && facility < facilityNames.count ? facilityNames[facility] : "facility_" + String(facility)
    }

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        typealias Target = ConvergeModel.Message.Target
        var targets: [Target] = []
        if parsed.priority >= 0 {
            targets.append(Target(kind: TargetKind.facility, address: parsed.facility,
                                  name: facilityName(parsed.facility)))
        }
        if !parsed.hostname.isEmpty {
            targets.append(Target(kind: TargetKind.hostname, address: -1, name: text(bytes, parsed.hostname)))
        }
        if !parsed.appName.isEmpty {
            targets.append(Target(kind: TargetKind.appName, address: -1, name: text(bytes, parsed.appName),
                                  value: parsed.procID.isEmpty ? nil : text(bytes, parsed.procID)))
        }
        if !parsed.msgID.isEmpty {
            targets.append(Target(kind: TargetKind.msgID, address: -1, name: text(bytes, parsed.msgID)))
        }
        if !parsed.timestamp.isEmpty {
            targets.append(Target(kind: TargetKind.timestamp, address: -1, value: text(bytes, parsed.timestamp)))
        }
        targets.append(Target(kind: TargetKind.text, address: -1, value: text(bytes, parsed.text)))
        return ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: severityName(parsed.severity), operation: .other, targets: targets,
            anomalies: parsed.anomalies.names)
    }

    /// The header's hostname as the sender's `hostname`, its app-name or tag as `software` the
    /// sender runs.
    public static func facts(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        let sender = parsed.direction == .toServer ? context.client.address : context.server.address
        var facts: [AssetFact] = []
        let hostname = text(bytes, parsed.hostname)
        if !hostname.isEmpty, !hostname.contains("\u{FFFD}") {
            facts.append(AssetFact(time: context.time, address: sender, kind: .hostname, value: hostname,
                                   source: "syslog/hostname"))
        }
        let app = text(bytes, parsed.appName)
        if !app.isEmpty, !app.contains("\u{FFFD}") {
            facts.append(AssetFact(time: context.time, address: sender, kind: .software, value: app,
                                   source: "syslog/app_name"))
        }
        return facts
    }

    /// A field as text: printable ASCII and UTF-8 kept, control bytes and bad UTF-8 as U+FFFD,
    /// trailing line ends and NULs dropped, at most `maxTextLength` characters.
    static func text(_ bytes: Span<UInt8>, _ field: Field) -> String {
        var end = min(bytes.count, field.offset &+ field.length)
        let start = max(0, field.offset)
        while end > start, bytes[end &- 1] == 0x0A || bytes[end &- 1] == 0x0D || bytes[end &- 1] == 0 { end &-= 1 }
        guard end > start else { return "" }
        var raw: [UInt8] = []
        raw.reserveCapacity(min(end &- start, maxTextLength &* 4))
        for index in start..<min(end, start &+ maxTextLength &* 4) {
            let byte = bytes[index]
            raw.append(byte < 0x20 || byte == 0x7F ? 0xEF : byte)
        }
        let decoded = String(decoding: raw, as: UTF8.self)
        return decoded.count > maxTextLength ? String(decoded.prefix(maxTextLength)) : decoded
    }
}
