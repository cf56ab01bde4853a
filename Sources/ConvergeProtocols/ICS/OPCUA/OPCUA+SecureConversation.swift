import ConvergeModel
import ConvergeWire

extension OPCUA {
    /// Sequence numbers may wrap to a value below this after passing UInt32.max − 1024
    /// (OPC 10000-6 §6.7.2.4).
    static let sequenceWrapWindow: UInt32 = 1024

    /// OPN, MSG, CLO: secure channel id, security header, then (when readable) the sequence
    /// header and the body, reassembled across chunks.
    static func parseSecureConversation(
        _ chunk: Span<UInt8>, into parsed: inout Chunk, time: Timestamp, state: inout State
    ) {
        parsed.secureChannelID = chunk.loadUInt32LE(at: secureChannelIDOffset)
        let sequenceOffset: Int
        let readable: Bool
        if parsed.type == .open {
            guard let security = asymmetricHeader(chunk) else {
                parsed.anomalies.insert(.invalidLength)
                return
            }
            parsed.policy = security.policy
            parsed.policyURI = Binary.Bytes(offset: security.policyOffset, length: security.policyLength)
            parsed.senderCertificateLength = security.certificateLength
            parsed.receiverThumbprintLength = security.thumbprintLength
            if security.policy.isDeprecated { parsed.anomalies.insert(.deprecatedSecurityPolicy) }
            if state.channel.policy != security.policy {
                // A new policy is a new channel: what was learned about the old mode is void.
                state.channel.policy = security.policy
                state.channel.mode = security.policy == .none ? .none : .unknown
            }
            if parsed.direction == .toClient, parsed.secureChannelID != 0 { state.channel.id = parsed.secureChannelID }
            // With any policy but None the asymmetric algorithm encrypts the rest of an OPN chunk.
            readable = security.policy == .none
            sequenceOffset = security.end
        } else {
            parsed.tokenID = chunk.loadUInt32LE(at: tokenIDOffset)
            if state.channel.id != 0, parsed.secureChannelID != state.channel.id {
                parsed.anomalies.insert(.secureChannelMismatch)
            }
            sequenceOffset = symmetricSequenceOffset
            readable = symmetricBodyReadable(
                chunk, chunkType: parsed.chunkType, direction: parsed.direction, state: &state)
        }
        guard readable else {
            parsed.encrypted = true
            parsed.bodyOffset = sequenceOffset
            if parsed.chunkType == .abort { state.withReassembly(parsed.direction) { $0.active = false } }
            return
        }
        readSequenceAndBody(chunk, at: sequenceOffset, into: &parsed, state: &state)
        if parsed.hasFunction { pair(&parsed, time: time, state: &state) }
    }

    /// Whether a MSG/CLO body is plain: always on a None channel, never on an encrypting one;
    /// otherwise (a signing-or-encrypting channel whose mode was hidden in its encrypted OPN, or
    /// no OPN seen) the first chunk decides by whether its body starts with a standard service id.
    static func symmetricBodyReadable(
        _ chunk: Span<UInt8>, chunkType: ChunkType, direction: Direction, state: inout State
    ) -> Bool {
        switch state.channel.mode {
        case .none, .sign: return true
        case .signAndEncrypt: return false
        case .unknown: break
        }
        if state.channel.policy == .none { return true }
        if state.withReassembly(direction, { $0.active }) { return true }
        let bodyOffset = symmetricSequenceOffset &+ 8
        let plausible = chunk.count > bodyOffset && looksReadable(chunk.extracting(bodyOffset..<chunk.count))
        // Decide for the channel only once its OPN was seen and on a message's first chunk.
        if state.channel.policy != .unknown, chunkType != .abort {
            state.channel.mode = plausible ? .sign : .signAndEncrypt
        }
        return plausible
    }

    /// Sequence header (sequence number, request id), then the chunk's body by chunk type.
    static func readSequenceAndBody(_ chunk: Span<UInt8>, at offset: Int, into parsed: inout Chunk, state: inout State)
    {
        guard offset >= 0, offset &+ 8 <= chunk.count else {
            parsed.anomalies.insert(.invalidLength)
            return
        }
        let sequence = chunk.loadUInt32LE(at: offset)
        let requestID = chunk.loadUInt32LE(at: offset &+ 4)
        parsed.hasSequenceHeader = true
        parsed.sequenceNumber = sequence
        parsed.requestID = requestID
        if let last = state.lastSequence(parsed.direction), sequence != last &+ 1,
            !(last > UInt32.max &- sequenceWrapWindow && sequence < sequenceWrapWindow)
        {
            parsed.anomalies.insert(.sequenceGap)
        }
        state.setLastSequence(parsed.direction, sequence)
        parsed.bodyOffset = offset &+ 8
        let body = chunk.extracting(parsed.bodyOffset..<chunk.count)
        switch parsed.chunkType {
        case .abort:
            state.withReassembly(parsed.direction) { re in
                // What was aborted: the chunks so far of the same request, and its service.
                if re.active, re.requestID == requestID {
                    parsed.chunkCount = re.chunks &+ 1
                    parsed.hasService = re.hasService
                    parsed.serviceID = re.serviceID
                    parsed.serviceNamespace = re.serviceNamespace
                }
                re.active = false
            }
            var r = WireReader(body)
            parsed.errorCode = r.u32le() ?? 0
            if let reason = Binary.readBytes(&r), reason.length <= maxReasonLength {
                parsed.text = Binary.Bytes(offset: reason.offset &+ parsed.bodyOffset, length: reason.length)
            } else {
                parsed.anomalies.insert(.invalidLength)
            }
        case .intermediate:
            let limits = state.limits(parsed.direction)
            state.withReassembly(parsed.direction) { re in
                if re.active, re.requestID != requestID {
                    parsed.anomalies.insert(.interleavedChunk)
                    re.active = false
                }
                if !re.active {
                    re.start(requestID: requestID)
                    var first = Chunk(type: parsed.type, chunkType: .final, size: 0, direction: parsed.direction)
                    readServiceStart(body, into: &first)
                    re.hasService = first.hasService
                    re.serviceID = first.serviceID
                    re.serviceNamespace = first.serviceNamespace
                }
                let wasWithin = !limits.exceeded(chunks: re.chunks, bodyBytes: re.bodyBytes)
                if !re.append(body) { parsed.anomalies.insert(.reassemblyOverflow) }
                // Flagged once, on the chunk that crosses the receiver's limit.
                if wasWithin, limits.exceeded(chunks: re.chunks, bodyBytes: re.bodyBytes) {
                    parsed.anomalies.insert(.messageLimitExceeded)
                }
                parsed.chunkCount = re.chunks
                parsed.hasService = re.hasService
                parsed.serviceID = re.serviceID
                parsed.serviceNamespace = re.serviceNamespace
            }
        case .final:
            let limits = state.limits(parsed.direction)
            let completed = state.withReassembly(parsed.direction) { re -> Bool in
                guard re.active else { return false }
                re.active = false
                guard re.requestID == requestID else {
                    parsed.anomalies.insert(.interleavedChunk)
                    return false
                }
                let kept = re.append(body)
                parsed.chunkCount = re.chunks
                if limits.exceeded(chunks: re.chunks, bodyBytes: re.bodyBytes) {
                    parsed.anomalies.insert(.messageLimitExceeded)
                }
                if kept {
                    parsed.reassembled = true
                    readServiceStart(re.bytes.span, into: &parsed)
                } else {
                    // Too big to keep: still named and counted from its first chunk.
                    parsed.anomalies.insert(.reassemblyOverflow)
                    parsed.hasService = re.hasService
                    parsed.serviceID = re.serviceID
                    parsed.serviceNamespace = re.serviceNamespace
                }
                return true
            }
            if !completed {
                if limits.exceeded(chunks: 1, bodyBytes: body.count) { parsed.anomalies.insert(.messageLimitExceeded) }
                readServiceStart(body, into: &parsed)
            }
            if parsed.serviceID == ServiceID.openSecureChannelRequest, parsed.serviceNamespace == 0,
                parsed.requestedMode != .unknown
            {
                // With policy None only mode None is valid; the mode rules the channel's MSGs.
                if state.channel.policy == .none, parsed.requestedMode != .none {
                    parsed.anomalies.insert(.invalidValue)
                }
                state.channel.mode = parsed.requestedMode
                if state.channel.policy == .none { state.channel.mode = .none }
            }
        }
    }

    /// Records a request as pending; pairs a response with its request (round-trip time).
    static func pair(_ parsed: inout Chunk, time: Timestamp, state: inout State) {
        guard let service = parsed.service else { return }
        if service.isRequest != (parsed.direction == .toServer) { parsed.anomalies.insert(.wrongDirection) }
        if parsed.direction == .toServer {
            guard service.isRequest else { return }
            let pending = Pending(
                requestID: parsed.requestID, serviceID: parsed.serviceID, requestHandle: parsed.requestHandle,
                time: time)
            if state.pending.insert(pending) {
                state.pendingOverflows &+= 1
                parsed.anomalies.insert(.pendingOverflow)
            }
            return
        }
        guard !service.isRequest else { return }
        guard let request = state.pending.take(requestID: parsed.requestID) else {
            parsed.anomalies.insert(.unsolicitedResponse)
            return
        }
        parsed.requestServiceID = request.serviceID
        parsed.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
        let answers =
            parsed.serviceID == ServiceID.serviceFault || requestID(answeredBy: parsed.serviceID) == request.serviceID
        if !answers { parsed.anomalies.insert(.responseMismatch) }
    }
}
