import ConvergeModel

extension DNP3 {
    /// `functionCode` of events for frames that complete no application fragment (link-layer
    /// frames and non-final transport segments).
    public static let noFunction = -1

    /// The normalised event. For a frame that completes an application fragment the fragment is
    /// read from the direction's reassembly in `state` (the frame's own bytes hold only its last
    /// segment); other frames become link or transport messages without a function.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: noFunction, functionName: "",
            operation: .session, anomalies: parsed.anomalies.names)
        // The outstation's link address: the destination of what the master sends (DIR set).
        message.unit = Int(parsed.link.fromMaster ? parsed.link.destination : parsed.link.source)
        guard parsed.hasFunction else {
            if parsed.hasTransport {
                message.functionName = "transport_segment"
                message.operation = .other
            } else {
                message.functionName = "link." + Link.functionName(parsed.link)
            }
            return message
        }
        let function = parsed.function
        message.functionCode = parsed.functionCode
        message.functionName = function.name ?? "unknown_\(parsed.rawFunction)"
        message.operation = parsed.operation
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        let fragment = state.fragment(parsed.direction)
        var collected = Targets()
        collected.keep = context.wantsTargets
        if fragment.count == parsed.fragmentLength {
            let start = function.isResponse ? Application.responseHeaderLength : Application.requestHeaderLength
            let span = fragment.span
            _ = Objects.walk(span, from: start, headersOnly: function.headersOnly) { header in
                collected.add(span, header)
            }
        }
        if function.isResponse {
            if collected.keep {
                collected.targets.insert(Message.Target(kind: "iin", address: 0, values: [Int(parsed.iin)]), at: 0)
            }
            for (bit, name) in Application.iinFlags where parsed.iin & bit != 0 && Self.troubleIIN & bit != 0 {
                message.anomalies.append("dnp3.iin." + name)
            }
        }
        if collected.truncated { message.anomalies.append("dnp3.too_many_points") }
        message.targets = collected.targets
        message.status = status(parsed, controlStatus: collected.controlStatus)
        return message
    }

    /// IIN bits that report a device problem rather than the answer to a request.
    static let troubleIIN: UInt16 = 0x4000 | 0x0008 | 0x0020

    /// Requests wait for their response (except the ones that get none); a response fails when
    /// IIN2 reports a rejected request or a control block comes back with a non-zero status.
    static func status(_ frame: Frame, controlStatus: Int) -> Message.Status {
        let function = frame.function
        guard function.isResponse else {
            switch function.rawValue {
            case 0, 6, 8, 10, 12: return .ok
            default: return .pending
            }
        }
        for (bit, name) in Application.iinFlags where frame.iin & bit & Application.iinErrorBits != 0 {
            return .exception(code: Int(frame.iin & 0xff), name: name)
        }
        if controlStatus != 0 { return .exception(code: controlStatus, name: controlStatusName(controlStatus)) }
        return .ok
    }

    /// Control status codes of CROB and analog output responses (IEEE 1815 table 11-19).
    public static func controlStatusName(_ code: Int) -> String {
        switch code {
        case 0: "success"
        case 1: "timeout"
        case 2: "no_select"
        case 3: "format_error"
        case 4: "not_supported"
        case 5: "already_active"
        case 6: "hardware_error"
        case 7: "local"
        case 8: "too_many_objs"
        case 9: "not_authorized"
        case 10: "automation_inhibit"
        case 11: "processing_limited"
        case 12: "out_of_range"
        case 126: "non_participating"
        default: "undefined_\(code)"
        }
    }

    /// CROB control code (g12v1 first byte): operation type, queue/clear and trip/close, e.g.
    /// `latch_on`, `pulse_on.close`, `pulse_on.trip`.
    public static func crobOperationName(_ code: UInt8) -> String {
        let operation: String
        switch code & 0x0f {
        case 0: operation = "nul"
        case 1: operation = "pulse_on"
        case 2: operation = "pulse_off"
        case 3: operation = "latch_on"
        case 4: operation = "latch_off"
        default: operation = "operation_\(code & 0x0f)"
        }
        switch code >> 6 {
        case 1: return operation + ".close"
        case 2: return operation + ".trip"
        default: return operation
        }
    }

    /// Targets of one message, collected while its headers are walked, capped at
    /// `Objects.maxPoints` points.
    struct Targets {
        var targets: [Message.Target] = []
        var points = 0
        var truncated = false
        /// The first non-zero control status of a CROB or analog output block.
        var controlStatus = 0
        /// False: only what the event's status and anomalies need is worked out (the control
        /// status, the point cap), no targets (`MessageContext.wantsTargets`).
        var keep = true

        mutating func add(_ fragment: Span<UInt8>, _ header: Objects.Header) {
            guard keep else { return count(fragment, header) }
            let kind = Self.kind(header)
            if header.group == 60 {
                targets.append(Message.Target(kind: kind, address: Int(header.variation) &- 1, count: 0))
                return
            }
            if header.isAll {
                targets.append(Message.Target(kind: kind, address: -1, count: 0))
                return
            }
            let count = Int(clamping: header.count)
            guard header.carriesData else {
                addIndexes(fragment, header, kind: kind, count: count)
                return
            }
            let singleValued = header.indexPrefixLength == 0 && header.sizePrefixLength == 0
                && header.group != 12 && header.group != 41 && header.group != 0
            let room = max(0, Objects.maxPoints &- points)
            if singleValued && header.isRange {
                var values: [Int] = []
                let seen = Objects.forEachPoint(fragment, header, limit: room) { point in
                    values.append(contentsOf: Objects.values(fragment, header, point))
                }
                note(seen, room)
                targets.append(Message.Target(kind: kind, address: Int(header.start), count: count, values: values))
                return
            }
            let seen = Objects.forEachPoint(fragment, header, limit: room) { point in
                let values = Objects.values(fragment, header, point)
                if header.group == 12 || header.group == 41, controlStatus == 0, let status = values.last {
                    controlStatus = status
                }
                let recorded = header.group == 0 ? attributeSummary(fragment, point) : values
                targets.append(Message.Target(kind: kind, address: Int(point.index), values: recorded))
            }
            note(seen, room)
        }

        /// Read-style headers: the range, or each listed index.
        mutating func addIndexes(_ fragment: Span<UInt8>, _ header: Objects.Header, kind: String, count: Int) {
            let width = header.indexPrefixLength
            guard width > 0 else {
                targets.append(Message.Target(kind: kind, address: Int(header.start), count: count))
                return
            }
            var offset = header.dataOffset
            var listed = 0
            while offset &+ width <= header.dataEnd, listed < count, points < Objects.maxPoints {
                let index = Objects.littleEndian(fragment, at: offset, width: width)
                targets.append(Message.Target(kind: kind, address: Int(index)))
                offset &+= width
                listed &+= 1
                points &+= 1
            }
            if listed < count { truncated = true }
        }

        /// `add` without targets: the same points counted, the same control status found.
        mutating func count(_ fragment: Span<UInt8>, _ header: Objects.Header) {
            if header.group == 60 || header.isAll { return }
            let count = Int(clamping: header.count)
            guard header.carriesData else {
                let width = header.indexPrefixLength
                guard width > 0 else { return }
                // As many indexes as `addIndexes` would list: bounded by the count, the bytes and the cap.
                let fit = header.dataEnd >= header.dataOffset ? (header.dataEnd &- header.dataOffset) / width : 0
                let listed = max(0, min(count, fit, Objects.maxPoints &- points))
                points &+= listed
                if listed < count { truncated = true }
                return
            }
            let room = max(0, Objects.maxPoints &- points)
            let controls = header.group == 12 || header.group == 41
            let seen = Objects.forEachPoint(fragment, header, limit: room) { point in
                guard controls, controlStatus == 0, let status = Objects.values(fragment, header, point).last else {
                    return
                }
                controlStatus = status
            }
            note(seen, room)
        }

        mutating func note(_ seen: Int, _ room: Int) {
            points &+= min(seen, room)
            if seen > room { truncated = true }
        }

        /// Device attribute: data type and length.
        func attributeSummary(_ fragment: Span<UInt8>, _ point: Objects.Point) -> [Int] {
            [Int(fragment.byte(at: point.offset) ?? 0), Int(fragment.byte(at: point.offset &+ 1) ?? 0)]
        }

        static func kind(_ header: Objects.Header) -> String {
            let base = Objects.kind(group: header.group, variation: header.variation)
            switch header.group {
            case 0: return base + ".\(header.variation)"
            case 70: return base + "." + fileObjectName(header.variation)
            case 120: return base + "." + authenticationObjectName(header.variation)
            default: return base
            }
        }
    }

    /// Group 70 variations.
    static func fileObjectName(_ variation: UInt8) -> String {
        switch variation {
        case 1: "identifier"
        case 2: "authentication"
        case 3: "command"
        case 4: "command_status"
        case 5: "transport"
        case 6: "transport_status"
        case 7: "descriptor"
        case 8: "specification"
        default: "v\(variation)"
        }
    }

    /// Group 120 (secure authentication) variations.
    static func authenticationObjectName(_ variation: UInt8) -> String {
        switch variation {
        case 1: "challenge"
        case 2: "reply"
        case 3: "aggressive_mode_request"
        case 4: "session_key_status_request"
        case 5: "session_key_status"
        case 6: "session_key_change"
        case 7: "error"
        case 8: "user_certificate"
        case 9: "mac"
        case 10: "user_status_change"
        case 11: "update_key_change_request"
        case 12: "update_key_change_reply"
        case 13: "update_key_change"
        case 14: "update_key_change_signature"
        case 15: "update_key_change_confirmation"
        default: "v\(variation)"
        }
    }
}
