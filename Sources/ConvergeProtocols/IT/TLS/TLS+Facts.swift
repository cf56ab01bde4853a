import ConvergeModel

extension TLS {
    /// What a handshake reveals: the name the client asked for and the client's fingerprints
    /// (ClientHello), the server's fingerprint (ServerHello), the server's certificate.
    public static func facts(_ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact]
    {
        guard parsed.kind == .handshake else { return [] }
        let client = context.client.address
        let server = context.server.address
        func fact(_ address: IPAddress, _ kind: AssetFact.Kind, _ value: String, _ source: String) -> AssetFact {
            AssetFact(time: context.time, address: address, kind: kind, value: value, source: "tls/" + source)
        }
        return withBody(parsed, bytes: bytes, state: state) { body -> [AssetFact] in
            switch parsed.handshake {
            case .clientHello:
                guard let hello = ClientDetails(body) else { return [] }
                var facts = [
                    fact(client, .fingerprint, "ja3=" + Fingerprint.ja3(hello), "client_hello"),
                    fact(client, .fingerprint, "ja4=" + Fingerprint.ja4(hello), "client_hello"),
                ]
                if let name = hello.serverName, !name.isEmpty {
                    facts.append(fact(server, .hostname, name, "client_hello.sni"))
                }
                return facts
            case .serverHello:
                guard let hello = ServerHello.read(body),
                    let ja3s = ja3sTarget(
                        hello, extensions: serverExtensions(body, hello)
                    ).value
                else { return [] }
                return [fact(server, .fingerprint, "ja3s=" + ja3s, "server_hello")]
            case .certificate:
                guard let summary = firstCertificate(body) else { return [] }
                let subject = CertificateSummary.distinguished(
                    commonName: summary.subjectCommonName, organization: summary.subjectOrganization)
                var facts = [
                    fact(server, .certificate, subject + "; " + certificateDescription(summary), "certificate")
                ]
                if let name = summary.subjectCommonName, looksLikeHostName(name) {
                    facts.append(fact(server, .hostname, name, "certificate.cn"))
                }
                return facts
            default:
                return []
            }
        }
    }

    /// A common name used as a host name: letters, digits, dots and hyphens, not a wildcard.
    static func looksLikeHostName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
                    || byte == 0x2e || byte == 0x2d
            }
    }
}
