import ConvergeModel

extension MMS {
    /// Target kinds of MMS events.
    public enum TargetKind {
        /// A named variable: `name` is `domain/item` (domain-specific), `item` (VMD-specific) or
        /// `@item` (association-specific); `value` the data written or reported.
        public static let namedVariable = "named_variable"
        /// A named variable list (an IEC 61850 data set, an ICCP transfer set).
        public static let variableList = "variable_list"
        /// A data value without a name in this PDU (read response, report entry): `address` is its index.
        public static let data = "data"
        /// A domain (IEC 61850 logical device, ICCP bilateral table domain).
        public static let domain = "domain"
        /// A program invocation.
        public static let programInvocation = "program_invocation"
        /// A file name.
        public static let file = "file"
        /// A getNameList scope: `address` the object class, `name` the domain (nil: VMD).
        public static let nameList = "name_list"
        /// A name a getNameList response returned.
        public static let name = "name"
        /// Initiate parameters: `address` the max PDU size, `values` max outstanding calling and
        /// called, nesting level, version; `value` the services supported.
        public static let initiate = "initiate"
        /// An ACSE AP title (`name`, dotted OID) and AE qualifier (`address`); `value` says whose.
        public static let apTitle = "ap_title"
        /// The identify response: `name` vendor, `value` model and revision.
        public static let identity = "identity"
    }

    /// ICCP/TASE.2 (IEC 60870-6-503) names that mark an association as ICCP.
    static let tase2Names = ["Bilateral_Table_ID", "TASE2_Version", "Supported_Features"]

    /// The normalised event. `bytes` is the span given to `parse`.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let list = withPDU(parsed, bytes: bytes, state: state) { pdu -> [Message.Target] in targets(parsed, pdu: pdu) }
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: operation(parsed), targets: list,
            status: status(parsed), anomalies: parsed.anomalies.names)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests are pending; errors, rejects and refused associations are exceptions.
    static func status(_ frame: Frame) -> Message.Status {
        if frame.kind == .acse, frame.acseTag == ACSETag.aare, let result = frame.association.result, result != 0 {
            return .exception(code: Int(result), name: "association_rejected")
        }
        guard frame.kind == .mms else { return .ok }
        if frame.pduType == PDUType.reject {
            let reason = name(rejectNames, frame.errorClass) ?? "reject"
            return .exception(code: Int(frame.errorClass) << 8 | Int(frame.errorCode & 0xff), name: "reject_" + reason)
        }
        if frame.hasError {
            let errorClass = name(errorClassNames, frame.errorClass) ?? "class_\(frame.errorClass)"
            return .exception(
                code: Int(frame.errorClass) << 8 | Int(frame.errorCode & 0xff), name: "\(errorClass)_\(frame.errorCode)"
            )
        }
        if frame.pduType == PDUType.confirmedError || frame.pduType == PDUType.initiateError {
            return .exception(code: -1, name: "error")
        }
        return frame.isRequest ? .pending : .ok
    }

    static func targets(_ frame: Frame, pdu: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        if frame.acseTag != ACSETag.none { associationTargets(frame, pdu: pdu, into: &targets) }
        guard frame.kind == .mms || frame.kind == .acse else { return targets }
        switch frame.pduType {
        case PDUType.initiateRequest, PDUType.initiateResponse: targets.append(initiateTarget(frame.initiate))
        case PDUType.confirmedRequest, PDUType.confirmedResponse:
            if let service = frame.serviceElement {
                serviceTargets(frame, service: service, pdu: pdu, into: &targets)
            }
        case PDUType.unconfirmed:
            if frame.service == 0, let report = frame.serviceElement {
                informationReport(report, pdu: pdu, into: &targets)
            }
        default: break
        }
        if targets.count > maxTargets { targets.removeLast(targets.count &- maxTargets) }
        return targets
    }

    static func initiateTarget(_ initiate: Initiate) -> Message.Target {
        var services: [String] = []
        for index in 0..<min(initiate.servicesBits, confirmedServiceNames.count) where initiate.supports(index) {
            services.append(confirmedServiceNames[index])
        }
        return Message.Target(
            kind: TargetKind.initiate, address: Int(initiate.maxPDUSize),
            values: [
                Int(initiate.maxOutstandingCalling), Int(initiate.maxOutstandingCalled), Int(initiate.nestingLevel),
                Int(initiate.version),
            ],
            value: initiate.hasDetail ? "services=" + services.joined(separator: ",") : nil)
    }

    static func associationTargets(_ frame: Frame, pdu: Span<UInt8>, into targets: inout [Message.Target]) {
        let association = frame.association
        let titles: [(BERElement?, Int64?, String)] = [
            (association.callingAPTitle, association.callingAEQualifier, "calling"),
            (association.calledAPTitle, association.calledAEQualifier, "called"),
            (association.respondingAPTitle, association.respondingAEQualifier, "responding"),
        ]
        for (title, qualifier, role) in titles {
            guard let title, title.isUniversal, title.number == Universal.oid else { continue }
            targets.append(
                Message.Target(
                    kind: TargetKind.apTitle, address: Int(qualifier ?? 0), name: oidText(title, in: pdu), value: role))
        }
    }
}
