import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// Target kinds of EtherNet/IP and CIP events.
    public enum TargetKind {
        /// A Logix tag by name: address is the byte offset (fragmented services), count the
        /// elements, values the decoded elements.
        public static let tag = "tag"
        /// A CIP object by logical path: address packs class << 32 | instance << 16 | attribute
        /// (each clipped to its field), name is `@class/instance/attribute`.
        public static let object = "cip_object"
        /// A CIP connection (Forward Open/Close): address is the connection serial; values are
        /// O→T id, T→O id, O→T RPI, T→O RPI (µs) and transport class.
        public static let connection = "cip_connection"
        /// A PCCC command: address is command << 8 | function.
        public static let pccc = "pccc"
        /// The identity a ListIdentity reply describes: address is the vendor id; values are
        /// device type, product code, serial, revision (major << 8 | minor) and device state.
        public static let identity = "identity"
        /// A service a ListServices reply offers: address is its capability flags (bit 5: CIP
        /// over TCP, bit 8: CIP class 0/1 over UDP), name its name, values its protocol version.
        public static let service = "enip_service"
    }

    /// Event targets of one message at most (a Multiple Service Packet may hold hundreds).
    public static let maxEventTargets = 64

    /// The normalised event. A message that carries CIP is reported as protocol `cip` with the
    /// CIP service as its function (code without the response bit, as `cip.sc`); for an
    /// Unconnected Send the embedded request's service. Other messages are protocol `enip` with
    /// the encapsulation command.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let message = bytes.extracting(0..<min(parsed.totalLength, bytes.count))
        guard let cip = parsed.cip else { return encapsulationEvent(parsed, message: message, context: context) }
        let effective = parsed.embedded ?? cip
        let target = serviceTarget(parsed, effective)
        var operation = serviceOperation(effective.code, target: target)
        if let pccc = parsed.pccc {
            operation = pcccOperation(command: pccc.command, function: pccc.function ?? parsed.request?.pcccFunction)
        }
        // Without targets the tag names are neither remembered nor looked up: they only name targets.
        let wantsTargets = context.wantsTargets
        var targets = wantsTargets ? cipTargets(parsed, effective, message: message, target: target, state: &state) : []
        if effective.code == Service.multipleServicePacket {
            operation = embeddedOperation(message, effective, depth: 1, fallback: .read)
            if wantsTargets { targets = embeddedTargets(message, effective, key: pairingKey(parsed), state: &state) }
        }
        var event = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: "cip", direction: parsed.direction, functionCode: Int(effective.code),
            functionName: cipFunctionName(parsed, effective, target: target), operation: operation,
            targets: targets, status: status(parsed), anomalies: parsed.anomalies.names)
        event.roundTripNanoseconds = parsed.roundTripNanoseconds
        return event
    }

    static func encapsulationEvent(_ parsed: Frame, message: Span<UInt8>, context: MessageContext) -> Message {
        var targets: [Message.Target] = []
        if context.wantsTargets, let identity = identity(parsed, bytes: message) {
            var target = Message.Target(
                kind: TargetKind.identity, address: Int(identity.vendor), count: 1,
                values: [
                    Int(identity.deviceType), Int(identity.productCode), Int(identity.serial),
                    Int(identity.revisionMajor) << 8 | Int(identity.revisionMinor), Int(identity.state),
                ])
            target.name = text(
                message, offset: identity.nameOffset, length: identity.nameLength, cap: maxProductNameLength)
            targets.append(target)
        }
        if context.wantsTargets, let service = listedService(parsed, message: message) { targets.append(service) }
        var event = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: parsed.direction, functionCode: parsed.functionCode,
            functionName: parsed.command.name ?? "command_" + hex(parsed.command.rawValue, digits: 4),
            operation: parsed.command.operation, targets: targets, status: status(parsed),
            anomalies: parsed.anomalies.names)
        event.roundTripNanoseconds = parsed.roundTripNanoseconds
        return event
    }

    /// The service item (0x100) of a ListServices reply: version, capability flags, 16-byte name.
    static func listedService(_ parsed: Frame, message: Span<UInt8>) -> Message.Target? {
        guard parsed.command == .listServices, !parsed.isRequest, parsed.identityItemLength >= 4,
            let version = le16(message, parsed.identityItemOffset),
            let flags = le16(message, parsed.identityItemOffset &+ 2)
        else { return nil }
        var target = Message.Target(kind: TargetKind.service, address: Int(flags), count: 1, values: [Int(version)])
        target.name = text(
            message, offset: parsed.identityItemOffset &+ 4, length: min(16, parsed.identityItemLength &- 4), cap: 16)
        return target
    }

    /// The class and kind of path a service addresses: a response's comes from its request.
    static func serviceTarget(_ parsed: Frame, _ effective: CIPMessage) -> ServiceTarget {
        if effective.isResponse {
            // A failed Unconnected Send answers as the connection manager (0xd2), not as the
            // embedded service.
            if let request = parsed.request, request.viaUnconnectedSend, effective.code == Service.unconnectedSend,
                request.service != Service.unconnectedSend
            {
                return ServiceTarget(classID: ObjectClass.connectionManager, isSymbolic: false)
            }
            return parsed.request?.target ?? ServiceTarget(classID: nil, isSymbolic: false)
        }
        return ServiceTarget(effective.path)
    }

    static func cipFunctionName(_ parsed: Frame, _ effective: CIPMessage, target: ServiceTarget) -> String {
        if let pccc = parsed.pccc,
            let name = pcccName(command: pccc.command, function: pccc.function ?? parsed.request?.pcccFunction)
        {
            return "execute_pccc." + name
        }
        return serviceDisplayName(effective.code, target: target)
    }

    /// Requests are pending; a response is ok, or carries the encapsulation or CIP status.
    static func status(_ frame: Frame) -> Message.Status {
        if frame.isRequest { return .pending }
        if frame.status != 0 {
            return .exception(code: Int(frame.status), name: encapsulationStatusName(frame.status))
        }
        guard let cip = frame.cip, cip.generalStatus != 0 else { return .ok }
        return .exception(code: Int(cip.generalStatus), name: generalStatusName(cip.generalStatus))
    }

    public static func encapsulationStatusName(_ status: UInt32) -> String {
        switch status {
        case 0x0000: "success"
        case 0x0001: "invalid_or_unsupported_command"
        case 0x0002: "insufficient_memory"
        case 0x0003: "incorrect_data"
        case 0x0064: "invalid_session_handle"
        case 0x0065: "invalid_length"
        case 0x0069: "unsupported_protocol_revision"
        case 0x006a: "encapsulated_cip_service_not_allowed"
        default: "unknown"
        }
    }

    /// What one CIP request or response touches. Tag names of requests are remembered in the
    /// state so the response's event can name what it returns.
    static func cipTargets(
        _ parsed: Frame, _ cip: CIPMessage, message: Span<UInt8>, target: ServiceTarget, state: inout State
    ) -> [Message.Target] {
        if let info = parsed.connection {
            var connection = Message.Target(
                kind: TargetKind.connection, address: Int(info.connectionSerial),
                values: [
                    Int(info.originatorToTargetID), Int(info.targetToOriginatorID), Int(info.originatorToTargetRPI),
                    Int(info.targetToOriginatorRPI), Int(info.transportClass),
                ])
            if info.classID != nil {
                var path = Path()
                path.classID = info.classID
                path.instance = info.instance ?? info.connectionPoint
                connection.name = logicalName(path)
            }
            return [connection]
        }
        if let pccc = parsed.pccc {
            let function = pccc.function ?? parsed.request?.pcccFunction
            var target = Message.Target(kind: TargetKind.pccc, address: Int(pccc.command) << 8 | Int(function ?? 0))
            target.name = pcccName(command: pccc.command, function: function)
            return [target]
        }
        if cip.isResponse, let request = parsed.request, request.classID != nil, !request.isSymbolic {
            return [responseObject(message, cip, request: request)]
        }
        return serviceTargets(message, cip, target: target, key: pairingKey(parsed), state: &state)
    }

    /// A response from an object addressed by class/instance/attribute: the request's path and
    /// the reply's data bytes (the attribute value of a Get).
    static func responseObject(_ message: Span<UInt8>, _ cip: CIPMessage, request: Pending) -> Message.Target {
        var path = Path()
        path.classID = request.classID
        path.instance = request.instance
        path.attribute = request.attribute
        var object = Message.Target(kind: TargetKind.object, address: packedAddress(path))
        object.name = logicalName(path)
        if cip.generalStatus == 0 {
            object.values = rawBytes(message, offset: cip.dataOffset, length: cip.dataLength)
            object.count = cip.dataLength
        }
        return object
    }

    /// Targets of a single service (not a Multiple Service Packet).
    static func serviceTargets(
        _ message: Span<UInt8>, _ cip: CIPMessage, target: ServiceTarget, key: UInt64, state: inout State
    ) -> [Message.Target] {
        if target.isLogix, let data = logixData(message, cip: cip, code: cip.code) {
            var tag = Message.Target(
                kind: TargetKind.tag, address: data.byteOffset, count: data.elements,
                values: logixValues(message, data))
            if cip.isResponse {
                tag.name = state.takeTag(key: key)
            } else if cip.path.isSymbolic {
                let name = tagName(message, path: cip.path)
                tag.name = name
                state.rememberTag(name, key: key)
            }
            return [tag]
        }
        guard !cip.isResponse, cip.path.classID != nil else { return [] }
        var object = Message.Target(kind: TargetKind.object, address: packedAddress(cip.path))
        object.name = logicalName(cip.path)
        if cip.code == Service.setAttributeSingle || cip.code == Service.setAttributesAll {
            object.values = rawBytes(message, offset: cip.dataOffset, length: cip.dataLength)
            object.count = cip.dataLength
        }
        return [object]
    }

    /// class << 32 | instance << 16 | attribute, each clipped so the result stays positive.
    static func packedAddress(_ path: Path) -> Int {
        let classID = Int(min(path.classID ?? 0, 0x7fff_ffff))
        let instance = Int(min(path.instance ?? 0, 0xffff))
        let attribute = Int(min(path.attribute ?? 0, 0xffff))
        return classID << 32 | instance << 16 | attribute
    }

    static func rawBytes(_ message: Span<UInt8>, offset: Int, length: Int) -> [Int] {
        var values: [Int] = []
        let count = min(length, maxTargetValues)
        values.reserveCapacity(max(0, count))
        var index = 0
        while index < count, let byte = u8(message, offset &+ index) {
            values.append(Int(byte))
            index &+= 1
        }
        return values
    }

    /// The weightiest operation among the services a Multiple Service Packet carries (a
    /// response's services are judged by code alone: their paths are in the request).
    static func embeddedOperation(
        _ message: Span<UInt8>, _ cip: CIPMessage, depth: Int, fallback: Operation
    ) -> Operation {
        guard depth <= maxNesting else { return fallback }
        var best: Operation?
        var scratch = Anomalies(rawValue: 0)
        forEachEmbeddedService(message, in: cip) { offset, length in
            guard let inner = parseCIP(message, offset: offset, length: length, anomalies: &scratch) else { return }
            let target = inner.isResponse ? ServiceTarget(classID: nil, isSymbolic: true) : ServiceTarget(inner.path)
            var operation = serviceOperation(inner.code, target: target)
            if inner.code == Service.multipleServicePacket {
                operation = embeddedOperation(message, inner, depth: depth &+ 1, fallback: fallback)
            }
            if best.map({ weight(operation) > weight($0) }) ?? true { best = operation }
        }
        return best ?? fallback
    }

    /// One target per embedded service, up to `maxEventTargets`. Tag names are remembered by
    /// the packet's pairing key and the service's position, which its response repeats.
    static func embeddedTargets(
        _ message: Span<UInt8>, _ cip: CIPMessage, key: UInt64, state: inout State
    ) -> [Message.Target] {
        var targets: [Message.Target] = []
        var scratch = Anomalies(rawValue: 0)
        var index: UInt64 = 0
        forEachEmbeddedService(message, in: cip) { offset, length in
            index &+= 1
            guard targets.count < maxEventTargets,
                let inner = parseCIP(message, offset: offset, length: length, anomalies: &scratch)
            else { return }
            let target = inner.isResponse ? ServiceTarget(classID: nil, isSymbolic: true) : ServiceTarget(inner.path)
            let serviceKey = key &+ index << 40
            targets.append(contentsOf: serviceTargets(message, inner, target: target, key: serviceKey, state: &state))
        }
        return targets
    }
}
