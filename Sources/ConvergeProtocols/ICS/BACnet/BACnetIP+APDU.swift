import ConvergeModel

extension BACnetIP {
    /// APDU types (clause 20.1.1, the high nibble of the first APDU byte).
    public enum PDUType: UInt8, Sendable, CaseIterable {
        case confirmedRequest = 0
        case unconfirmedRequest = 1
        case simpleAck = 2
        case complexAck = 3
        case segmentAck = 4
        case error = 5
        case reject = 6
        case abort = 7

        public var name: String {
            switch self {
            case .confirmedRequest: "confirmed_request"
            case .unconfirmedRequest: "unconfirmed_request"
            case .simpleAck: "simple_ack"
            case .complexAck: "complex_ack"
            case .segmentAck: "segment_ack"
            case .error: "error"
            case .reject: "reject"
            case .abort: "abort"
            }
        }

        /// An answer of the server of a confirmed transaction (abort only with its SRV bit).
        public var isAnswer: Bool {
            switch self {
            case .simpleAck, .complexAck, .error, .reject: true
            default: false
            }
        }
    }

    /// Max-APDU-length-accepted codes (clause 20.1.2.5) in bytes; nil for reserved codes.
    public static func maxAPDULength(code: UInt8) -> Int? {
        switch code {
        case 0: 50
        case 1: 128
        case 2: 206
        case 3: 480
        case 4: 1024
        case 5: 1476
        default: nil
        }
    }

    /// Reads the APDU header: type and flags, then per type the invoke id, segmentation fields,
    /// service choice and (error, reject, abort) the reason. Checks the service parameters' tags.
    static func parseAPDU(_ bytes: Span<UInt8>, frame: inout Frame) {
        let end = frame.apduEnd
        var offset = frame.apduOffset
        func next() -> UInt8? {
            guard offset < end, let value = bytes.byte(at: offset) else { return nil }
            offset &+= 1
            return value
        }
        func cut() { frame.anomalies.insert(frame.anomalies.contains(.truncated) ? .truncated : .invalidLength) }

        guard let first = next() else { return cut() }
        frame.pduType = first >> 4
        frame.pduFlags = first & 0x0f
        guard let pdu = PDUType(rawValue: frame.pduType) else {
            frame.anomalies.insert(.unknownPDUType)
            return
        }
        switch pdu {
        case .confirmedRequest:
            guard let sizes = next(), let invoke = next() else { return cut() }
            frame.maxSegmentsCode = (sizes >> 4) & 0x07
            frame.maxAPDUCode = sizes & 0x0f
            frame.invokeID = invoke
            if frame.isSegmented {
                guard let sequence = next(), let window = next() else { return cut() }
                frame.sequenceNumber = sequence
                frame.windowSize = window
                checkWindow(&frame)
            }
            guard let service = next() else { return cut() }
            frame.serviceChoice = service
            if ConfirmedService(rawValue: service) == nil { frame.anomalies.insert(.unknownService) }
        case .unconfirmedRequest:
            guard let service = next() else { return cut() }
            frame.serviceChoice = service
            if UnconfirmedService(rawValue: service) == nil { frame.anomalies.insert(.unknownService) }
        case .simpleAck, .complexAck, .error:
            guard let invoke = next() else { return cut() }
            frame.invokeID = invoke
            if pdu == .complexAck && frame.isSegmented {
                guard let sequence = next(), let window = next() else { return cut() }
                frame.sequenceNumber = sequence
                frame.windowSize = window
                checkWindow(&frame)
            }
            guard let service = next() else { return cut() }
            frame.serviceChoice = service
            if ConfirmedService(rawValue: service) == nil { frame.anomalies.insert(.unknownService) }
        case .segmentAck:
            guard let invoke = next(), let sequence = next(), let window = next() else { return cut() }
            frame.invokeID = invoke
            frame.sequenceNumber = sequence
            frame.windowSize = window
            checkWindow(&frame)
        case .reject, .abort:
            guard let invoke = next(), let reason = next() else { return cut() }
            frame.invokeID = invoke
            frame.reason = reason
            let known = pdu == .reject ? rejectReasonName(reason) != nil : abortReasonName(reason) != nil
            // 64–255 are vendor reasons; only the reserved gap below 64 is wrong.
            if !known && reason < 64 { frame.anomalies.insert(.invalidReason) }
        }
        frame.serviceOffset = offset
        if pdu == .error { readError(bytes, frame: &frame) }
        checkServiceTags(bytes, frame: &frame)
    }

    /// Window sizes outside 1...127 are not allowed (clause 20.1.2.8, 20.1.6.4).
    static func checkWindow(_ frame: inout Frame) {
        if frame.windowSize == 0 || frame.windowSize > maxWindowSize { frame.anomalies.insert(.invalidWindowSize) }
    }

    /// Error-PDU parameters: the first two application enumerateds are the error class and code
    /// (most services send them bare; a few wrap them in a context-tagged constructed value).
    static func readError(_ bytes: Span<UInt8>, frame: inout Frame) {
        var offset = frame.serviceOffset
        let end = frame.apduEnd
        var found = 0
        while offset < end, found < 2 {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { break }
            if !tag.isContext, tag.number == ApplicationTag.enumerated,
                let value = unsigned(bytes, at: offset &+ tag.headerLength, length: tag.length)
            {
                let clamped = UInt32(clamping: value)
                if found == 0 { frame.errorClass = clamped } else { frame.errorCode = clamped }
                found &+= 1
            }
            offset &+= tag.totalLength
        }
        if found < 2 {
            frame.anomalies.insert(frame.anomalies.contains(.truncated) ? .truncated : .malformedTags)
        } else if let errorClass = frame.errorClass, errorClassName(errorClass) == nil {
            frame.anomalies.insert(.invalidReason)
        }
    }

    /// Checks the tags of unsegmented service parameters and notes passwords sent in the clear.
    /// A cut-off datagram is already `truncated`; its tags are not judged.
    static func checkServiceTags(_ bytes: Span<UInt8>, frame: inout Frame) {
        guard frame.serviceChoice != nil, !frame.isSegmented, !frame.anomalies.contains(.truncated) else { return }
        switch checkTags(bytes, from: frame.serviceOffset, end: frame.apduEnd) {
        case .ok: break
        case .malformed: frame.anomalies.insert(.malformedTags)
        case .tooDeep: frame.anomalies.insert(.tagDepthExceeded)
        }
        if frame.pdu == .confirmedRequest, let service = frame.serviceChoice,
            let passwordTag = ConfirmedService(rawValue: service)?.passwordTag,
            contextTagPresent(bytes, number: passwordTag, from: frame.serviceOffset, end: frame.apduEnd)
        {
            frame.anomalies.insert(.cleartextPassword)
        }
    }

    /// Whether a top-level context tag with this number appears in `start..<end`.
    static func contextTagPresent(_ bytes: Span<UInt8>, number: UInt8, from start: Int, end: Int) -> Bool {
        var offset = start
        while offset < end {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { return false }
            if tag.isContext && tag.number == number && tag.kind != .closing { return true }
            offset &+= tag.totalLength
            if tag.kind == .opening {
                guard let after = skipConstructed(bytes, from: offset, end: end) else { return false }
                offset = after
            }
        }
        return false
    }

    /// Pairs answers with pending confirmed requests and records new requests.
    static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
        guard let pdu = frame.pdu, let invoke = frame.invokeID else { return }
        switch pdu {
        case .confirmedRequest:
            guard let service = frame.serviceChoice else { return }
            let route = mix(requester: frame.sourceRoute, responder: frame.destinationRoute)
            let pending = Pending(
                invokeID: invoke, direction: frame.direction, route: route, service: service, time: time)
            // A segmented request is pending from its first segment; later ones (and
            // retransmissions) leave it be, so the round trip spans the whole exchange.
            if frame.isSegmented, state.pending.peek(pending.pendingKey) != nil { return }
            if state.pending.insert(pending) {
                state.pendingOverflows &+= 1
                frame.anomalies.insert(.pendingOverflow)
            }
        case .simpleAck, .complexAck, .error, .reject, .abort:
            // A client's abort cancels its own request; every other answer comes from the server.
            let fromClient = pdu == .abort && !frame.sentByServer
            let requestDirection = fromClient ? frame.direction : frame.direction.reversed
            let route =
                fromClient
                ? mix(requester: frame.sourceRoute, responder: frame.destinationRoute)
                : mix(requester: frame.destinationRoute, responder: frame.sourceRoute)
            // Segments before the last of a complex ack leave the request pending.
            let keep = pdu == .complexAck && frame.moreFollows
            let key = TransactionKey(invokeID: invoke, direction: requestDirection, route: route)
            guard let request = keep ? state.pending.peek(key) : state.pending.take(key) else {
                if !fromClient { frame.anomalies.insert(.unsolicitedResponse) }
                return
            }
            frame.request = request
            frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
            if let service = frame.serviceChoice, service != request.service {
                frame.anomalies.insert(.responseMismatch)
            }
        case .unconfirmedRequest, .segmentAck:
            break
        }
    }

    /// One key for both ends of a routed transaction.
    static func mix(requester: UInt64, responder: UInt64) -> UInt64 {
        requester ^ (responder &* 0xC2B2_AE3D_27D4_EB4F)
    }

    /// Reject reasons (clause 20.1.8 / 21); 64–255 are vendor reasons.
    public static func rejectReasonName(_ reason: UInt8) -> String? {
        switch reason {
        case 0: "other"
        case 1: "buffer_overflow"
        case 2: "inconsistent_parameters"
        case 3: "invalid_parameter_data_type"
        case 4: "invalid_tag"
        case 5: "missing_required_parameter"
        case 6: "parameter_out_of_range"
        case 7: "too_many_arguments"
        case 8: "undefined_enumeration"
        case 9: "unrecognized_service"
        case 10: "invalid_data_encoding"
        default: nil
        }
    }

    /// Abort reasons (clause 20.1.9 / 21); 64–255 are vendor reasons.
    public static func abortReasonName(_ reason: UInt8) -> String? {
        switch reason {
        case 0: "other"
        case 1: "buffer_overflow"
        case 2: "invalid_apdu_in_this_state"
        case 3: "preempted_by_higher_priority_task"
        case 4: "segmentation_not_supported"
        case 5: "security_error"
        case 6: "insufficient_security"
        case 7: "window_size_out_of_range"
        case 8: "application_exceeded_reply_time"
        case 9: "out_of_resources"
        case 10: "tsm_timeout"
        case 11: "apdu_too_long"
        default: nil
        }
    }
}
