import ConvergeModel
import ConvergeWire

extension OPCUA {
    /// Most targets one event lists (nodes read, references browsed, …); the rest are counted
    /// in `Decoded.omittedTargets`.
    public static let maxTargetsPerMessage = 256

    /// Target kinds of OPC UA events.
    public enum TargetKind {
        /// A node and attribute read, written, browsed or monitored: `name` is the NodeId,
        /// `address` the attribute id (13 = Value), values/value the data written or read.
        public static let node = "node"
        /// A method called (`name`), with its object in `value` and input arguments' integers.
        public static let method = "method"
        /// A Call result: `address` its status code, values/value the output arguments.
        public static let callResult = "call_result"
        /// A reference a Browse returned: `name` the target NodeId, `value` its browse name,
        /// `address` its node class.
        public static let reference = "reference"
        /// A data change a Publish delivered: `address` the client handle, `name` the NodeId
        /// when the CreateMonitoredItems request was seen.
        public static let dataChange = "data_change"
        /// A subscription: `address` its id (0 when not yet assigned).
        public static let subscription = "subscription"
        /// An endpoint: `name` the URL, `address` the security mode, `value` the policy URI.
        public static let endpoint = "endpoint"
        /// An application description: `name` the application URI, `value` its name,
        /// `address` its type (0 server, 1 client, 2 both, 3 discovery server).
        public static let application = "application"
        /// ActivateSession's user identity: `address` the token type (0 anonymous, 1 user name,
        /// 2 certificate, 3 issued, -1 unknown), `name` the user name (never the password),
        /// `count` the password's length in bytes.
        public static let userToken = "user_token"
        /// The session a CreateSession response assigned: `name` its NodeId.
        public static let session = "session"
        public static let securityPolicy = "security_policy"
        public static let securityMode = "security_mode"
        /// An OPN's sender certificate: `count` its length in bytes.
        public static let senderCertificate = "sender_certificate"
        /// The secure channel an OPN response opened: `address` its id.
        public static let secureChannel = "secure_channel"
        /// HEL/RHE endpoint URL, RHE server URI, ERR/abort reason in `name`.
        public static let endpointURL = "endpoint_url"
        public static let serverURI = "server_uri"
        public static let reason = "reason"
        /// An encrypted body: `count` its length in bytes.
        public static let encryptedBody = "encrypted_body"
    }

    /// User identity token encodings (ExtensionObject type ids, OPC 10000-4 §7.36).
    public enum UserTokenType: Int, Sendable {
        case unknown = -1
        case anonymous = 0
        case userName = 1
        case certificate = 2
        case issued = 3

        init(typeID: UInt32) {
            switch typeID {
            case 321: self = .anonymous
            case 324: self = .userName
            case 327: self = .certificate
            case 940: self = .issued
            default: self = .unknown
            }
        }

        public var name: String {
            switch self {
            case .unknown: "unknown"
            case .anonymous: "anonymous"
            case .userName: "user_name"
            case .certificate: "certificate"
            case .issued: "issued"
            }
        }
    }

    /// An ApplicationDescription as text (OPC 10000-4 §7.2).
    public struct Application: Sendable, Equatable {
        public var uri: String
        public var productURI: String
        public var name: String
        public var type: Int
    }

    /// What a service body says, for events and facts (allocates).
    struct Decoded {
        var targets: [Message.Target] = []
        var anomalies = Anomalies(rawValue: 0)
        var userToken: UserTokenType?
        /// Descriptions of the server (GetEndpoints, CreateSession response, FindServers) or of
        /// the client (CreateSession request).
        var applications: [Application] = []
        /// Host names in endpoint URLs the server gave for itself.
        var endpointHosts: [String] = []
        var omittedTargets = 0

        mutating func add(_ target: Message.Target) {
            if targets.count < maxTargetsPerMessage { targets.append(target) } else { omittedTargets &+= 1 }
        }
    }

    /// Decodes the fields of a readable service body (`body` starts at the type id).
    static func decodeService(_ parsed: Chunk, body: Span<UInt8>, state: inout State) -> Decoded {
        var decoded = Decoded()
        guard parsed.serviceFieldsOffset > 0, parsed.serviceNamespace == 0 else { return decoded }
        var r = WireReader(body)
        guard r.skip(parsed.serviceFieldsOffset) else { return decoded }
        let ok: Bool
        switch parsed.serviceID {
        case ServiceID.readRequest: ok = readRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.readResponse: ok = readResponse(&r, body, parsed, &decoded, &state)
        case ServiceID.writeRequest: ok = writeRequest(&r, body, &decoded)
        case ServiceID.browseRequest: ok = browseRequest(&r, body, &decoded)
        case ServiceID.browseResponse: ok = browseResponse(&r, body, &decoded)
        case ServiceID.callRequest: ok = callRequest(&r, body, &decoded)
        case ServiceID.callResponse: ok = callResponse(&r, body, &decoded)
        case ServiceID.createSubscriptionRequest: ok = createSubscriptionRequest(&r, &decoded)
        case ServiceID.createSubscriptionResponse: ok = createSubscriptionResponse(&r, &decoded)
        case ServiceID.createMonitoredItemsRequest: ok = createMonitoredItemsRequest(&r, body, &decoded, &state)
        case ServiceID.publishResponse: ok = publishResponse(&r, body, &decoded, &state)
        case ServiceID.getEndpointsResponse, ServiceID.findServersResponse:
            ok = discoveryResponse(&r, body, endpoints: parsed.serviceID == ServiceID.getEndpointsResponse, &decoded)
        case ServiceID.createSessionRequest: ok = createSessionRequest(&r, body, &decoded)
        case ServiceID.createSessionResponse: ok = createSessionResponse(&r, body, &decoded)
        case ServiceID.activateSessionRequest: ok = activateSessionRequest(&r, body, &decoded, state: state)
        case ServiceID.openSecureChannelResponse: ok = openSecureChannelResponse(&r, &decoded)
        default: ok = true
        }
        if !ok { decoded.anomalies.insert(.malformedBody) }
        return decoded
    }

    /// An array's length for decoding: nil when absent or impossible.
    static func count(_ r: inout WireReader, minimum: Int) -> Int? {
        Binary.length(&r, minimumElement: minimum).map { max(0, $0) }
    }

    // MARK: Read / Write

    /// ReadValueId: NodeId, attribute id, index range, data encoding.
    static func readValueID(_ r: inout WireReader, _ body: Span<UInt8>) -> NodeTarget? {
        guard let node = Binary.readNodeID(&r), let attribute = r.u32le(), Binary.skipBytes(&r),
            Binary.readQualifiedName(&r) != nil
        else { return nil }
        return NodeTarget(node: node.text(body), attribute: attribute)
    }

    static func readRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard r.skip(12), let n = count(&r, minimum: 11) else { return false }
        var remembered: [NodeTarget] = []
        for _ in 0..<n {
            guard let item = readValueID(&r, body) else { return false }
            decoded.add(Message.Target(kind: TargetKind.node, address: Int(item.attribute), name: item.node))
            if remembered.count < maxTargetsPerMessage { remembered.append(item) }
        }
        if state.readNodes.count >= State.maxReadRequestsRemembered { state.readNodes.removeAll() }
        state.readNodes[parsed.requestID] = remembered
        return true
    }

    static func readResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.readNodes.removeValue(forKey: parsed.requestID) ?? []
        guard let n = count(&r, minimum: 1) else { return false }
        for index in 0..<n {
            guard let value = renderDataValue(&r, bytes: body) else { return false }
            let item = index < asked.count ? asked[index] : nil
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: item.map { Int($0.attribute) } ?? -1, count: max(1, value.count),
                    values: value.integers, name: item?.node, value: value.text))
        }
        return true
    }

    static func writeRequest(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 11) else { return false }
        for _ in 0..<n {
            guard let node = Binary.readNodeID(&r), let attribute = r.u32le(), Binary.skipBytes(&r),
                let value = renderDataValue(&r, bytes: body)
            else { return false }
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: Int(attribute), count: max(1, value.count), values: value.integers,
                    name: node.text(body), value: value.text))
        }
        return true
    }

    // MARK: Browse

    static func browseRequest(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        // View: view id, timestamp, version; then requested max references per node.
        guard Binary.skipNodeID(&r), r.skip(16), let n = count(&r, minimum: 15) else { return false }
        for _ in 0..<n {
            guard let node = Binary.readNodeID(&r), let direction = r.u32le(), Binary.skipNodeID(&r), r.skip(9)
            else { return false }
            decoded.add(Message.Target(kind: TargetKind.node, address: Int(direction), name: node.text(body)))
        }
        return true
    }

    static func browseResponse(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let results = count(&r, minimum: 12) else { return false }
        for _ in 0..<results {
            guard r.skip(4), Binary.skipBytes(&r), let n = count(&r, minimum: 12) else { return false }
            for _ in 0..<n {
                guard Binary.skipNodeID(&r), r.skip(1), let node = Binary.readNodeID(&r, expanded: true),
                    let browseName = Binary.readQualifiedName(&r), Binary.readLocalizedText(&r) != nil,
                    let nodeClass = r.u32le(), Binary.skipNodeID(&r, expanded: true)
                else { return false }
                decoded.add(
                    Message.Target(
                        kind: TargetKind.reference, address: Int(nodeClass), name: node.text(body),
                        value: text(body, browseName.name)))
            }
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }

    // MARK: Call

    static func callRequest(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 6) else { return false }
        for _ in 0..<n {
            guard let object = Binary.readNodeID(&r), let method = Binary.readNodeID(&r),
                let arguments = count(&r, minimum: 1)
            else { return false }
            var inputs = RenderedValue()
            for _ in 0..<arguments {
                guard let argument = renderVariant(&r, bytes: body) else { return false }
                inputs.merge(argument)
            }
            var summary = "object=\(object.text(body))"
            if let text = inputs.text { summary += ";arguments=\(text)" }
            decoded.add(
                Message.Target(
                    kind: TargetKind.method, address: 0, count: arguments, values: inputs.integers,
                    name: method.text(body), value: summary))
        }
        return true
    }

    static func callResponse(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 16) else { return false }
        for _ in 0..<n {
            guard let status = r.u32le(), Binary.skipInt32Array(&r), Binary.skipDiagnosticInfoArray(&r),
                let outputs = count(&r, minimum: 1)
            else { return false }
            var values = RenderedValue()
            for _ in 0..<outputs {
                guard let output = renderVariant(&r, bytes: body) else { return false }
                values.merge(output)
            }
            decoded.add(
                Message.Target(
                    kind: TargetKind.callResult, address: Int(status), count: outputs, values: values.integers,
                    value: values.text))
        }
        return true
    }

    // MARK: Subscriptions

    static func createSubscriptionRequest(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let interval = r.u64le() else { return false }
        decoded.add(
            Message.Target(
                kind: TargetKind.subscription, address: 0,
                value: "publishing_interval_ms=\(Double(bitPattern: interval))"))
        return true
    }

    static func createSubscriptionResponse(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let id = r.u32le(), let interval = r.u64le() else { return false }
        decoded.add(
            Message.Target(
                kind: TargetKind.subscription, address: Int(id),
                value: "publishing_interval_ms=\(Double(bitPattern: interval))"))
        return true
    }

    static func createMonitoredItemsRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let subscription = r.u32le(), r.skip(4), let n = count(&r, minimum: 36) else { return false }
        for _ in 0..<n {
            // ReadValueId, monitoring mode, then parameters: client handle, sampling interval,
            // filter, queue size, discard oldest.
            guard let item = readValueID(&r, body), r.skip(4), let handle = r.u32le(), r.skip(8),
                Binary.skipExtensionObject(&r), r.skip(5)
            else { return false }
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: Int(item.attribute), name: item.node,
                    value: "subscription=\(subscription);client_handle=\(handle)"))
            if state.monitoredItems.count < State.maxMonitoredItems || state.monitoredItems[handle] != nil {
                state.monitoredItems[handle] = item.node
            }
        }
        return true
    }

    /// DataChangeNotification's binary encoding id (OPC 10000-4 §7.22.2).
    static let dataChangeNotification: UInt32 = 811

    static func publishResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        // Subscription id (a data change names its monitored item by client handle alone),
        // available sequence numbers, more notifications, then the
        // notification message: sequence number, publish time, notification data.
        guard r.skip(4), Binary.skipInt32Array(&r), r.skip(1), r.skip(12),
            let n = count(&r, minimum: 2)
        else { return false }
        for _ in 0..<n {
            guard let object = Binary.readExtensionObject(&r) else { return false }
            guard object.type.kind == .numeric, object.type.namespace == 0,
                object.type.numeric == dataChangeNotification, object.body.length > 0
            else { continue }
            var inner = WireReader(body)
            guard inner.skip(object.body.offset), let items = count(&inner, minimum: 5) else { return false }
            for _ in 0..<items {
                guard let handle = inner.u32le(), let value = renderDataValue(&inner, bytes: body) else { return false }
                decoded.add(
                    Message.Target(
                        kind: TargetKind.dataChange, address: Int(handle), count: max(1, value.count),
                        values: value.integers, name: state.monitoredItems[handle],
                        value: value.text))
            }
        }
        return true
    }

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
        if type == .userName, token.body.length > 0 {
            // Policy id, user name, password (ByteString), encryption algorithm.
            var inner = WireReader(body)
            guard inner.skip(token.body.offset), Binary.skipBytes(&inner), let user = Binary.readBytes(&inner),
                let password = Binary.readBytes(&inner), let algorithm = Binary.readBytes(&inner)
            else { return false }
            target.name = text(body, user)
            target.count = max(0, password.length)
            let channelEncrypts = state.channel.mode == .signAndEncrypt
            if algorithm.isEmpty, password.length > 0, !channelEncrypts { decoded.anomalies.insert(.cleartextPassword) }
        }
        decoded.add(target)
        return true
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
