import ConvergeModel

extension MMS {
    /// ISO 8650 ACSE: AARQ/AARE carry the MMS initiate in user-information [30] (an EXTERNAL
    /// whose single-ASN1-type [0] or octet-aligned [1] is the MMS PDU); RLRQ, RLRE and ABRT stand
    /// alone. AP titles, AE qualifiers and the result are kept as elements.
    static func parseACSE(
        _ pdu: Span<UInt8>, element apdu: BERElement, frame: inout Frame, time: Timestamp, state: inout State
    ) {
        frame.kind = .acse
        frame.acseTag = apdu.number <= UInt32(ACSETag.abrt) ? UInt8(apdu.number) : ACSETag.none
        guard apdu.constructed else {
            frame.anomalies.insert(.presentationMalformed)
            return
        }
        let isRequest = frame.acseTag == ACSETag.aarq
        var userInformation: BERElement? = nil
        var current = firstChild(of: apdu, in: pdu)
        var seen = 0
        while let item = current, seen < maxChildren {
            seen &+= 1
            if item.isContext {
                readAssociationField(item, isRequest: isRequest, in: pdu, frame: &frame)
                if item.number == 30 { userInformation = item }
            }
            current = nextSibling(of: item, in: apdu, bytes: pdu)
        }
        if frame.acseTag == ACSETag.aare, let result = frame.association.result, result != 0 {
            frame.anomalies.insert(.associationRejected)
        }
        guard frame.acseTag == ACSETag.aarq || frame.acseTag == ACSETag.aare, let information = userInformation,
            let external = firstChild(of: information, in: pdu), external.constructed
        else { return }
        let encoding =
            child(of: external, tagClass: BERClass.context, number: 0, in: pdu)
            ?? child(of: external, tagClass: BERClass.context, number: 1, in: pdu)
        guard let encoding, let inner = element(at: encoding.contentStart, in: pdu, limit: encoding.end),
            inner.isContext
        else { return }
        parseMMS(pdu, element: inner, frame: &frame, time: time, state: &state)
    }

    /// One context-tagged AARQ/AARE field.
    static func readAssociationField(_ item: BERElement, isRequest: Bool, in pdu: Span<UInt8>, frame: inout Frame) {
        let inner = firstChild(of: item, in: pdu)
        switch (item.number, isRequest) {
        case (1, _): frame.association.contextName = inner
        case (2, true): frame.association.calledAPTitle = inner
        case (3, true): frame.association.calledAEQualifier = inner.flatMap { signed($0, in: pdu) }
        case (6, true): frame.association.callingAPTitle = inner
        case (7, true): frame.association.callingAEQualifier = inner.flatMap { signed($0, in: pdu) }
        case (12, true):
            frame.association.authentication = item
            // charstring [0]: a password; other forms (bit string, external) are tokens or certificates.
            if let inner, inner.isContext, inner.number == 0 { frame.anomalies.insert(.cleartextPassword) }
        case (2, false): frame.association.result = inner.flatMap { signed($0, in: pdu) }
        case (4, false): frame.association.respondingAPTitle = inner
        case (5, false): frame.association.respondingAEQualifier = inner.flatMap { signed($0, in: pdu) }
        default: break
        }
    }
}
