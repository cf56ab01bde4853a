import ConvergeModel

extension SMB {
    /// Target kinds. Names carry their text in `name`, with `noAddress` as address.
    public enum TargetKind {
        /// NEGOTIATE: a dialect offered (SMB2: `address` the revision; SMB1: `name` the dialect).
        public static let dialectOffered = "dialect_offered"
        /// NEGOTIATE response: the dialect chosen (SMB2 revision, or SMB1 index), `values` [security mode].
        public static let dialectChosen = "dialect_chosen"
        /// NTLMSSP: `address` the message type, `values` [negotiate flags].
        public static let ntlm = "ntlm"
        /// Names from NTLM and SMB1 session setups.
        public static let targetName = "target_name"
        public static let netBIOSComputer = "netbios_computer"
        public static let netBIOSDomain = "netbios_domain"
        public static let dnsComputer = "dns_computer"
        public static let dnsDomain = "dns_domain"
        public static let dnsTree = "dns_tree"
        public static let domain = "domain"
        public static let user = "user"
        public static let workstation = "workstation"
        public static let osVersion = "os_version"
        public static let nativeOS = "native_os"
        public static let nativeLanManager = "native_lan_manager"
        /// TREE_CONNECT: the share path.
        public static let share = "share"
    }

    public static let noAddress = -1
    /// Dialects listed in an event; a longer offer is cut.
    public static let maxDialectTargets = 16

    public static func event(
        _ parsed: Message, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> ConvergeModel.Message {
        let status: ConvergeModel.Message.Status
        if parsed.isResponse && parsed.status != 0 && parsed.status != statusPending {
            status = .exception(code: Int(parsed.status), name: "0x" + String(parsed.status, radix: 16))
        } else if parsed.hasFunction && !parsed.isResponse && parsed.direction == .toServer {
            status = .pending
        } else {
            status = .ok
        }
        var event = ConvergeModel.Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: operation(parsed),
            targets: targets(parsed, bytes), status: status, anomalies: parsed.anomalies.names)
        event.roundTripNanoseconds = parsed.roundTripNanoseconds
        return event
    }

    static func named(_ kind: String, _ value: String) -> ConvergeModel.Message.Target? {
        value.isEmpty ? nil : ConvergeModel.Message.Target(kind: kind, address: noAddress, name: value)
    }

    /// Dialects, NTLM names, native OS strings and share paths.
    static func targets(_ parsed: Message, _ bytes: Span<UInt8>) -> [ConvergeModel.Message.Target] {
        var targets: [ConvergeModel.Message.Target] = []
        typealias Target = ConvergeModel.Message.Target
        if parsed.dialectsLength > 0 && !parsed.isResponse {
            if parsed.version == .smb2 {
                for index in 0..<min(parsed.dialectsLength / 2, maxDialectTargets) {
                    if let dialect = LE.u16(bytes, parsed.dialectsOffset &+ index &* 2) {
                        targets.append(Target(kind: TargetKind.dialectOffered, address: Int(dialect)))
                    }
                }
            } else {
                // SMB1: each dialect is 0x02 and a NUL-terminated ASCII name.
                let end = parsed.dialectsOffset &+ parsed.dialectsLength
                let names = strings(
                    bytes, from: parsed.dialectsOffset, to: end, header: parsed.headerOffset, unicode: false,
                    limit: maxDialectTargets)
                for name in names {
                    let trimmed = name.hasPrefix("\u{2}") ? String(name.dropFirst()) : name
                    targets.append(Target(kind: TargetKind.dialectOffered, address: noAddress, name: trimmed))
                }
            }
        }
        if parsed.isResponse && parsed.command == UInt16(parsed.version == .smb1 ? Command1.negotiate : 0)
            && (parsed.chosenDialect != 0 || parsed.hasSecurityMode)
        {
            targets.append(Target(
                kind: TargetKind.dialectChosen, address: Int(parsed.chosenDialect),
                values: parsed.hasSecurityMode ? [Int(parsed.securityMode)] : []))
        }
        if let info = NTLMSSP.info(parsed, bytes: bytes) {
            targets.append(Target(kind: TargetKind.ntlm, address: Int(info.type), values: [Int(info.flags)]))
            let kinds: [(UInt16, String)] = [
                (NTLMSSP.AvID.netBIOSComputer, TargetKind.netBIOSComputer),
                (NTLMSSP.AvID.netBIOSDomain, TargetKind.netBIOSDomain),
                (NTLMSSP.AvID.dnsComputer, TargetKind.dnsComputer), (NTLMSSP.AvID.dnsDomain, TargetKind.dnsDomain),
                (NTLMSSP.AvID.dnsTree, TargetKind.dnsTree),
            ]
            let names: [Target?] = [named(TargetKind.targetName, info.targetName)]
                + kinds.map { named($0.1, info.av($0.0) ?? "") }
                + [named(TargetKind.domain, info.domain), named(TargetKind.user, info.user),
                   named(TargetKind.workstation, info.workstation), named(TargetKind.osVersion, info.osName ?? "")]
            targets += names.compactMap { $0 }
        }
        for (kind, value) in nativeStrings(parsed, bytes) {
            if let target = named(kind, value) { targets.append(target) }
        }
        if parsed.pathLength > 0 {
            let range = parsed.pathOffset..<(parsed.pathOffset &+ parsed.pathLength)
            let path = parsed.version == .smb1
                ? strings(bytes, from: range.lowerBound, to: range.upperBound, header: parsed.headerOffset,
                          unicode: parsed.unicode, limit: 1).first ?? ""
                : text(bytes, range, unicode: true)
            if let target = named(TargetKind.share, path) { targets.append(target) }
        }
        return targets
    }

    /// SMB1 session setup strings: [account, domain,] native OS, native LAN manager[, domain].
    static func nativeStrings(_ parsed: Message, _ bytes: Span<UInt8>) -> [(String, String)] {
        guard parsed.version == .smb1, parsed.nativeLength > 0 else { return [] }
        let found = strings(
            bytes, from: parsed.nativeOffset, to: parsed.nativeOffset &+ parsed.nativeLength,
            header: parsed.headerOffset, unicode: parsed.unicode, limit: 5)
        let kinds: [String] = parsed.nativeHasAccount
            ? [TargetKind.user, TargetKind.domain, TargetKind.nativeOS, TargetKind.nativeLanManager]
            : parsed.isResponse
                ? [TargetKind.nativeOS, TargetKind.nativeLanManager, TargetKind.domain]
                : [TargetKind.nativeOS, TargetKind.nativeLanManager]
        return Array(zip(kinds, found))
    }
}
