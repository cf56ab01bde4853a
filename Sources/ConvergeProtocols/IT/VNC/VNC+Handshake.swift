import ConvergeModel
import ConvergeWire

extension VNC {
    /// Security type numbers (IANA RFB security types).
    public enum SecurityType {
        public static let invalid: UInt8 = 0
        public static let none: UInt8 = 1
        public static let vncAuthentication: UInt8 = 2
    }

    typealias Parse = (message: Message, consumed: Int)

    static func parseHandshake(
        _ bytes: Span<UInt8>, direction: Direction, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        switch lane.phase {
        case .version:
            return try parseVersion(bytes, direction: direction, state: &state, lane: &lane)
        case .security:
            return state.minor == 3
                ? try parseImposedType(bytes, state: &state, lane: &lane)
                : try parseSecurityTypes(bytes, state: &state, lane: &lane)
        case .securitySelection:
            var message = Message(direction: direction, kind: .handshake, length: 1)
            message.code = Step.securityTypeSelected.rawValue
            message.value = UInt32(bytes[0])
            choose(bytes[0], state: &state, client: &lane)
            return (message, 1)
        case .challenge, .response:
            guard bytes.count >= challengeLength else { throw .needMore(challengeLength) }
            var message = Message(direction: direction, kind: .handshake, length: challengeLength)
            message.code = lane.phase == .challenge ? Step.vncAuthChallenge.rawValue : Step.vncAuthResponse.rawValue
            lane.phase = lane.phase == .challenge ? .securityResult : .clientInit
            return (message, challengeLength)
        case .securityResult:
            return try parseSecurityResult(bytes, state: &state, lane: &lane)
        case .clientInit:
            var message = Message(direction: direction, kind: .handshake, length: 1)
            message.code = Step.clientInit.rawValue
            message.value = UInt32(bytes[0])
            lane.phase = .messages
            return (message, 1)
        case .serverInit:
            return try parseServerInit(bytes, state: &state, lane: &lane)
        case .awaitingClient, .awaitingServer, .messages, .opaque:
            // The other side's step that decides how to read these bytes was never seen.
            lane.phase = .opaque
            var message = Message(direction: direction, kind: .steppedOver, length: bytes.count)
            message.anomalies.insert(.unsizable)
            return (message, bytes.count)
        }
    }

    /// "RFB 003.008\n": the major and minor numbers; the next phase follows the sender's role.
    static func parseVersion(
        _ bytes: Span<UInt8>, direction: Direction, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        switch probe(bytes, direction: direction) {
        case .needMore: throw .needMore(versionLength)
        case .reject: throw .malformed("vnc: no RFB version banner")
        case .match: break
        }
        var minor: UInt16 = 0
        for index in 8..<11 { minor = minor &* 10 &+ UInt16(bytes[index] &- UInt8(ascii: "0")) }
        var message = Message(direction: direction, kind: .handshake, length: versionLength)
        message.value = UInt32(minor)
        if direction == .toClient {
            message.code = Step.serverVersion.rawValue
            state.serverMinor = minor
            lane.phase = .security
        } else {
            message.code = Step.clientVersion.rawValue
            state.clientMinor = minor
            lane.phase = state.minor == 3 ? .awaitingServer : .securitySelection
        }
        if minor < 7 { message.anomalies.insert(.legacyVersion) }
        return (message, versionLength)
    }

    /// 3.7 and 3.8: a count and the types; a count of 0 is a refusal with a reason.
    static func parseSecurityTypes(
        _ bytes: Span<UInt8>, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        let count = Int(bytes[0])
        var message = Message(direction: .toClient, kind: .handshake, length: 1)
        message.code = Step.securityTypes.rawValue
        guard count > 0 else { return try refusal(bytes, at: 1, message: message, state: &state, lane: &lane) }
        guard bytes.count > count else { throw .needMore(1 &+ count) }
        message.length = 1 &+ count
        message.count = count
        message.listOffset = 1
        for index in 1...count where bytes[index] == SecurityType.none { message.anomalies.insert(.noAuthentication) }
        lane.phase = .awaitingClient
        return (message, message.length)
    }

    /// 3.3: the server alone picks None or VNC authentication (or refuses with type 0 and a reason).
    static func parseImposedType(
        _ bytes: Span<UInt8>, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        guard bytes.count >= 4 else { throw .needMore(4) }
        let type = bytes.loadUInt32BE(at: 0)
        var message = Message(direction: .toClient, kind: .handshake, length: 4)
        message.code = Step.securityTypes.rawValue
        message.value = type
        message.anomalies.insert(.legacyVersion)
        guard type != 0 else { return try refusal(bytes, at: 4, message: message, state: &state, lane: &lane) }
        let chosen = UInt8(clamping: type)
        if type == UInt32(SecurityType.none) { message.anomalies.insert(.noAuthentication) }
        state.securityType = chosen
        if state.client.phase == .awaitingServer {
            var client = state.client
            choose(chosen, state: &state, client: &client)
            state.client = client
        }
        lane.phase = type > 0xFF ? .opaque : nextServerPhase(chosen, minor: 3)
        return (message, 4)
    }

    /// The client's choice (or the 3.3 server's): both directions' next phases follow from it.
    static func choose(_ type: UInt8, state: inout State, client: inout Lane) {
        state.securityType = type
        switch type {
        case SecurityType.vncAuthentication: client.phase = .response
        case SecurityType.none: client.phase = .clientInit
        default: client.phase = .opaque
        }
        if state.server.phase == .awaitingClient {
            state.server.phase = nextServerPhase(type, minor: state.minor)
        }
    }

    /// After the type is settled: VNC auth sends a challenge, None goes on to the result (3.8)
    /// or straight to ServerInit; other types run their own (often encrypted) exchange.
    static func nextServerPhase(_ type: UInt8?, minor: UInt16) -> Phase {
        switch type {
        case SecurityType.vncAuthentication: .challenge
        case SecurityType.none: minor >= 8 ? .securityResult : .serverInit
        default: .opaque
        }
    }

    /// A security result: 0 OK, otherwise failed with (3.8) a reason.
    static func parseSecurityResult(
        _ bytes: Span<UInt8>, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        guard bytes.count >= 4 else { throw .needMore(4) }
        let status = bytes.loadUInt32BE(at: 0)
        var message = Message(direction: .toClient, kind: .handshake, length: 4)
        message.code = Step.securityResult.rawValue
        message.value = status
        guard status != 0 else {
            lane.phase = .serverInit
            return (message, 4)
        }
        guard state.minor >= 8 else {
            fail(&message, state: &state, lane: &lane)
            return (message, 4)
        }
        return try refusal(bytes, at: 4, message: message, state: &state, lane: &lane)
    }

    /// A failure with a reason string (length, text) at `offset`; both directions are done.
    static func refusal(
        _ bytes: Span<UInt8>, at offset: Int, message: Message, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        var message = message
        let header = offset &+ 4
        guard bytes.count >= header else { throw .needMore(header) }
        let length = bytes.loadUInt32BE(at: offset)
        fail(&message, state: &state, lane: &lane)
        guard length <= UInt32(maxTextLength) else {
            message.anomalies.insert(.oversized)
            message.length = header
            lane.skip = UInt64(length)
            return (message, header)
        }
        let total = header &+ Int(length)
        guard bytes.count >= total else { throw .needMore(total) }
        message.textOffset = header
        message.textLength = Int(length)
        message.length = total
        return (message, total)
    }

    static func fail(_ message: inout Message, state: inout State, lane: inout Lane) {
        message.anomalies.insert(.authenticationFailed)
        state.authenticationFailed = true
        lane.phase = .opaque
        state.client.phase = .opaque
    }

    /// ServerInit: width, height, pixel format (16), name length, name.
    static func parseServerInit(
        _ bytes: Span<UInt8>, state: inout State, lane: inout Lane
    ) throws(DissectError) -> Parse {
        let header = 24
        guard bytes.count >= header, let width = bytes.uint16BE(at: 0), let height = bytes.uint16BE(at: 2) else {
            throw .needMore(header)
        }
        var message = Message(direction: .toClient, kind: .handshake, length: header)
        message.code = Step.serverInit.rawValue
        message.width = width
        message.height = height
        message.value = UInt32(bytes[4])
        state.bytesPerPixel = bytesPerPixel(bits: bytes[4])
        lane.phase = .messages
        let length = bytes.loadUInt32BE(at: 20)
        guard length <= UInt32(maxTextLength) else {
            message.anomalies.insert(.oversized)
            lane.skip = UInt64(length)
            return (message, header)
        }
        let total = header &+ Int(length)
        guard bytes.count >= total else { throw .needMore(total) }
        message.textOffset = header
        message.textLength = Int(length)
        message.length = total
        return (message, total)
    }

    /// 8, 16 or 32 bits per pixel are what RFC 6143 allows; anything else is read as whole bytes.
    static func bytesPerPixel(bits: UInt8) -> UInt8 { max(1, (bits &+ 7) / 8) }
}
