import ConvergeModel

extension Kerberos {
    /// Role hints written as `AssetFact.Kind.role` values.
    public enum Role {
        public static let kdc = "kerberos_kdc"
    }

    /// What a message says about the endpoints: a KDC request names the client's realm; the
    /// KDC's answers (a reply, or a pre-authentication error, which only a known principal gets)
    /// name the client's user; they also make the server a `kerberos_kdc` of that realm and
    /// name the service it issues tickets for in an AS exchange (`krbtgt/REALM`). A TGS-REQ's
    /// server principal names a service elsewhere, so it stays in the event. Nothing from a
    /// ticket or an encrypted part is ever read.
    public static func facts(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        var facts: [AssetFact] = []
        func fact(_ endpoint: Endpoint, _ kind: AssetFact.Kind, _ value: String, _ source: String) {
            guard isPlausibleName(value) else { return }
            let item = AssetFact(
                time: context.time, address: endpoint.address, kind: kind, value: value, source: source)
            if !facts.contains(item) { facts.append(item) }
        }
        let source = "kerberos/" + MessageType.name(parsed.messageType)
        let realm = parsed.realm.text(bytes, limit: maxNameLength)
        let client = principalText(parsed.clientName, bytes)
        switch parsed.messageType {
        case MessageType.asRequest where parsed.direction == .toServer:
            // The user is taken from the KDC's answer: a request may name a user that does not exist.
            fact(context.client, .domain, realm, source)
            fact(context.server, .service, principalText(parsed.serverName, bytes), source)
        case MessageType.tgsRequest where parsed.direction == .toServer:
            fact(context.client, .domain, realm, source)
        case MessageType.asReply where parsed.direction == .toClient,
            MessageType.tgsReply where parsed.direction == .toClient:
            fact(context.server, .role, Role.kdc, source)
            fact(context.server, .domain, parsed.otherRealm.text(bytes, limit: maxNameLength), source)
            fact(context.client, .domain, realm, source)
            fact(context.client, .userName, userName(client, realm), source)
            if parsed.messageType == MessageType.asReply {
                fact(context.server, .service, principalText(parsed.serverName, bytes), source)
            }
        case MessageType.error where parsed.direction == .toClient:
            fact(context.server, .role, Role.kdc, source)
            fact(context.server, .domain, realm, source)
            // Only a name the KDC knows is a user: an unknown principal is an enumeration attempt.
            if parsed.errorCode == ErrorCode.preauthRequired || parsed.errorCode == ErrorCode.preauthFailed {
                let clientRealm = parsed.otherRealm.text(bytes, limit: maxNameLength)
                fact(context.client, .userName, userName(client, clientRealm.isEmpty ? realm : clientRealm), source)
            }
        default:
            break
        }
        return facts
    }

    /// `user@REALM`, or the user alone when the realm is unknown.
    static func userName(_ user: String, _ realm: String) -> String {
        guard !user.isEmpty else { return "" }
        return realm.isEmpty ? user : user + "@" + realm
    }

    /// Whether wire text is worth recording: at least two characters, none of them control or
    /// replacement characters.
    static func isPlausibleName(_ value: String) -> Bool {
        var count = 0
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FFFD}" || scalar == "?" { return false }
            count &+= 1
        }
        return count >= 2
    }
}
