import ConvergeModel

extension SMB {
    /// Role hints written as `AssetFact.Kind.role` values.
    public enum Role {
        public static let server = "smb_server"
    }

    /// What a message says about the endpoints: an NTLM CHALLENGE names the server (NetBIOS and
    /// DNS computer names, domain, Windows version); an AUTHENTICATE names the client's
    /// workstation, domain and user (never its hashes); SMB1 session setups give the native OS.
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
        let sender = parsed.direction == .toServer ? context.client : context.server
        if parsed.isResponse && parsed.command == 0 && parsed.version == .smb2 && parsed.chosenDialect != 0 {
            fact(context.server, .role, Role.server, "smb/negotiate")
        }
        if let info = NTLMSSP.info(parsed, bytes: bytes) {
            switch info.type {
            case NTLMSSP.challenge:
                let source = "smb/ntlm.challenge"
                fact(sender, .hostname, info.av(NTLMSSP.AvID.dnsComputer) ?? "", source)
                fact(sender, .hostname, info.av(NTLMSSP.AvID.netBIOSComputer) ?? "", source)
                fact(sender, .domain, info.av(NTLMSSP.AvID.dnsDomain) ?? "", source)
                fact(sender, .domain, info.av(NTLMSSP.AvID.netBIOSDomain) ?? "", source)
            case NTLMSSP.authenticate:
                let source = "smb/ntlm.authenticate"
                fact(sender, .hostname, info.workstation, source)
                fact(sender, .domain, info.domain, source)
                if !info.user.isEmpty {
                    fact(sender, .userName, info.domain.isEmpty ? info.user : info.domain + "\\" + info.user, source)
                }
            default:
                break
            }
            fact(sender, .os, info.osName ?? "", "smb/ntlm")
        }
        for (kind, value) in nativeStrings(parsed, bytes) {
            switch kind {
            case TargetKind.nativeOS: fact(sender, .os, value, "smb/session_setup_andx.native_os")
            case TargetKind.user where parsed.direction == .toServer:
                fact(sender, .userName, value, "smb/session_setup_andx")
            case TargetKind.domain: fact(sender, .domain, value, "smb/session_setup_andx")
            default: break
            }
        }
        return facts
    }
}

extension SMB {
    /// Whether wire text is worth recording as an identity: at least two characters, no control
    /// characters and nothing that failed to decode (fuzzed or misaligned strings are not names).
    static func isPlausibleName(_ value: String) -> Bool {
        var count = 0
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FFFD}" { return false }
            count &+= 1
        }
        return count >= 2
    }
}
