import ConvergeModel

extension OPCUA {
    /// Function codes of messages that carry no service (HEL, ACK, ERR, RHE, encrypted bodies,
    /// intermediate and abort chunks): 0, with the name saying what they are.
    public static let noFunctionCode = 0

    /// The normalised event. `bytes` is the span given to `parse` (the chunk starts at offset 0);
    /// a reassembled message's body is read from `state`.
    public static func event(
        _ parsed: Chunk, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let chunk = bytes.extracting(0..<min(parsed.size, bytes.count))
        var decoded = decode(parsed, chunk: chunk, state: &state)
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction,
            functionCode: parsed.hasFunction ? parsed.functionCode : noFunctionCode,
            functionName: functionName(parsed), operation: operation(parsed, userToken: decoded.userToken),
            targets: [], status: status(parsed), anomalies: [])
        decoded.anomalies.formUnion(parsed.anomalies)
        message.targets = headerTargets(parsed, chunk: chunk, state: state) + decoded.targets
        message.anomalies = decoded.anomalies.names
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// The body's decoded fields, from the chunk or from the reassembly buffer.
    static func decode(_ parsed: Chunk, chunk: Span<UInt8>, state: inout State) -> Decoded {
        guard parsed.hasFunction, parsed.serviceFieldsOffset > 0 else { return Decoded() }
        if parsed.reassembled {
            let body = state.reassembledBody(parsed.direction)
            return decodeService(parsed, body: body.span, state: &state)
        }
        guard parsed.bodyOffset > 0, parsed.bodyOffset <= chunk.count else { return Decoded() }
        return decodeService(parsed, body: chunk.extracting(parsed.bodyOffset..<chunk.count), state: &state)
    }

    /// `read_request`, `hello`, `encrypted_message`, `service_4711`, `intermediate_chunk`, ….
    static func functionName(_ parsed: Chunk) -> String {
        switch parsed.chunkType {
        case .intermediate: return "intermediate_chunk"
        case .abort: return "abort_chunk"
        case .final: break
        }
        if parsed.encrypted { return parsed.type == .message ? "encrypted_message" : parsed.type.name }
        guard parsed.hasFunction else { return parsed.type.name }
        if let service = parsed.service { return service.name }
        return parsed.serviceNamespace == 0
            ? "service_\(parsed.serviceID)" : "service_ns\(parsed.serviceNamespace)_\(parsed.serviceID)"
    }

    /// The service's operation; ActivateSession with a user name, certificate or issued token is
    /// `auth`; transport messages and secure channel handling are `session`.
    static func operation(_ parsed: Chunk, userToken: UserTokenType?) -> Operation {
        if let token = userToken, token != .anonymous { return .auth }
        if let service = parsed.service { return service.operation }
        if parsed.type == .message { return .other }
        return .session
    }

    /// Requests are pending until answered; responses carry their service result; ERR and abort
    /// chunks their error.
    static func status(_ parsed: Chunk) -> Message.Status {
        if parsed.type == .error || parsed.chunkType == .abort {
            return .exception(code: Int(parsed.errorCode), name: statusName(parsed.errorCode))
        }
        if parsed.direction == .toServer { return .pending }
        if parsed.hasFunction, isBad(parsed.serviceResult) {
            return .exception(code: Int(parsed.serviceResult), name: statusName(parsed.serviceResult))
        }
        return .ok
    }

    /// What the transport and security headers say: endpoint URLs, the security policy and
    /// mode, the sender certificate, an encrypted body's size, an error's reason.
    static func headerTargets(_ parsed: Chunk, chunk: Span<UInt8>, state: State) -> [Message.Target] {
        var targets: [Message.Target] = []
        switch parsed.type {
        case .hello:
            // Address: the protocol version; values: receive and send buffer, max message size,
            // max chunk count.
            let limits = [parsed.receiveBufferSize, parsed.sendBufferSize, parsed.maxMessageSize, parsed.maxChunkCount]
            targets.append(
                Message.Target(
                    kind: TargetKind.endpointURL, address: Int(parsed.protocolVersion), values: limits.map { Int($0) },
                    name: text(chunk, parsed.text)))
        case .reverseHello:
            targets.append(Message.Target(kind: TargetKind.serverURI, address: 0, name: text(chunk, parsed.serverURI)))
            targets.append(Message.Target(kind: TargetKind.endpointURL, address: 0, name: text(chunk, parsed.text)))
        case .error:
            if !parsed.text.isEmpty {
                targets.append(Message.Target(kind: TargetKind.reason, address: 0, name: text(chunk, parsed.text)))
            }
        case .open:
            targets.append(
                Message.Target(
                    kind: TargetKind.securityPolicy, address: Int(parsed.policy.rawValue),
                    name: text(chunk, parsed.policyURI),
                    value: parsed.policy.name))
            let mode = parsed.requestedMode != .unknown ? parsed.requestedMode : state.channel.mode
            targets.append(Message.Target(kind: TargetKind.securityMode, address: Int(mode.rawValue), value: mode.name))
            if parsed.senderCertificateLength > 0 {
                targets.append(
                    Message.Target(
                        kind: TargetKind.senderCertificate, address: 0, count: parsed.senderCertificateLength))
            }
        case .acknowledge, .message, .close:
            break
        }
        if parsed.chunkType == .abort, !parsed.text.isEmpty {
            targets.append(Message.Target(kind: TargetKind.reason, address: 0, name: text(chunk, parsed.text)))
        }
        if parsed.chunkType == .abort, parsed.hasService {
            let aborted = parsed.serviceNamespace == 0 ? OPCUA.service(parsed.serviceID)?.name : nil
            targets.append(
                Message.Target(
                    kind: TargetKind.abortedMessage, address: Int(parsed.serviceID), count: parsed.chunkCount,
                    name: aborted))
        }
        if parsed.encrypted {
            targets.append(
                Message.Target(
                    kind: TargetKind.encryptedBody, address: 0, count: max(0, parsed.size &- parsed.bodyOffset),
                    value: state.channel.mode.name))
        }
        return targets
    }
}
