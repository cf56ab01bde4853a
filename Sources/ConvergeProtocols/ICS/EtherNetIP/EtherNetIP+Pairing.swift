import ConvergeModel

extension EtherNetIP {
    /// Class-specific parts of a CIP request, then records it as pending.
    static func parseCIPRequest(
        _ message: Span<UInt8>, frame: inout Frame, cip: CIPMessage, time: Timestamp, state: inout State
    ) {
        var effective = cip
        if cip.path.classID == ObjectClass.connectionManager {
            switch cip.code {
            case Service.unconnectedSend:
                if let inner = parseUnconnectedSend(message, cip: cip, anomalies: &frame.anomalies), !inner.isResponse {
                    frame.embedded = inner
                    effective = inner
                } else {
                    frame.anomalies.insert(.invalidItem)
                }
            case Service.forwardOpen, Service.largeForwardOpen:
                frame.connection = parseForwardOpen(message, cip: cip, large: cip.code == Service.largeForwardOpen)
                if frame.connection == nil { frame.anomalies.insert(.invalidLength) }
            case Service.forwardClose:
                frame.connection = parseForwardClose(message, cip: cip)
                if frame.connection == nil { frame.anomalies.insert(.invalidLength) }
            default:
                break
            }
        }
        if effective.code == Service.executePCCC && effective.path.classID == ObjectClass.pccc {
            frame.pccc = parsePCCC(message, cip: effective, anomalies: &frame.anomalies)
        }
        if effective.code == Service.multipleServicePacket {
            checkMultipleService(message, cip: effective, frame: &frame)
        }
        // Codes outside the class-specific range are named only when they are common services.
        let isClassSpecific = effective.code >= 0x4b && effective.code <= 0x63
        if !isClassSpecific && !isCommonService(effective.code) { frame.anomalies.insert(.unknownService) }
        let pending = Pending(
            key: pairingKey(frame), command: frame.command, service: effective.code,
            classID: effective.path.classID, instance: effective.path.instance,
            attribute: effective.path.attribute, isSymbolic: effective.path.isSymbolic,
            viaUnconnectedSend: frame.embedded != nil, pcccFunction: frame.pccc?.function, time: time)
        if state.pending.insert(pending) {
            state.pendingOverflows &+= 1
            frame.anomalies.insert(.pendingOverflow)
        }
    }

    /// Pairs a CIP response with its request and reads its class-specific parts.
    static func parseCIPResponse(
        _ message: Span<UInt8>, frame: inout Frame, cip: CIPMessage, time: Timestamp, state: inout State
    ) {
        let request = state.pending.take(PairingKey(command: frame.command, value: pairingKey(frame)))
        if let request {
            frame.request = request
            frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
        } else {
            frame.anomalies.insert(.unsolicitedResponse)
        }
        let classID = request?.classID
        if classID == ObjectClass.connectionManager, cip.generalStatus == 0 {
            switch cip.code {
            case Service.forwardOpen, Service.largeForwardOpen:
                frame.connection = parseForwardOpenReply(message, cip: cip)
            case Service.forwardClose:
                frame.connection = parseForwardClose(message, cip: cip)
            default:
                break
            }
        }
        if cip.code == Service.executePCCC && classID == ObjectClass.pccc && cip.generalStatus == 0 {
            frame.pccc = parsePCCC(message, cip: cip, anomalies: &frame.anomalies)
        }
        if cip.code == Service.multipleServicePacket {
            checkMultipleService(message, cip: cip, frame: &frame)
        }
    }
}
