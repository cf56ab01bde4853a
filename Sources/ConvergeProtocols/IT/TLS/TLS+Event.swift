import ConvergeModel

extension TLS {
    /// Target kinds of TLS events.
    public enum TargetKind {
        public static let version = "version"
        public static let serverName = "server_name"
        public static let alpn = "alpn"
        public static let cipherSuites = "cipher_suites"
        public static let cipherSuite = "cipher_suite"
        public static let ja3 = "ja3"
        public static let ja3s = "ja3s"
        public static let ja4 = "ja4"
        public static let certificate = "certificate"
        public static let alert = "alert"
        public static let records = "records"
    }

    /// Event function code of a record that is not a handshake message: 256 + its content type, so
    /// it never collides with a handshake type (those are the counted codes).
    public static let recordFunctionBase = 256

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var anomalies = parsed.anomalies
        var targets: [Message.Target] = []
        var status = Message.Status.ok
        if parsed.kind == .handshake {
            targets = withBody(parsed, bytes: bytes, state: state) { body in
                handshakeTargets(
                    parsed, body: body, time: context.time, anomalies: &anomalies, wantsTargets: context.wantsTargets)
            }
        } else if parsed.kind == .alert {
            let name = alertName(parsed.alertDescription) ?? "unknown"
            if context.wantsTargets {
                targets = [Message.Target(kind: TargetKind.alert, address: Int(parsed.alertDescription), name: name)]
            }
            if parsed.alertLevel == 2 { status = .exception(code: Int(parsed.alertDescription), name: name) }
        } else if context.wantsTargets, parsed.records > 0 || parsed.skippedBytes > 0 {
            targets = [Message.Target(kind: TargetKind.records, address: 0, count: Int(parsed.records))]
        }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: eventFunctionCode(parsed),
            functionName: functionName(parsed), operation: operation(parsed), targets: targets, status: status,
            anomalies: anomalies.names)
    }

    static func eventFunctionCode(_ frame: Frame) -> Int {
        switch frame.kind {
        case .handshake: Int(frame.handshakeType)
        case .handshakeFragment, .encryptedHandshake: recordFunctionBase &+ Int(ContentType.handshake.rawValue)
        case .changeCipherSpec: recordFunctionBase &+ Int(ContentType.changeCipherSpec.rawValue)
        case .alert, .encryptedAlert: recordFunctionBase &+ Int(ContentType.alert.rawValue)
        case .applicationData: recordFunctionBase &+ Int(ContentType.applicationData.rawValue)
        case .heartbeat: recordFunctionBase &+ Int(ContentType.heartbeat.rawValue)
        }
    }

    public static func functionName(_ frame: Frame) -> String {
        switch frame.kind {
        case .handshake: frame.handshake.name ?? "handshake_\(frame.handshakeType)"
        case .handshakeFragment: "handshake_fragment"
        case .changeCipherSpec: "change_cipher_spec"
        case .alert: "alert"
        case .applicationData: "application_data"
        case .encryptedHandshake: "encrypted_handshake"
        case .encryptedAlert: "encrypted_alert"
        case .heartbeat: "heartbeat"
        }
    }

    static func operation(_ frame: Frame) -> Operation {
        switch frame.kind {
        case .handshake: frame.handshake.operation
        case .handshakeFragment, .changeCipherSpec, .alert, .encryptedHandshake, .encryptedAlert: .session
        case .heartbeat: .diagnostic
        case .applicationData: .other
        }
    }

    /// Runs `use` over the handshake message's body: in `bytes` when read in place, in the
    /// direction's buffer when it was reassembled.
    static func withBody<R>(_ frame: Frame, bytes: Span<UInt8>, state: State, _ use: (Span<UInt8>) -> R) -> R {
        if frame.messageOffset >= 0 {
            let start = min(Int(frame.messageOffset) &+ handshakeHeaderLength, bytes.count)
            let end = min(start &+ Int(frame.messageLength), bytes.count)
            return use(bytes.extracting(start..<end))
        }
        let buffer = state.lane(frame.direction).buffer
        let span = buffer.span
        let start = min(handshakeHeaderLength, span.count)
        return use(span.extracting(start..<span.count))
    }

    static func handshakeTargets(
        _ frame: Frame, body: Span<UInt8>, time: Timestamp, anomalies: inout Anomalies, wantsTargets: Bool = true
    ) -> [Message.Target] {
        switch frame.handshake {
        case .clientHello:
            // The hellos' fingerprints (JA3, JA4, JA3S) are targets only: without them, nothing to do.
            guard wantsTargets, let hello = ClientDetails(body) else { return [] }
            return clientHelloTargets(hello)
        case .serverHello:
            guard wantsTargets, let hello = ServerHello.read(body) else { return [] }
            let extensions = serverExtensions(body, hello)
            return [
                Message.Target(
                    kind: TargetKind.version, address: Int(hello.selectedVersion),
                    name: versionName(hello.selectedVersion)),
                Message.Target(
                    kind: TargetKind.cipherSuite, address: Int(hello.cipherSuite),
                    name: "0x" + Fingerprint.hex4(hello.cipherSuite)),
                ja3sTarget(hello, extensions: extensions),
            ]
        case .certificate:
            guard let summary = firstCertificate(body) else {
                anomalies.insert(.malformedCertificate)
                return []
            }
            if summary.isExpired(at: time) { anomalies.insert(.certificateExpired) }
            if summary.isNotYetValid(at: time) { anomalies.insert(.certificateNotYetValid) }
            if summary.selfSigned { anomalies.insert(.selfSignedCertificate) }
            guard wantsTargets else { return [] }
            return [
                Message.Target(
                    kind: TargetKind.certificate, address: 0,
                    name: CertificateSummary.distinguished(
                        commonName: summary.subjectCommonName, organization: summary.subjectOrganization),
                    value: certificateDescription(summary))
            ]
        default:
            return []
        }
    }

    static func clientHelloTargets(_ hello: ClientDetails) -> [Message.Target] {
        var targets = [
            Message.Target(kind: TargetKind.version, address: Int(hello.version), name: versionName(hello.version))
        ]
        if let serverName = hello.serverName {
            targets.append(Message.Target(kind: TargetKind.serverName, address: 0, name: serverName))
        }
        if !hello.alpn.isEmpty {
            targets.append(
                Message.Target(
                    kind: TargetKind.alpn, address: 0, count: hello.alpn.count,
                    name: hello.alpnNames.joined(separator: ",")))
        }
        let offered = hello.cipherSuites.filter { !isGREASE($0) }.count
        targets.append(Message.Target(kind: TargetKind.cipherSuites, address: 0, count: offered))
        let ja3String = Fingerprint.ja3String(hello)
        targets.append(
            Message.Target(
                kind: TargetKind.ja3, address: 0, name: ja3String, value: Fingerprint.md5(ja3String)))
        targets.append(Message.Target(kind: TargetKind.ja4, address: 0, value: Fingerprint.ja4(hello)))
        return targets
    }

    static func serverExtensions(_ body: Span<UInt8>, _ hello: ServerHello) -> [UInt16] {
        var types: [UInt16] = []
        forEachExtension(body, hello.extensions) { type, _ in types.append(type) }
        return types
    }

    static func ja3sTarget(_ hello: ServerHello, extensions: [UInt16]) -> Message.Target {
        let text = Fingerprint.ja3sString(
            version: hello.legacyVersion, cipher: hello.cipherSuite, extensions: extensions)
        return Message.Target(kind: TargetKind.ja3s, address: 0, name: text, value: Fingerprint.md5(text))
    }

    static func certificateDescription(_ summary: CertificateSummary) -> String {
        var parts = [
            "issuer "
                + CertificateSummary.distinguished(
                    commonName: summary.issuerCommonName, organization: summary.issuerOrganization)
        ]
        if let notBefore = summary.notBefore { parts.append("not_before=\(notBefore)") }
        if let notAfter = summary.notAfter { parts.append("not_after=\(notAfter)") }
        if summary.selfSigned { parts.append("self_signed") }
        return parts.joined(separator: "; ")
    }
}
