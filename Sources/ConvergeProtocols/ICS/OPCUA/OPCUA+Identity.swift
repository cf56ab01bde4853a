import ConvergeModel

extension OPCUA {
    /// What a message reveals about its endpoints: the server's application description
    /// (GetEndpoints and CreateSession responses; a FindServers response that lists exactly one
    /// server, which is then the responder itself), host names in the server's endpoint URLs, and
    /// the client's description in a CreateSession request. Application name → model, product URI
    /// → product code, application URI → module name, the application type → role.
    public static func facts(
        _ parsed: Chunk, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.hasFunction, parsed.serviceNamespace == 0 else { return [] }
        let id = parsed.serviceID
        guard
            id == ServiceID.getEndpointsResponse || id == ServiceID.findServersResponse
                || id == ServiceID.createSessionResponse || id == ServiceID.createSessionRequest
        else { return [] }
        var scratch = state
        let chunk = bytes.extracting(0..<min(parsed.size, bytes.count))
        let decoded = decode(parsed, chunk: chunk, state: &scratch)
        let isClient = id == ServiceID.createSessionRequest
        if id == ServiceID.findServersResponse, decoded.applications.count != 1 { return [] }
        let address = isClient ? context.client.address : context.server.address
        let source = "opcua/\(id)"
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String) {
            let trimmed = String(value.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            guard !trimmed.isEmpty else { return }
            let fact = AssetFact(time: context.time, address: address, kind: kind, value: trimmed, source: source)
            if !facts.contains(fact) { facts.append(fact) }
        }
        // GetEndpoints lists the same server once per endpoint: the first description speaks for it.
        if let application = decoded.applications.first {
            add(.model, application.name)
            add(.productCode, application.productURI)
            add(.moduleName, application.uri)
            add(.role, role(application.type))
        }
        if !isClient { for host in decoded.endpointHosts.prefix(4) { add(.hostname, host) } }
        return facts
    }

    /// ApplicationType (OPC 10000-4 §7.4) as a role hint.
    static func role(_ type: Int) -> String {
        switch type {
        case 0: "opcua_server"
        case 1: "opcua_client"
        case 2: "opcua_client_and_server"
        case 3: "opcua_discovery_server"
        default: ""
        }
    }
}
