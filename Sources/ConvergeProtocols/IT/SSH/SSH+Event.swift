import ConvergeModel

extension SSH {
    public enum TargetKind {
        public static let banner = "banner"
        public static let hassh = "hassh"
        public static let hasshServer = "hassh_server"
        public static let kex = "kex_algorithms"
        public static let hostKey = "host_key_algorithms"
    }

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var anomalies = parsed.anomalies
        var targets: [Message.Target] = []
        let frameBytes = bytes.extracting(0..<min(Int(parsed.length), bytes.count))
        switch parsed.kind {
        case .banner:
            if let banner = Banner(frameBytes) {
                targets.append(
                    Message.Target(
                        kind: TargetKind.banner, address: 0, name: banner.software, value: banner.comment))
            }
        case .packet where parsed.messageCode == MessageCode.kexinit:
            if let kexinit = Kexinit.read(frameBytes, frame: parsed) {
                let server = parsed.direction == .toClient
                let algorithms = kexinit.hasshAlgorithms(frameBytes, server: server)
                targets.append(
                    Message.Target(
                        kind: server ? TargetKind.hasshServer : TargetKind.hassh, address: 0, name: algorithms,
                        value: TLS.Fingerprint.md5(algorithms)))
                targets.append(
                    Message.Target(
                        kind: TargetKind.hostKey, address: 0, name: kexinit.text(frameBytes, Kexinit.hostKey)))
            } else {
                anomalies.insert(.malformedKexinit)
            }
        default:
            break
        }
        let code = parsed.kind == .packet ? Int(parsed.messageCode) : -1
        return Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: code, functionName: functionName(parsed),
            operation: parsed.kind == .packet ? operation(parsed.messageCode) : .session, targets: targets,
            anomalies: anomalies.names)
    }

    public static func functionName(_ frame: Frame) -> String {
        switch frame.kind {
        case .banner: "banner"
        case .preamble: "preamble"
        case .encrypted: "encrypted"
        case .packet: messageName(frame.messageCode)
        }
    }

    /// Banners name the software and often the OS; KEXINITs give HASSH / HASSHServer.
    public static func facts(_ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact]
    {
        let host = parsed.direction == .toServer ? context.client.address : context.server.address
        let frameBytes = bytes.extracting(0..<min(Int(parsed.length), bytes.count))
        func fact(_ kind: AssetFact.Kind, _ value: String, _ source: String) -> AssetFact {
            AssetFact(time: context.time, address: host, kind: kind, value: value, source: "ssh/" + source)
        }
        switch parsed.kind {
        case .banner:
            guard let banner = Banner(frameBytes) else { return [] }
            let full = banner.comment.map { banner.software + " " + $0 } ?? banner.software
            var facts = [fact(.software, full, "banner")]
            if let os = banner.osHint { facts.append(fact(.os, os, "banner")) }
            if let vendor = banner.vendorHint { facts.append(fact(.vendor, vendor, "banner")) }
            if parsed.direction == .toClient { facts.append(fact(.role, "ssh_server", "banner")) }
            return facts
        case .packet where parsed.messageCode == MessageCode.kexinit:
            guard let kexinit = Kexinit.read(frameBytes, frame: parsed) else { return [] }
            let server = parsed.direction == .toClient
            let hash = TLS.Fingerprint.md5(kexinit.hasshAlgorithms(frameBytes, server: server))
            return [fact(.fingerprint, (server ? "hassh_server=" : "hassh=") + hash, "kexinit")]
        default:
            return []
        }
    }
}
