import ConvergeModel

extension LDAP {
    /// Role hints written as `AssetFact.Kind.role` values.
    public enum Role {
        public static let server = "ldap_server"
    }

    /// Attributes of an entry looked at for facts; more are ignored.
    public static let maxEntryAttributes = 256

    /// What a message says about the endpoints: a bind names the client's user (the DN or
    /// name it binds as, never the password); any answer makes the server an `ldap_server`; the
    /// root DSE (the entry with the empty DN, which CLDAP pings and clients read first) names the
    /// server (`dnsHostName`, `serverName`), its domain (`defaultNamingContext`) and software
    /// (`vendorName`, `vendorVersion`). Other entries describe directory objects, not the
    /// endpoints, so they give no facts.
    public static func facts(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.hasOp else { return [] }
        var facts: [AssetFact] = []
        func fact(_ endpoint: Endpoint, _ kind: AssetFact.Kind, _ value: String, _ source: String) {
            guard Kerberos.isPlausibleName(value) else { return }
            let item = AssetFact(
                time: context.time, address: endpoint.address, kind: kind, value: value, source: source)
            if !facts.contains(item) { facts.append(item) }
        }
        let source = "ldap/" + Op.name(parsed.op)
        if parsed.direction == .toServer {
            if parsed.op == Op.bindRequest {
                fact(context.client, .userName, parsed.dn.text(bytes, limit: maxTextLength), source)
            }
            return facts
        }
        guard Op.isResponse(parsed.op) else { return facts }
        fact(context.server, .role, Role.server, source)
        guard parsed.op == Op.searchResultEntry, parsed.dn.isEmpty, !parsed.attributes.isEmpty else { return facts }
        var attributes = BERWalk.Cursor(from: parsed.attributes.offset, to: parsed.attributes.end)
        var seen = 0
        while seen < maxEntryAttributes, let attribute = attributes.next(bytes) {
            seen &+= 1
            var parts = BERWalk.Cursor(inside: attribute)
            guard let type = parts.next(bytes), let values = parts.next(bytes) else { continue }
            let name = BERSlice(value: type, in: bytes)
            var items = BERWalk.Cursor(inside: values)
            guard let first = items.next(bytes) else { continue }
            let value = BERSlice(value: first, in: bytes)
            let rootSource = "ldap/rootdse." + name.text(bytes, limit: 64)
            if name.equalsIgnoringCase(bytes, "dnshostname") {
                fact(context.server, .hostname, value.text(bytes, limit: maxTextLength), rootSource)
            } else if name.equalsIgnoringCase(bytes, "servername") {
                fact(context.server, .hostname, firstRDNValue(value.text(bytes, limit: maxTextLength)), rootSource)
            } else if name.equalsIgnoringCase(bytes, "defaultnamingcontext") {
                fact(context.server, .domain, domainName(value.text(bytes, limit: maxTextLength)), rootSource)
            } else if name.equalsIgnoringCase(bytes, "vendorname") {
                fact(context.server, .vendor, value.text(bytes, limit: maxTextLength), rootSource)
            } else if name.equalsIgnoringCase(bytes, "vendorversion") {
                fact(context.server, .software, value.text(bytes, limit: maxTextLength), rootSource)
            }
        }
        return facts
    }

    /// `CN=DC1,CN=Servers,…` → `DC1`.
    static func firstRDNValue(_ dn: String) -> String {
        guard let rdn = dn.split(separator: ",", maxSplits: 1).first,
            let equals = rdn.firstIndex(of: "=")
        else { return "" }
        return String(rdn[rdn.index(after: equals)...]).trimmingSpaces()
    }

    /// `DC=corp,DC=example,DC=com` → `corp.example.com`; a DN with no DC components gives "".
    static func domainName(_ dn: String) -> String {
        var labels: [String] = []
        for component in dn.split(separator: ",") {
            let pair = component.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "dc" else { continue }
            labels.append(pair[1].trimmingSpaces())
        }
        return labels.joined(separator: ".")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces (Foundation-free).
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
