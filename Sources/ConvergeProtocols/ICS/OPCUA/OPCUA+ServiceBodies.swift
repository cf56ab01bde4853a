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
        /// Values: Boolean and integers in `values`; the rest in `value` (numbers bare, strings
        /// quoted, DateTime ISO 8601, StatusCode by name), followed by `;status=<name>` when a
        /// DataValue's status is not Good and `;source_time=<ISO 8601>` when it was stamped.
        public static let node = "node"
        /// A method called (`name`), with its object in `value` and input arguments' integers.
        public static let method = "method"
        /// A Call result: `address` its status code, values/value the output arguments.
        public static let callResult = "call_result"
        /// A reference a Browse returned: `name` the target NodeId, `value` its browse name,
        /// `address` its node class.
        public static let reference = "reference"
        /// A data change a Publish delivered: `address` the client handle, `name` the NodeId
        /// when the CreateMonitoredItems request was seen, values/value as for `node`.
        public static let dataChange = "data_change"
        /// A subscription: `address` its id (0 when not yet assigned), `value` its parameters;
        /// in a Publish response the NotificationMessage (`count` notifications, `values` its
        /// sequence number).
        public static let subscription = "subscription"
        /// One operation's result in a response (Write, HistoryRead, Browse, node management,
        /// monitored items): `address` the StatusCode, `name` the node the request named,
        /// `value` the status name.
        public static let result = "result"
        /// An EventNotificationList a Publish delivered: `count` the events, `address` the
        /// subscription.
        public static let eventNotification = "event_notification"
        /// A StatusChangeNotification: `address` the subscription's new status.
        public static let statusChange = "status_change"
        /// A Publish request's acknowledgement: `address` the subscription, `values` the sequence
        /// number acknowledged.
        public static let acknowledgement = "acknowledgement"
        /// A BrowseNext continuation point: `count` its length, `address` 1 when released.
        public static let continuationPoint = "continuation_point"
        /// An endpoint: `name` the URL, `address` the security mode, `value` the policy URI.
        public static let endpoint = "endpoint"
        /// An application description: `name` the application URI, `value` its name,
        /// `address` its type (0 server, 1 client, 2 both, 3 discovery server).
        public static let application = "application"
        /// ActivateSession's user identity: `address` the token type (0 anonymous, 1 user name,
        /// 2 certificate, 3 issued, -1 unknown), `name` the user name (never the password),
        /// `count` the secret's length in bytes (password, certificate or issued token), `value`
        /// the type's name, then for a user name `;password=none|clear|encrypted` and the
        /// encryption algorithm URI when there is one (`;algorithm=<uri>`).
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
        /// The chunked message an abort chunk ended: `address` its service id, `name` the
        /// service, `count` its chunks including the abort.
        public static let abortedMessage = "aborted_message"
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
        case ServiceID.writeRequest: ok = writeRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.historyReadRequest: ok = historyReadRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.historyReadResponse: ok = historyReadResponse(&r, body, parsed, &decoded, &state)
        case ServiceID.historyUpdateRequest: ok = historyUpdateRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.historyUpdateResponse: ok = historyUpdateResponse(&r, parsed, &decoded, &state)
        case ServiceID.writeResponse, ServiceID.addReferencesResponse, ServiceID.deleteNodesResponse,
            ServiceID.deleteReferencesResponse:
            ok = resultsResponse(&r, parsed, &decoded, &state)
        case ServiceID.browseRequest: ok = browseRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.browseResponse, ServiceID.browseNextResponse:
            ok = browseResponse(&r, body, parsed, &decoded, &state)
        case ServiceID.browseNextRequest: ok = browseNextRequest(&r, &decoded)
        case ServiceID.translateBrowsePathsRequest: ok = translateRequest(&r, body, &decoded)
        case ServiceID.translateBrowsePathsResponse: ok = translateResponse(&r, body, &decoded)
        case ServiceID.registerNodesRequest, ServiceID.registerNodesResponse, ServiceID.unregisterNodesRequest:
            ok = nodeArray(&r, body, &decoded)
        case ServiceID.addNodesRequest: ok = addNodesRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.addNodesResponse: ok = addNodesResponse(&r, body, &decoded)
        case ServiceID.addReferencesRequest, ServiceID.deleteReferencesRequest:
            let adding = parsed.serviceID == ServiceID.addReferencesRequest
            ok = referencesRequest(&r, body, adding: adding, parsed, &decoded, &state)
        case ServiceID.deleteNodesRequest: ok = deleteNodesRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.callRequest: ok = callRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.callResponse: ok = callResponse(&r, body, parsed, &decoded, &state)
        case ServiceID.createSubscriptionRequest: ok = createSubscriptionRequest(&r, &decoded)
        case ServiceID.createSubscriptionResponse: ok = createSubscriptionResponse(&r, &decoded)
        case ServiceID.modifySubscriptionRequest: ok = modifySubscriptionRequest(&r, &decoded)
        case ServiceID.modifySubscriptionResponse: ok = revisedSubscription(&r, id: 0, &decoded)
        case ServiceID.deleteSubscriptionsRequest: ok = subscriptionIDs(&r, note: "delete", &decoded)
        case ServiceID.transferSubscriptionsRequest: ok = subscriptionIDs(&r, note: "transfer", &decoded)
        case ServiceID.setPublishingModeRequest:
            guard let enabled = r.u8() else {
                ok = false
                break
            }
            ok = subscriptionIDs(&r, note: "publishing_enabled=\(enabled != 0)", &decoded)
        case ServiceID.deleteSubscriptionsResponse: ok = resultsResponse(&r, parsed, &decoded, &state)
        case ServiceID.createMonitoredItemsRequest: ok = createMonitoredItemsRequest(&r, body, parsed, &decoded, &state)
        case ServiceID.createMonitoredItemsResponse: ok = createMonitoredItemsResponse(&r, parsed, &decoded, &state)
        case ServiceID.deleteMonitoredItemsRequest: ok = deleteMonitoredItemsRequest(&r, &decoded)
        case ServiceID.publishRequest: ok = publishRequest(&r, &decoded)
        case ServiceID.publishResponse: ok = publishResponse(&r, body, &decoded, &state)
        case ServiceID.republishResponse: ok = republishResponse(&r, body, &decoded, &state)
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

}
