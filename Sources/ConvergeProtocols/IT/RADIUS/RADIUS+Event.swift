import ConvergeModel

extension RADIUS {
    public enum TargetKind {
        /// User-Name (`name`): the end user's login, not the NAS's.
        public static let userName = "user_name"
        /// `name` the credential kinds present: `pap`, `chap`, `eap` joined by `,`.
        public static let credentials = "credentials"
        /// `name` the NAS-IP-Address.
        public static let nasIPAddress = "nas_ip_address"
        /// `name` the NAS-Identifier.
        public static let nasIdentifier = "nas_identifier"
        /// `name` the Calling-Station-Id (a MAC, an IP or a phone number).
        public static let callingStationID = "calling_station_id"
        /// `name` the Framed-IP-Address given to the user.
        public static let framedIPAddress = "framed_ip_address"
        /// `values` [Acct-Status-Type], `name` its name.
        public static let acctStatusType = "acct_status_type"
        /// `value` the Reply-Message text.
        public static let replyMessage = "reply_message"
    }

    /// Longest attribute text kept in an event (an attribute holds at most 253 bytes).
    public static let maxTextLength = 253

    public static func codeName(_ code: UInt8) -> String {
        switch code {
        case Code.accessRequest: "access_request"
        case Code.accessAccept: "access_accept"
        case Code.accessReject: "access_reject"
        case Code.accountingRequest: "accounting_request"
        case Code.accountingResponse: "accounting_response"
        case Code.accessChallenge: "access_challenge"
        case Code.statusServer: "status_server"
        case Code.statusClient: "status_client"
        case Code.disconnectRequest: "disconnect_request"
        case Code.disconnectACK: "disconnect_ack"
        case Code.disconnectNAK: "disconnect_nak"
        case Code.coaRequest: "coa_request"
        case Code.coaACK: "coa_ack"
        case Code.coaNAK: "coa_nak"
        default: "code_" + String(code)
        }
    }

    public static func acctStatusName(_ type: Int) -> String {
        switch type {
        case 1: "start"
        case 2: "stop"
        case 3: "interim_update"
        case 7: "accounting_on"
        case 8: "accounting_off"
        default: "type_" + String(type)
        }
    }

    /// Access-* are `auth`, accounting `other`, Status-Server `diagnostic`, Disconnect and CoA
    /// (which end or change a user's session) `control`.
    public static func operation(_ code: UInt8) -> Operation {
        switch code {
        case Code.accessRequest, Code.accessAccept, Code.accessReject, Code.accessChallenge: .auth
        case Code.statusServer, Code.statusClient: .diagnostic
        case Code.disconnectRequest, Code.disconnectACK, Code.disconnectNAK, Code.coaRequest, Code.coaACK,
            Code.coaNAK:
            .control
        default: .other
        }
    }

    public static func event(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        typealias Target = ConvergeModel.Message.Target
        var targets: [Target] = []
        if parsed.userName.isPresent {
            targets.append(Target(kind: TargetKind.userName, address: -1, name: text(bytes, parsed.userName)))
        }
        var methods: [String] = []
        if parsed.credentials.contains(.password) { methods.append("pap") }
        if parsed.credentials.contains(.chap) { methods.append("chap") }
        if parsed.credentials.contains(.eap) { methods.append("eap") }
        if !methods.isEmpty {
            targets.append(Target(kind: TargetKind.credentials, address: -1, name: methods.joined(separator: ",")))
        }
        if parsed.nasIPAddress != 0 {
            targets.append(Target(kind: TargetKind.nasIPAddress, address: -1,
                                  name: IPAddress(v4: parsed.nasIPAddress).description))
        }
        if parsed.nasIdentifier.isPresent {
            targets.append(Target(kind: TargetKind.nasIdentifier, address: -1, name: text(bytes, parsed.nasIdentifier)))
        }
        if parsed.callingStationID.isPresent {
            targets.append(Target(kind: TargetKind.callingStationID, address: -1,
                                  name: text(bytes, parsed.callingStationID)))
        }
        if parsed.framedIPAddress != 0 {
            targets.append(Target(kind: TargetKind.framedIPAddress, address: -1,
                                  name: IPAddress(v4: parsed.framedIPAddress).description))
        }
        if parsed.acctStatusType >= 0 {
            targets.append(Target(kind: TargetKind.acctStatusType, address: -1, values: [parsed.acctStatusType],
                                  name: acctStatusName(parsed.acctStatusType)))
        }
        if parsed.replyMessage.isPresent {
            targets.append(Target(kind: TargetKind.replyMessage, address: -1, value: text(bytes, parsed.replyMessage)))
        }
        let status: ConvergeModel.Message.Status
        switch parsed.code {
        case Code.accessReject, Code.disconnectNAK, Code.coaNAK:
            status = .exception(code: Int(parsed.code), name: codeName(parsed.code))
        case _ where isResponse(parsed.code): status = .ok
        default: status = .pending
        }
        var event = ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: codeName(parsed.code), operation: operation(parsed.code), targets: targets, status: status,
            anomalies: parsed.anomalies.names)
        if parsed.roundTripNanoseconds >= 0 { event.roundTripNanoseconds = parsed.roundTripNanoseconds }
        return event
    }

    /// On the NAS (the request's sender): its NAS-Identifier as `hostname`, its NAS-IP-Address as
    /// `ip_address`, role `radius_nas`; on the server answering: role `radius_server`. The
    /// User-Name belongs to the end user: it becomes a `user_name` fact only on a host the packet
    /// names by IP address (a Calling-Station-Id that is an IP, a Framed-IP-Address).
    public static func facts(
        _ parsed: Packet, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard isKnown(parsed.code) else { return [] }
        var facts: [AssetFact] = []
        let fromClient = parsed.direction == .toServer
        let sender = fromClient ? context.client.address : context.server.address
        func add(_ address: IPAddress, _ kind: AssetFact.Kind, _ value: String, _ field: String) {
            facts.append(AssetFact(time: context.time, address: address, kind: kind, value: value,
                                   source: "radius/" + codeName(parsed.code) + "/" + field))
        }
        if isResponse(parsed.code) {
            if parsed.requestCode != 0 { add(sender, .role, "radius_server", "response") }
            return facts
        }
        add(sender, .role, "radius_nas", "request")
        let nasIdentifier = text(bytes, parsed.nasIdentifier)
        if !nasIdentifier.isEmpty, !nasIdentifier.contains("\u{FFFD}") {
            add(sender, .hostname, nasIdentifier, "nas_identifier")
        }
        if parsed.nasIPAddress != 0 {
            add(sender, .ipAddress, IPAddress(v4: parsed.nasIPAddress).description, "nas_ip_address")
        }
        let user = text(bytes, parsed.userName)
        guard !user.isEmpty, !user.contains("\u{FFFD}") else { return facts }
        if let station = IPAddress(text(bytes, parsed.callingStationID)) {
            add(station, .userName, user, "calling_station_id")
        }
        if parsed.framedIPAddress != 0 {
            add(IPAddress(v4: parsed.framedIPAddress), .userName, user, "framed_ip_address")
        }
        return facts
    }

    /// Printable ASCII, others as U+FFFD, at most `maxTextLength` characters.
    static func text(_ bytes: Span<UInt8>, _ field: Packet.Field) -> String {
        var scalars = String.UnicodeScalarView()
        var index = max(0, field.offset)
        let end = min(bytes.count, field.offset &+ min(field.length, maxTextLength))
        while index < end {
            let byte = bytes[index]
            scalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "\u{FFFD}")
            index &+= 1
        }
        return String(scalars)
    }
}
