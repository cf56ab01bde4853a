import ConvergeModel
import ConvergeWire

extension OPCUA {
    // MARK: Discovery and sessions

    /// ApplicationDescription: URI, product URI, name, type, gateway URI, discovery profile
    /// URI, discovery URLs.
    static func application(_ r: inout WireReader, _ body: Span<UInt8>) -> Application? {
        guard let uri = Binary.readBytes(&r), let product = Binary.readBytes(&r),
            let name = Binary.readLocalizedText(&r), let type = r.u32le(), Binary.skipBytes(&r),
            Binary.skipBytes(&r), Binary.skipStringArray(&r)
        else { return nil }
        return Application(
            uri: text(body, uri), productURI: text(body, product), name: text(body, name.text),
            type: Int(type))
    }

    /// EndpointDescription: URL, server, certificate, mode, policy URI, user token policies,
    /// transport profile, security level.
    static func endpoint(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let url = Binary.readBytes(&r), let server = application(&r, body), Binary.skipBytes(&r),
            let mode = r.u32le(), let policy = Binary.readBytes(&r), let tokens = count(&r, minimum: 20)
        else { return false }
        for _ in 0..<tokens {
            guard Binary.skipBytes(&r), r.skip(4), Binary.skipBytes(&r), Binary.skipBytes(&r), Binary.skipBytes(&r)
            else { return false }
        }
        guard Binary.skipBytes(&r), r.skip(1) else { return false }
        let urlText = text(body, url)
        decoded.add(
            Message.Target(
                kind: TargetKind.endpoint, address: Int(mode), name: urlText, value: text(body, policy)))
        if !decoded.applications.contains(server) { decoded.applications.append(server) }
        if let host = host(ofURL: urlText), !decoded.endpointHosts.contains(host) { decoded.endpointHosts.append(host) }
        return true
    }

    static func discoveryResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, endpoints: Bool, _ decoded: inout Decoded
    ) -> Bool {
        guard let n = count(&r, minimum: endpoints ? 30 : 25) else { return false }
        for _ in 0..<n {
            if endpoints {
                guard endpoint(&r, body, &decoded) else { return false }
            } else {
                guard let server = application(&r, body) else { return false }
                decoded.add(
                    Message.Target(
                        kind: TargetKind.application, address: server.type, name: server.uri, value: server.name))
                decoded.applications.append(server)
            }
        }
        return true
    }

    static func createSessionRequest(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let client = application(&r, body), Binary.skipBytes(&r), let url = Binary.readBytes(&r),
            let session = Binary.readBytes(&r)
        else { return false }
        decoded.add(
            Message.Target(
                kind: TargetKind.application, address: client.type, name: client.uri, value: client.name))
        decoded.add(Message.Target(kind: TargetKind.endpointURL, address: 0, name: text(body, url)))
        decoded.add(Message.Target(kind: TargetKind.session, address: 0, value: text(body, session)))
        decoded.applications.append(client)
        return true
    }

    static func createSessionResponse(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        // Session id, authentication token, revised timeout, nonce, certificate, endpoints.
        guard let session = Binary.readNodeID(&r), Binary.skipNodeID(&r), r.skip(8), Binary.skipBytes(&r),
            Binary.skipBytes(&r), let n = count(&r, minimum: 30)
        else { return false }
        decoded.add(Message.Target(kind: TargetKind.session, address: 0, name: session.text(body)))
        for _ in 0..<n {
            guard endpoint(&r, body, &decoded) else { return false }
        }
        return true
    }

    static func activateSessionRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded, state: State
    ) -> Bool {
        // Client signature (algorithm, signature), software certificates, locale ids.
        guard Binary.skipBytes(&r), Binary.skipBytes(&r), let certificates = count(&r, minimum: 8) else { return false }
        for _ in 0..<certificates {
            guard Binary.skipBytes(&r), Binary.skipBytes(&r) else { return false }
        }
        guard Binary.skipStringArray(&r), let token = Binary.readExtensionObject(&r) else { return false }
        let type =
            token.type.kind == .numeric && token.type.namespace == 0
            ? UserTokenType(typeID: token.type.numeric) : .unknown
        decoded.userToken = type
        var target = Message.Target(kind: TargetKind.userToken, address: type.rawValue, count: 0, value: type.name)
        guard token.body.length > 0, type != .anonymous, type != .unknown else {
            decoded.add(target)
            return true
        }
        // Every token starts with its policy id; then user name, password (ByteString) and
        // encryption algorithm; or the certificate; or the token data and encryption algorithm.
        var inner = WireReader(body)
        guard inner.skip(token.body.offset), Binary.skipBytes(&inner) else { return false }
        switch type {
        case .userName:
            guard let user = Binary.readBytes(&inner), let password = Binary.readBytes(&inner),
                let algorithm = Binary.readBytes(&inner)
            else { return false }
            target.name = text(body, user)
            target.count = max(0, password.length)
            let protection = passwordProtection(password: password, algorithm: algorithm, channel: state.channel)
            target.value = "\(type.name);password=\(protection)"
            if !algorithm.isEmpty { target.value? += ";algorithm=\(text(body, algorithm))" }
            if protection == "clear" { decoded.anomalies.insert(.cleartextPassword) }
        case .certificate:
            guard let certificate = Binary.readBytes(&inner) else { return false }
            target.count = max(0, certificate.length)
        case .issued:
            guard let data = Binary.readBytes(&inner), let algorithm = Binary.readBytes(&inner) else { return false }
            target.count = max(0, data.length)
            if !algorithm.isEmpty { target.value = "\(type.name);algorithm=\(text(body, algorithm))" }
        case .anonymous, .unknown:
            break
        }
        decoded.add(target)
        return true
    }

    /// How a UserNameIdentityToken's password travels: `none` (empty), `encrypted` (the token
    /// names an encryption algorithm, OPC 10000-4 §7.36.4), `channel` (plain in the token, but the
    /// secure channel encrypts), or `clear` (readable by anyone on the wire).
    static func passwordProtection(password: Binary.Bytes, algorithm: Binary.Bytes, channel: Channel) -> String {
        if password.length <= 0 { return "none" }
        if !algorithm.isEmpty { return "encrypted" }
        return channel.mode == .signAndEncrypt ? "channel" : "clear"
    }

    static func openSecureChannelResponse(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        // Server protocol version, then the token: channel id, token id, created at, lifetime.
        guard r.skip(4), let channel = r.u32le(), let token = r.u32le() else { return false }
        decoded.add(Message.Target(kind: TargetKind.secureChannel, address: Int(channel), values: [Int(token)]))
        return true
    }

    /// The host of an `opc.tcp://host:port/path` URL, when it is a name rather than an address.
    static func host(ofURL url: String) -> String? {
        let characters = Array(url.utf8)
        var start = -1
        var index = 0
        while index &+ 2 < characters.count {
            if characters[index] == 0x3a, characters[index &+ 1] == 0x2f, characters[index &+ 2] == 0x2f {
                start = index &+ 3
                break
            }
            index &+= 1
        }
        guard start > 0, start < characters.count, characters[start] != 0x5b else { return nil }
        var end = start
        while end < characters.count, characters[end] != 0x3a, characters[end] != 0x2f { end &+= 1 }
        let host = characters[start..<end]
        guard !host.isEmpty, host.count <= 253 else { return nil }
        var hasLetter = false
        for byte in host {
            let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a
            let isDigit = byte >= 0x30 && byte <= 0x39
            guard isLetter || isDigit || byte == 0x2d || byte == 0x2e || byte == 0x5f else { return nil }
            hasLetter = hasLetter || isLetter
        }
        let name = String(decoding: host, as: UTF8.self)
        return hasLetter && name.lowercased() != "localhost" ? name : nil
    }
}
