import ConvergeModel
import ConvergeWire

extension DHCP {
    /// What a message says about hosts:
    /// - a client's message (op 1), about the address it has (ciaddr) or asks for (option 50):
    ///   its host name (12, or 81), vendor class (60), parameter-request-list fingerprint (55) and
    ///   MAC; a client with neither address (a first DISCOVER) gives nothing to hang them on;
    /// - a server's ACK, about the leased address (yiaddr): the client's MAC and any host name;
    /// - a server's OFFER or ACK, about the servers it names: `role` `dhcp_server` (option 54),
    ///   `router` (3) and `dns_server` (6).
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        let source = name + "/" + (parsed.hasFunction ? messageTypeName(parsed.messageType) : "bootp")
        var facts: [AssetFact] = []
        func add(_ address: UInt32, _ kind: AssetFact.Kind, _ value: String?) {
            guard address != 0, let value, !value.isEmpty else { return }
            let fact = AssetFact(
                time: context.time, address: IPAddress(v4: address), kind: kind, value: value, source: source)
            if !facts.contains(fact) { facts.append(fact) }
        }
        if parsed.op == 1 {
            let host = parsed.clientAddress != 0 ? parsed.clientAddress : parsed.requestedAddress
            // A DECLINE names an address the client found taken by someone else; RELEASE is fine.
            guard parsed.messageType != 4 else { return [] }
            add(host, .hostname, text(parsed.hostName, bytes))
            add(host, .hostname, fqdn(parsed.clientFQDN, bytes))
            add(host, .vendorClass, text(parsed.vendorClass, bytes))
            add(host, .dhcpFingerprint, fingerprint(parsed.parameterRequestList, bytes))
            if parsed.clientMAC != 0 { add(host, .macAddress, macText(parsed.clientMAC)) }
        } else if parsed.op == 2 {
            if parsed.messageType == 5 {
                if parsed.clientMAC != 0 { add(parsed.yourAddress, .macAddress, macText(parsed.clientMAC)) }
                add(parsed.yourAddress, .hostname, text(parsed.hostName, bytes))
                add(parsed.yourAddress, .hostname, fqdn(parsed.clientFQDN, bytes))
            }
            if parsed.messageType == 2 || parsed.messageType == 5 {
                add(parsed.serverIdentifier, .role, "dhcp_server")
                for router in addresses(parsed.routers, bytes) { add(router.v4 ?? 0, .role, "router") }
                for server in addresses(parsed.domainNameServers, bytes) { add(server.v4 ?? 0, .role, "dns_server") }
            }
        }
        return facts
    }
}
