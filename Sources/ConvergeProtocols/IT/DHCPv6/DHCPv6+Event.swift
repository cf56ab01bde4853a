import ConvergeModel
import ConvergeWire

extension DHCPv6 {
    public static func messageTypeName(_ type: UInt8) -> String {
        switch type {
        case 1: "solicit"
        case 2: "advertise"
        case 3: "request"
        case 4: "confirm"
        case 5: "renew"
        case 6: "rebind"
        case 7: "reply"
        case 8: "release"
        case 9: "decline"
        case 10: "reconfigure"
        case 11: "information_request"
        case 12: "relay_forward"
        case 13: "relay_reply"
        case 14: "lease_query"
        case 15: "lease_query_reply"
        case 16: "lease_query_done"
        case 17: "lease_query_data"
        default: "message_type_\(type)"
        }
    }

    static func operation(_ type: UInt8) -> Operation {
        switch type {
        case 1, 2, 11: .discovery
        case 3...9: .session
        case 10: .control
        case 14...17: .read
        default: .other
        }
    }

    /// The event: function the outer type, with the client's type after a relay
    /// (`relay_forward.solicit`); targets the DUIDs, FQDN, vendor class, ORO and addresses.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var functionName = messageTypeName(parsed.messageType)
        if parsed.relayDepth > 0, parsed.innerType != 0 { functionName += "." + messageTypeName(parsed.innerType) }
        var targets: [Message.Target] = []
        func add(_ kind: String, _ code: UInt16, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            targets.append(Message.Target(kind: kind, address: Int(code), value: value))
        }
        add("client_duid", Option.clientID, hex(parsed.clientID, bytes))
        add("server_duid", Option.serverID, hex(parsed.serverID, bytes))
        add("client_fqdn", Option.clientFQDN, fqdn(parsed.clientFQDN, bytes))
        add("vendor_class", Option.vendorClass, vendorClass(parsed.vendorClass, bytes))
        add("option_request", Option.optionRequest, optionRequest(parsed.optionRequest, bytes))
        add("address", Option.iaAddress, address(parsed.iaAddressOffset, bytes)?.description)
        for server in addresses(parsed.dnsServers, bytes) { add("dns_server", Option.dnsServers, server.description) }
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server, proto: name,
            direction: parsed.direction, functionCode: parsed.functionCode, functionName: functionName,
            operation: operation(parsed.innerType != 0 ? parsed.innerType : parsed.messageType), targets: targets,
            status: .ok, anomalies: parsed.anomalies.names)
    }

    /// A client's message (SOLICIT, REQUEST, RENEW, REBIND, INFORMATION-REQUEST, CONFIRM) tells
    /// about the client (the relay's peer address, else the sender): `hostname` from its FQDN,
    /// `vendor_class`, the ORO as `dhcp_fingerprint` and the MAC inside a link-layer DUID. A
    /// server's REPLY names its DNS servers' `role`.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        let type = parsed.innerType
        let source = name + "/" + messageTypeName(type)
        var facts: [AssetFact] = []
        func add(_ address: IPAddress, _ kind: AssetFact.Kind, _ value: String?) {
            guard let value, !value.isEmpty, address != IPAddress.none else { return }
            let fact = AssetFact(time: context.time, address: address, kind: kind, value: value, source: source)
            if !facts.contains(fact) { facts.append(fact) }
        }
        if [1, 3, 4, 5, 6, 11].contains(type) {
            let sender = parsed.direction == .toServer ? context.client.address : context.server.address
            let client = address(parsed.peerAddressOffset, bytes) ?? sender
            add(client, .hostname, fqdn(parsed.clientFQDN, bytes))
            add(client, .vendorClass, vendorClass(parsed.vendorClass, bytes))
            add(client, .dhcpFingerprint, optionRequest(parsed.optionRequest, bytes))
            add(client, .macAddress, duidMAC(parsed.clientID, bytes))
        } else if type == 7 {
            for server in addresses(parsed.dnsServers, bytes) { add(server, .role, "dns_server") }
        }
        return facts
    }

    static func valid(_ option: DHCP.OptionValue16, _ bytes: Span<UInt8>) -> Range<Int>? {
        guard option.isPresent, option.range.upperBound <= bytes.count else { return nil }
        return option.range
    }

    static func hex(_ option: DHCP.OptionValue16, _ bytes: Span<UInt8>) -> String? {
        guard let range = valid(option, bytes), !range.isEmpty else { return nil }
        return range.prefix(64).map { (bytes[$0] < 16 ? "0" : "") + String(bytes[$0], radix: 16) }.joined()
    }

    /// Option 39 (RFC 4704): a flags byte, then the name in DNS wire form (often partial).
    static func fqdn(_ option: DHCP.OptionValue16, _ bytes: Span<UInt8>) -> String? {
        guard let range = valid(option, bytes), range.count > 1 else { return nil }
        let start = range.lowerBound &+ 1
        let name = DNS.name(bytes, at: start, base: start, end: range.upperBound)
            ?? DHCP.partialName(bytes, at: start, end: range.upperBound)
        return name == "." ? nil : name
    }

    /// Option 16: enterprise number, then length-prefixed class data; the first one as text.
    static func vendorClass(_ option: DHCP.OptionValue16, _ bytes: Span<UInt8>) -> String? {
        guard let range = valid(option, bytes), range.count >= 6, let length = bytes.uint16BE(at: range.lowerBound &+ 4)
        else { return nil }
        let start = range.lowerBound &+ 6
        let end = min(start &+ Int(length), range.upperBound)
        guard end > start else { return nil }
        return DNS.text(bytes.extracting(start..<end))
    }

    /// Option 6 as `24,23,17,39`.
    static func optionRequest(_ option: DHCP.OptionValue16, _ bytes: Span<UInt8>) -> String? {
        guard let range = valid(option, bytes), range.count >= 2 else { return nil }
        var codes: [String] = []
        var offset = range.lowerBound
        while offset &+ 2 <= range.upperBound, codes.count < 64, let code = bytes.uint16BE(at: offset) {
            codes.append(String(code))
            offset &+= 2
        }
        return codes.joined(separator: ",")
    }

    /// The 16-byte address at `offset`.
    static func address(_ offset: Int32, _ bytes: Span<UInt8>) -> IPAddress? {
        let start = Int(offset)
        guard start > 0, start &+ 16 <= bytes.count else { return nil }
        let high = UInt64(bytes.loadUInt32BE(at: start)) << 32 | UInt64(bytes.loadUInt32BE(at: start &+ 4))
        let low = UInt64(bytes.loadUInt32BE(at: start &+ 8)) << 32 | UInt64(bytes.loadUInt32BE(at: start &+ 12))
        return IPAddress(v6High: high, low: low)
    }

    static func addresses(_ option: DHCP.OptionValue16, _ bytes: Span<UInt8>) -> [IPAddress] {
        guard let range = valid(option, bytes) else { return [] }
        var out: [IPAddress] = []
        var offset = range.lowerBound
        while offset &+ 16 <= range.upperBound, out.count < 16, let found = address(Int32(offset), bytes) {
            out.append(found)
            offset &+= 16
        }
        return out
    }

    /// The Ethernet address in a DUID-LLT (type 1: hardware type 1, time, MAC) or DUID-LL (type 3).
    static func duidMAC(_ option: DHCP.OptionValue16, _ bytes: Span<UInt8>) -> String? {
        guard let range = valid(option, bytes), let type = bytes.uint16BE(at: range.lowerBound),
            let hardware = bytes.uint16BE(at: range.lowerBound &+ 2), hardware == 1
        else { return nil }
        let macStart = range.lowerBound &+ (type == 1 ? 8 : type == 3 ? 4 : -1)
        guard macStart > range.lowerBound, macStart &+ 6 == range.upperBound else { return nil }
        var mac: UInt64 = 0
        for index in macStart..<(macStart &+ 6) { mac = mac << 8 | UInt64(bytes[index]) }
        return DHCP.macText(mac)
    }
}
