import ConvergeModel

extension MMS {
    /// The highest confirmed service tag ISO 9506-2 defines (fileDirectory).
    public static let maxConfirmedService: UInt32 = 77
    /// The highest unconfirmed service tag (eventNotification).
    public static let maxUnconfirmedService: UInt32 = 2

    /// Reads the MMS PDU `element`: its type, invoke id, service, initiate parameters or error,
    /// and pairs responses with requests.
    static func parseMMS(
        _ pdu: Span<UInt8>, element: BERElement, frame: inout Frame, time: Timestamp, state: inout State
    ) {
        frame.kind = .mms
        frame.mmsElement = element
        guard element.isContext, element.number <= UInt32(PDUType.concludeError) else {
            frame.anomalies.insert(.malformedPDU)
            return
        }
        frame.pduType = UInt8(element.number)
        switch frame.pduType {
        case PDUType.confirmedRequest, PDUType.confirmedResponse:
            readConfirmed(pdu, element: element, frame: &frame)
        case PDUType.confirmedError:
            readConfirmedError(pdu, element: element, frame: &frame)
        case PDUType.unconfirmed:
            if let service = firstChild(of: element, in: pdu), service.isContext {
                frame.service = service.number
                frame.hasService = true
                frame.serviceElement = service
                if service.number > maxUnconfirmedService { frame.anomalies.insert(.unknownService) }
            } else {
                frame.anomalies.insert(.malformedPDU)
            }
        case PDUType.reject:
            readReject(pdu, element: element, frame: &frame)
        case PDUType.cancelRequest, PDUType.cancelResponse:
            if let value = unsigned(element, in: pdu), value <= UInt64(UInt32.max) {
                frame.invokeID = UInt32(value)
                frame.hasInvokeID = true
            } else {
                frame.anomalies.insert(.malformedPDU)
            }
        case PDUType.cancelError:
            if let id = child(of: element, tagClass: BERClass.context, number: 0, in: pdu),
                let value = unsigned(id, in: pdu), value <= UInt64(UInt32.max)
            {
                frame.invokeID = UInt32(value)
                frame.hasInvokeID = true
            }
            if let error = child(of: element, tagClass: BERClass.context, number: 1, in: pdu) {
                readServiceError(pdu, element: error, frame: &frame)
            }
        case PDUType.initiateRequest, PDUType.initiateResponse:
            readInitiate(pdu, element: element, frame: &frame)
        case PDUType.initiateError, PDUType.concludeError:
            readServiceError(pdu, element: element, frame: &frame)
        default:
            break
        }
        pair(&frame, time: time, state: &state)
    }

    /// Confirmed request/response: invokeID, [listOfModifier], the service (a context tag).
    static func readConfirmed(_ pdu: Span<UInt8>, element: BERElement, frame: inout Frame) {
        guard let id = firstChild(of: element, in: pdu), id.isUniversal, id.number == Universal.integer,
            let value = unsigned(id, in: pdu), value <= UInt64(UInt32.max)
        else {
            frame.anomalies.insert(.malformedPDU)
            return
        }
        frame.invokeID = UInt32(value)
        frame.hasInvokeID = true
        var next = nextSibling(of: id, in: element, bytes: pdu)
        if let modifiers = next, modifiers.isUniversal, modifiers.number == Universal.sequence {
            next = nextSibling(of: modifiers, in: element, bytes: pdu)
        }
        // No context-tagged service: tshark counts none either (a bare invoke id, say).
        guard let service = next, service.isContext else { return }
        frame.service = service.number
        frame.hasService = true
        frame.serviceElement = service
        if service.number > maxConfirmedService { frame.anomalies.insert(.unknownService) }
    }

    /// Confirmed-ErrorPDU: invokeID [0], modifierPosition [1], serviceError [2].
    static func readConfirmedError(_ pdu: Span<UInt8>, element: BERElement, frame: inout Frame) {
        if let id = child(of: element, tagClass: BERClass.context, number: 0, in: pdu),
            let value = unsigned(id, in: pdu), value <= UInt64(UInt32.max)
        {
            frame.invokeID = UInt32(value)
            frame.hasInvokeID = true
        } else {
            frame.anomalies.insert(.malformedPDU)
        }
        if let error = child(of: element, tagClass: BERClass.context, number: 2, in: pdu) {
            readServiceError(pdu, element: error, frame: &frame)
        }
    }

    /// ServiceError: errorClass [0] is a choice [n] (the class) of an integer (the code).
    static func readServiceError(_ pdu: Span<UInt8>, element: BERElement, frame: inout Frame) {
        guard let errorClass = child(of: element, tagClass: BERClass.context, number: 0, in: pdu),
            let choice = firstChild(of: errorClass, in: pdu), choice.isContext
        else { return }
        frame.errorClass = choice.number
        frame.errorCode = signed(choice, in: pdu) ?? 0
        frame.hasError = true
    }

    /// RejectPDU: originalInvokeID [0] (optional), then the reason: [1…11] (the PDU kind
    /// rejected) holding a code.
    static func readReject(_ pdu: Span<UInt8>, element: BERElement, frame: inout Frame) {
        var current = firstChild(of: element, in: pdu)
        var seen = 0
        while let item = current, seen < 4 {
            seen &+= 1
            if item.isContext, item.number == 0, let value = unsigned(item, in: pdu), value <= UInt64(UInt32.max) {
                frame.invokeID = UInt32(value)
                frame.hasInvokeID = true
            } else if item.isContext {
                frame.errorClass = item.number
                frame.errorCode = signed(item, in: pdu) ?? 0
                frame.hasError = true
            }
            current = nextSibling(of: item, in: element, bytes: pdu)
        }
    }

    /// Initiate request/response: [0] max PDU size, [1] [2] max outstanding, [3] nesting,
    /// [4] detail { [0] version, [1] parameter CBB, [2] services supported }.
    static func readInitiate(_ pdu: Span<UInt8>, element: BERElement, frame: inout Frame) {
        var current = firstChild(of: element, in: pdu)
        var seen = 0
        while let item = current, seen < 8 {
            seen &+= 1
            if item.isContext {
                let value = UInt32(truncatingIfNeeded: unsigned(item, in: pdu) ?? 0)
                switch item.number {
                case 0: frame.initiate.maxPDUSize = value
                case 1: frame.initiate.maxOutstandingCalling = value
                case 2: frame.initiate.maxOutstandingCalled = value
                case 3: frame.initiate.nestingLevel = value
                case 4: readInitiateDetail(pdu, element: item, frame: &frame)
                default: break
                }
            }
            current = nextSibling(of: item, in: element, bytes: pdu)
        }
    }

    static func readInitiateDetail(_ pdu: Span<UInt8>, element: BERElement, frame: inout Frame) {
        frame.initiate.hasDetail = true
        var current = firstChild(of: element, in: pdu)
        var seen = 0
        while let item = current, seen < 8 {
            seen &+= 1
            switch item.number {
            case 0: frame.initiate.version = UInt32(truncatingIfNeeded: unsigned(item, in: pdu) ?? 0)
            case 1:
                let (bits, _) = bitString(item, in: pdu)
                frame.initiate.parameterCBB = UInt32(truncatingIfNeeded: bits >> 96)
            case 2:
                let (bits, count) = bitString(item, in: pdu)
                frame.initiate.servicesSupported = bits
                frame.initiate.servicesBits = count
            default: break
            }
            current = nextSibling(of: item, in: element, bytes: pdu)
        }
    }

    /// A BER bit string (first content byte: unused bits) in the top bits of a UInt128, and its
    /// bit count (at most 128 kept).
    static func bitString(_ element: BERElement, in pdu: Span<UInt8>) -> (bits: UInt128, count: Int) {
        guard element.contentLength >= 1, let unused = pdu.byte(at: element.contentStart), unused < 8 else {
            return (0, 0)
        }
        var bits: UInt128 = 0
        let bytes = min(element.contentLength &- 1, 16)
        for index in 0..<bytes {
            let byte = pdu.byte(at: element.contentStart &+ 1 &+ index) ?? 0
            bits |= UInt128(byte) << (120 &- 8 &* index)
        }
        return (bits, max(0, bytes &* 8 &- Int(unused)))
    }

    /// Requests wait by invoke id; responses and errors take theirs.
    static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
        guard frame.hasInvokeID else { return }
        switch frame.pduType {
        case PDUType.confirmedRequest:
            let pending = Pending(
                invokeID: frame.invokeID, service: frame.service, time: time,
                requestToClient: frame.direction == .toClient)
            if state.pending.insert(pending) {
                state.pendingOverflows &+= 1
                frame.anomalies.insert(.pendingOverflow)
            }
        case PDUType.confirmedResponse, PDUType.confirmedError:
            let key = PendingKey(invokeID: frame.invokeID, requestToClient: frame.direction == .toServer)
            guard let request = state.pending.take(key) else {
                frame.anomalies.insert(.unsolicitedResponse)
                return
            }
            frame.request = request
            frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
            if frame.pduType == PDUType.confirmedResponse, frame.hasService, request.service != frame.service {
                frame.anomalies.insert(.responseMismatch)
            }
        default:
            break
        }
    }
}
