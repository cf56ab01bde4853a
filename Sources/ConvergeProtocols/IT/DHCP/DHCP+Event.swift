import ConvergeModel
import ConvergeWire

extension DHCP {
    /// Target kinds of a DHCP event; `address` is the option code (0 for header fields).
    public enum TargetKind {
        public static let clientMAC = "client_mac"
        public static let clientAddress = "client_address"
        public static let requestedAddress = "requested_address"
        /// yiaddr in an OFFER ("offered") or ACK ("leased").
        public static let offeredAddress = "offered_address"
        public static let leasedAddress = "leased_address"
        public static let hostName = "host_name"
        public static let clientFQDN = "client_fqdn"
        public static let vendorClass = "vendor_class"
        public static let clientIdentifier = "client_id"
        public static let parameterRequestList = "parameter_request_list"
        public static let serverIdentifier = "server_id"
        public static let router = "router"
        public static let dnsServer = "dns_server"
        public static let domainName = "domain_name"
        public static let leaseTime = "lease_time"
    }

    /// The normalised event: function the message type (`discover` … or `bootp_request`/
    /// `bootp_reply`), targets the identities and addresses it carries, NAK an exception.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let functionName =
            parsed.hasFunction
            ? messageTypeName(parsed.messageType) : (parsed.isReply ? "bootp_reply" : "bootp_request")
        let status: Message.Status = parsed.messageType == 6 ? .exception(code: 6, name: "nak") : .ok
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode, functionName: functionName,
            operation: parsed.hasFunction ? messageTypeOperation(parsed.messageType) : .discovery,
            targets: targets(parsed, bytes: bytes), status: status, anomalies: parsed.anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    static func targets(_ frame: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        func add(_ kind: String, _ code: UInt8, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            targets.append(Message.Target(kind: kind, address: Int(code), value: value))
        }
        if frame.clientMAC != 0 { add(TargetKind.clientMAC, 0, macText(frame.clientMAC)) }
        if frame.clientAddress != 0 { add(TargetKind.clientAddress, 0, IPAddress(v4: frame.clientAddress).description) }
        if frame.yourAddress != 0 {
            let kind = frame.messageType == 5 ? TargetKind.leasedAddress : TargetKind.offeredAddress
            add(kind, 0, IPAddress(v4: frame.yourAddress).description)
        }
        if frame.requestedAddress != 0 {
            add(TargetKind.requestedAddress, Option.requestedAddress, IPAddress(v4: frame.requestedAddress).description)
        }
        add(TargetKind.hostName, Option.hostName, text(frame.hostName, bytes))
        add(TargetKind.clientFQDN, Option.clientFQDN, fqdn(frame.clientFQDN, bytes))
        add(TargetKind.vendorClass, Option.vendorClass, text(frame.vendorClass, bytes))
        add(TargetKind.clientIdentifier, Option.clientIdentifier, hex(frame.clientIdentifier, bytes))
        add(
            TargetKind.parameterRequestList, Option.parameterRequestList,
            fingerprint(frame.parameterRequestList, bytes))
        if frame.serverIdentifier != 0 {
            add(TargetKind.serverIdentifier, Option.serverIdentifier, IPAddress(v4: frame.serverIdentifier).description)
        }
        for router in addresses(frame.routers, bytes) { add(TargetKind.router, Option.router, router.description) }
        for server in addresses(frame.domainNameServers, bytes) {
            add(TargetKind.dnsServer, Option.domainNameServer, server.description)
        }
        add(TargetKind.domainName, Option.domainName, text(frame.domainName, bytes))
        if let lease = frame.leaseTime {
            targets.append(
                Message.Target(kind: TargetKind.leaseTime, address: Int(Option.leaseTime), values: [Int(lease)]))
        }
        return targets
    }

    /// Where an option's bytes are, when present and inside `bytes`.
    static func range(_ option: OptionValue, _ bytes: Span<UInt8>) -> Range<Int>? {
        let start = Int(option.offset)
        let end = start &+ Int(option.length)
        guard option.isPresent, end <= bytes.count else { return nil }
        return start..<end
    }

    /// Text options (host name, vendor class, domain): UTF-8 kept, control bytes escaped, NULs
    /// that some clients append dropped.
    static func text(_ option: OptionValue, _ bytes: Span<UInt8>) -> String? {
        guard let found = range(option, bytes) else { return nil }
        var end = found.upperBound
        while end > found.lowerBound, bytes[end &- 1] == 0 { end &-= 1 }
        return end == found.lowerBound ? nil : DNS.text(bytes.extracting(found.lowerBound..<end))
    }

    /// Option 81 (RFC 4702): flags, two obsolete rcodes, then the name, in DNS wire form when
    /// the E flag (0x04) is set, else as ASCII.
    static func fqdn(_ option: OptionValue, _ bytes: Span<UInt8>) -> String? {
        guard let found = range(option, bytes), found.count > 3 else { return nil }
        let start = found.lowerBound &+ 3
        let end = found.upperBound
        if bytes[found.lowerBound] & 0x04 != 0 {
            // Compression is not allowed here: `base` at the name's start makes any pointer fail.
            let name = DNS.name(bytes, at: start, base: start, end: end)
                ?? partialName(bytes, at: start, end: end)
            return name == "." ? nil : name
        }
        return text(OptionValue(offset: Int32(truncatingIfNeeded: start), length: option.length &- 3), bytes)
    }

    /// A wire-form name without its root label (clients send a partial name that way).
    static func partialName(_ bytes: Span<UInt8>, at start: Int, end: Int) -> String? {
        var labels: [String] = []
        var position = start
        while position < end, labels.count < DNS.maxLabels {
            let count = Int(bytes[position])
            guard count > 0, count < 64, position &+ 1 &+ count <= end else { break }
            labels.append(DNS.text(bytes.extracting((position &+ 1)..<(position &+ 1 &+ count))))
            position &+= 1 &+ count
        }
        return labels.isEmpty ? nil : labels.joined(separator: ".")
    }

    /// Option 55 as `1,3,6,15,…` (the form fingerprint databases use).
    static func fingerprint(_ option: OptionValue, _ bytes: Span<UInt8>) -> String? {
        guard let found = range(option, bytes), !found.isEmpty else { return nil }
        var parts: [String] = []
        for index in found { parts.append(String(bytes[index])) }
        return parts.joined(separator: ",")
    }

    /// An option's bytes as colon-separated hex (client id: type byte first).
    static func hex(_ option: OptionValue, _ bytes: Span<UInt8>) -> String? {
        guard let found = range(option, bytes), !found.isEmpty else { return nil }
        var parts: [String] = []
        for index in found.prefix(64) {
            let byte = bytes[index]
            parts.append((byte < 16 ? "0" : "") + String(byte, radix: 16))
        }
        return parts.joined(separator: ":")
    }

    /// A list of IPv4 addresses (routers, DNS servers), at most 16.
    static func addresses(_ option: OptionValue, _ bytes: Span<UInt8>) -> [IPAddress] {
        guard let found = range(option, bytes) else { return [] }
        var out: [IPAddress] = []
        var offset = found.lowerBound
        while offset &+ 4 <= found.upperBound, out.count < 16 {
            out.append(IPAddress(v4: bytes.loadUInt32BE(at: offset)))
            offset &+= 4
        }
        return out
    }

    /// `aa:bb:cc:dd:ee:ff`.
    public static func macText(_ mac: UInt64) -> String { MACAddress.text(mac) }
}
