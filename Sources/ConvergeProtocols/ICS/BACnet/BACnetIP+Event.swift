import ConvergeModel

extension BACnetIP {
    /// `Message.functionCode` of events: services as `Frame.functionCode` (confirmed as is,
    /// unconfirmed from `unconfirmedServiceBase`); messages without a service get their own ranges.
    public enum EventCode {
        /// Network layer messages: this base plus the message type.
        public static let networkMessageBase = 512
        /// BVLC messages without an NPDU: this base plus the BVLC function.
        public static let bvlcBase = 768
        /// APDUs without a service (segment ack, unpaired reject/abort, unknown types): base plus type.
        public static let pduTypeBase = 1024
    }

    /// Target kinds besides `<object_type>.<property>`.
    public enum TargetKind {
        /// Who-Is/Who-Has range (address: low limit, count: range size), I-Am (address: instance;
        /// values: max APDU, segmentation, vendor id) and I-Have (address: the answering device).
        public static let device = "device"
        /// DeviceCommunicationControl: address is enable (0), disable (1) or disable-initiation (2);
        /// values: the duration in minutes when given.
        public static let communication = "communication"
        /// ReinitializeDevice: address is the requested state.
        public static let reinitialize = "reinitialize"
        /// A password was sent (its presence only; the password itself never leaves the dissector).
        public static let password = "password"
        /// Time synchronization: values are year, month, day, hour, minute, second.
        public static let time = "time"
        /// Who-Has by name: the object name asked for, in `name`.
        public static let objectName = "object_name"
        /// A segment or Segment-ACK (see `segmentTargets`).
        public static let segment = "segment"
    }

    /// The normalised event. `bytes` is the datagram given to `parse`; the last segment of a
    /// segmented message is described from its reassembled service parameters.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        withServiceBytes(parsed, bytes) { frame, body in
            let described = describe(frame, bytes: body)
            var message = Message(
                time: context.time, flowID: context.flowID, client: context.client, server: context.server,
                proto: name, direction: parsed.direction, functionCode: described.code,
                functionName: described.name, operation: described.operation,
                targets: targets(frame, bytes: body) + segmentTargets(parsed), status: status(parsed),
                anomalies: parsed.anomalies.names)
            message.roundTripNanoseconds = parsed.roundTripNanoseconds
            return message
        }
    }

    /// A segment or Segment-ACK: kind `segment`, address its sequence number, values the proposed
    /// (segment) or actual (ack) window size; count on a message's last segment: how many it took.
    static func segmentTargets(_ frame: Frame) -> [Message.Target] {
        guard frame.isSegment || frame.pdu == .segmentAck else { return [] }
        let count = frame.segmentsReassembled > 0 ? Int(frame.segmentsReassembled) : 1
        return [
            Message.Target(
                kind: TargetKind.segment, address: Int(frame.sequenceNumber), count: count,
                values: [Int(frame.windowSize)])
        ]
    }

    /// Function code, name and operation of a message.
    static func describe(_ frame: Frame, bytes: Span<UInt8>) -> (code: Int, name: String, operation: Operation) {
        if let service = frame.serviceChoice, frame.hasFunction {
            if frame.isUnconfirmedService {
                let known = UnconfirmedService(rawValue: service)
                return (frame.functionCode, known?.name ?? "unconfirmed_service_\(service)", known?.operation ?? .other)
            }
            let known = ConfirmedService(rawValue: service)
            let base = known?.name ?? "confirmed_service_\(service)"
            return (frame.functionCode, base + detail(frame, bytes: bytes), known?.operation ?? .other)
        }
        if let pdu = frame.pdu {
            // Reject and abort answer a request: name them after it when it was seen.
            if pdu == .reject || pdu == .abort, let request = frame.request {
                let known = ConfirmedService(rawValue: request.service)
                return (
                    Int(request.service), known?.name ?? "confirmed_service_\(request.service)",
                    known?.operation ?? .other
                )
            }
            let negative = pdu == .segmentAck && frame.negativeAck ? ".negative" : ""
            return (EventCode.pduTypeBase &+ Int(pdu.rawValue), pdu.name + negative, .other)
        }
        if frame.hasAPDU {
            return (EventCode.pduTypeBase &+ Int(frame.pduType), "pdu_type_\(frame.pduType)", .other)
        }
        if let type = frame.networkMessageType {
            return (
                EventCode.networkMessageBase &+ Int(type), "network." + networkMessageName(type),
                networkMessageOperation(type)
            )
        }
        let code = EventCode.bvlcBase &+ Int(frame.bvlcFunction)
        guard let function = BVLCFunction(rawValue: frame.bvlcFunction) else {
            return (code, "bvlc.function_\(frame.bvlcFunction)", .other)
        }
        return (code, "bvlc." + function.name, function.operation)
    }

    /// The state a ReinitializeDevice or DeviceCommunicationControl request asks for, as a name suffix.
    static func detail(_ frame: Frame, bytes: Span<UInt8>) -> String {
        guard frame.pdu == .confirmedRequest, let service = frame.serviceChoice else { return "" }
        let end = min(frame.apduEnd, bytes.count)
        switch ConfirmedService(rawValue: service) {
        case .reinitializeDevice:
            guard let value = contextUnsigned(bytes, number: 0, from: frame.serviceOffset, end: end) else { return "" }
            return "." + (reinitializedStateName(value) ?? "state_\(value)")
        case .deviceCommunicationControl:
            guard let value = contextUnsigned(bytes, number: 1, from: frame.serviceOffset, end: end) else { return "" }
            return "." + (enableDisableName(value) ?? "state_\(value)")
        default:
            return ""
        }
    }

    /// Confirmed requests wait for an answer; errors, rejects, aborts and BVLC NAKs are exceptions.
    static func status(_ frame: Frame) -> Message.Status {
        switch frame.pdu {
        case .confirmedRequest:
            return .pending
        case .error:
            let errorClass = frame.errorClass.map { errorClassName($0) ?? "class_\($0)" } ?? "unknown"
            let code = frame.errorCode ?? 0
            let codeName = frame.errorCode.map { errorCodeName($0) } ?? "unknown"
            return .exception(code: Int(code), name: errorClass + "." + codeName)
        case .reject:
            let reason = frame.reason ?? 0
            return .exception(code: Int(reason), name: "reject." + (rejectReasonName(reason) ?? "reason_\(reason)"))
        case .abort:
            let reason = frame.reason ?? 0
            return .exception(code: Int(reason), name: "abort." + (abortReasonName(reason) ?? "reason_\(reason)"))
        default:
            if frame.bvlcFunction == BVLCFunction.result.rawValue, frame.bvlcValue != 0 {
                let code = frame.bvlcValue
                return .exception(code: Int(code), name: bvlcResultName(code) ?? "result_\(code)")
            }
            return .ok
        }
    }

    /// What a message touches: object properties with their values and priorities, device
    /// ranges, communication and restart states, times.
    static func targets(_ frame: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        guard let service = frame.serviceChoice, !frame.isSegmented else { return [] }
        let start = frame.serviceOffset
        let end = min(frame.apduEnd, bytes.count)
        if propertyLayout(frame) != nil { return propertyTargets(frame, bytes: bytes) }
        switch frame.pdu {
        case .unconfirmedRequest:
            switch UnconfirmedService(rawValue: service) {
            case .whoIs, .whoHas:
                var targets: [Message.Target] = []
                if let low = contextUnsigned(bytes, number: 0, from: start, end: end),
                    let high = contextUnsigned(bytes, number: 1, from: start, end: end)
                {
                    let size = high >= low ? Int(clamping: high &- low) &+ 1 : 0
                    targets.append(Message.Target(kind: TargetKind.device, address: Int(clamping: low), count: size))
                }
                if let found = findTag(bytes, number: 2, isContext: true, from: start, end: end),
                    let id = objectIdentifier(
                        bytes, at: found.offset &+ found.tag.headerLength, length: found.tag.length)
                {
                    targets.append(Message.Target(kind: objectTypeName(id.type), address: Int(id.instance)))
                } else if let found = findTag(bytes, number: 3, isContext: true, from: start, end: end),
                    let wanted = text(bytes, from: found.offset &+ found.tag.headerLength, length: found.tag.length)
                {
                    targets.append(Message.Target(kind: TargetKind.objectName, address: 0, name: wanted))
                }
                return targets
            case .iAm:
                let tags = applicationTags(bytes, from: start, end: end, limit: 4)
                guard let first = tags.first,
                    let id = objectIdentifier(
                        bytes, at: first.offset &+ first.tag.headerLength, length: first.tag.length)
                else { return [] }
                let values = tags.dropFirst().compactMap {
                    numericValue(bytes, $0.tag, at: $0.offset).flatMap(eventInteger)
                }
                return [Message.Target(kind: TargetKind.device, address: Int(id.instance), values: values)]
            case .iHave:
                // Device identifier, object identifier, object name (clause 16.8).
                let tags = applicationTags(bytes, from: start, end: end, limit: 3)
                guard tags.count >= 2,
                    let device = objectIdentifier(
                        bytes, at: tags[0].offset &+ tags[0].tag.headerLength, length: tags[0].tag.length),
                    let id = objectIdentifier(
                        bytes, at: tags[1].offset &+ tags[1].tag.headerLength, length: tags[1].tag.length)
                else { return [] }
                let objectName =
                    tags.count == 3 && tags[2].tag.number == ApplicationTag.characterString
                    ? text(bytes, from: tags[2].offset &+ tags[2].tag.headerLength, length: tags[2].tag.length) : nil
                return [
                    Message.Target(kind: TargetKind.device, address: Int(device.instance)),
                    Message.Target(kind: objectTypeName(id.type), address: Int(id.instance), name: objectName),
                ]
            case .timeSynchronization, .utcTimeSynchronization:
                return timeTargets(bytes, from: start, end: end)
            default:
                return []
            }
        case .confirmedRequest:
            switch ConfirmedService(rawValue: service) {
            case .deviceCommunicationControl:
                var targets: [Message.Target] = []
                let state = contextUnsigned(bytes, number: 1, from: start, end: end).map { Int(clamping: $0) } ?? -1
                let duration =
                    contextUnsigned(bytes, number: 0, from: start, end: end).map { [Int(clamping: $0)] } ?? []
                targets.append(Message.Target(kind: TargetKind.communication, address: state, values: duration))
                if frame.anomalies.contains(.cleartextPassword) {
                    targets.append(Message.Target(kind: TargetKind.password, address: 0))
                }
                return targets
            case .reinitializeDevice:
                var targets: [Message.Target] = []
                let state = contextUnsigned(bytes, number: 0, from: start, end: end).map { Int(clamping: $0) } ?? -1
                targets.append(Message.Target(kind: TargetKind.reinitialize, address: state))
                if frame.anomalies.contains(.cleartextPassword) {
                    targets.append(Message.Target(kind: TargetKind.password, address: 0))
                }
                return targets
            case .subscribeCOV, .subscribeCOVProperty:
                guard let found = findTag(bytes, number: 1, isContext: true, from: start, end: end),
                    let id = objectIdentifier(
                        bytes, at: found.offset &+ found.tag.headerLength, length: found.tag.length)
                else { return [] }
                return [Message.Target(kind: objectTypeName(id.type), address: Int(id.instance))]
            default:
                return []
            }
        default:
            return []
        }
    }

    /// One target per property named: kind `<object_type>.<property>` (with `[index]` for an
    /// array element), address the instance, values the numbers the value carries; a write
    /// priority as a second target `<object_type>.<property>.priority`.
    static func propertyTargets(_ frame: Frame, bytes: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        forEachProperty(frame, bytes: bytes) { item in
            var kind = objectTypeName(item.objectType) + "." + propertyName(item.property)
            if let index = item.arrayIndex { kind += "[\(index)]" }
            let values =
                item.hasValue && !item.isError
                ? numericValues(bytes, from: item.valueStart, end: item.valueEnd, limit: maxValuesPerTarget)
                    .compactMap(eventInteger)
                : []
            targets.append(Message.Target(kind: kind, address: Int(item.instance), values: values))
            if let priority = item.priority {
                targets.append(
                    Message.Target(
                        kind: kind + ".priority", address: Int(item.instance), values: [Int(clamping: priority)]))
            }
        }
        return targets
    }

    /// Time synchronization: an application Date then Time.
    static func timeTargets(_ bytes: Span<UInt8>, from start: Int, end: Int) -> [Message.Target] {
        let tags = applicationTags(bytes, from: start, end: end, limit: 2)
        guard tags.count == 2, tags[0].tag.number == ApplicationTag.date, tags[0].tag.length == 4,
            tags[1].tag.number == ApplicationTag.time, tags[1].tag.length == 4
        else { return [] }
        let date = tags[0].offset &+ tags[0].tag.headerLength
        let time = tags[1].offset &+ tags[1].tag.headerLength
        let parts = [
            bytes.byte(at: date).map { $0 == 255 ? -1 : 1900 &+ Int($0) },
            bytes.byte(at: date &+ 1).map(Int.init), bytes.byte(at: date &+ 2).map(Int.init),
            bytes.byte(at: time).map(Int.init), bytes.byte(at: time &+ 1).map(Int.init),
            bytes.byte(at: time &+ 2).map(Int.init),
        ]
        return [Message.Target(kind: TargetKind.time, address: 0, values: parts.compactMap { $0 })]
    }
}
