import ConvergeModel

extension MMS {
    /// Abstract syntax OIDs (contents octets) of the presentation contexts MMS proposes.
    enum AbstractSyntax {
        /// 1.0.9506.2.1: MMS.
        static let mms: [UInt8] = [0x28, 0xca, 0x22, 0x02, 0x01]
        /// 2.2.1.0.1: ACSE.
        static let acse: [UInt8] = [0x52, 0x01, 0x00, 0x01]
    }

    /// Presentation contexts looked at per CP (an MMS CP proposes two).
    static let maxContexts = 16

    /// The presentation data value inside session user data: its context id (-1 if none) and the
    /// element it carries (ACSE or MMS).
    struct PresentationValue {
        var contextID: Int32 = -1
        var start = 0
        var end = 0
    }

    /// ISO 8823: CP and CPA are a SET whose normal-mode parameters [2] end with the user data;
    /// every later PPDU is the user data itself (fully encoded [APPLICATION 1], or simply encoded
    /// [APPLICATION 0]). Returns the first presentation data value and, for a CP, stores the
    /// MMS and ACSE context ids in `frame`.
    static func presentation(
        _ pdu: Span<UInt8>, from start: Int, to end: Int, connect: Bool, frame: inout Frame
    ) -> PresentationValue? {
        guard var userData = element(at: start, in: pdu, limit: end) else { return nil }
        if connect {
            guard userData.isUniversal, userData.number == Universal.set, userData.constructed,
                let normal = child(of: userData, tagClass: BERClass.context, number: 2, in: pdu)
            else { return nil }
            if let list = child(of: normal, tagClass: BERClass.context, number: 4, in: pdu) {
                readContexts(list, in: pdu, frame: &frame)
            }
            if let full = child(of: normal, tagClass: BERClass.application, number: 1, in: pdu) {
                userData = full
            } else if let simple = child(of: normal, tagClass: BERClass.application, number: 0, in: pdu) {
                userData = simple
            } else {
                return nil
            }
        }
        guard userData.tagClass == BERClass.application else { return nil }
        if userData.number == 0 {
            return PresentationValue(contextID: -1, start: userData.contentStart, end: userData.end)
        }
        guard userData.number == 1, let list = firstChild(of: userData, in: pdu), list.constructed else { return nil }
        var value = PresentationValue()
        var current = firstChild(of: list, in: pdu)
        var seen = 0
        while let item = current, seen < 4 {
            seen &+= 1
            if item.isUniversal, item.number == Universal.integer {
                value.contextID = Int32(truncatingIfNeeded: signed(item, in: pdu) ?? -1)
            } else if item.isContext, item.number == 0, item.constructed {
                value.start = item.contentStart
                value.end = item.end
                return value
            } else if item.isContext, item.number == 1 {
                value.start = item.contentStart
                value.end = item.end
                return value
            }
            current = nextSibling(of: item, in: list, bytes: pdu)
        }
        return nil
    }

    /// Context-definition-list: SEQUENCE OF { id INTEGER, abstract syntax OID, transfer syntaxes }.
    static func readContexts(_ list: BERElement, in pdu: Span<UInt8>, frame: inout Frame) {
        var current = firstChild(of: list, in: pdu)
        var seen = 0
        while let item = current, seen < maxContexts {
            seen &+= 1
            if let id = firstChild(of: item, in: pdu), id.number == Universal.integer,
                let oid = nextSibling(of: id, in: item, bytes: pdu), oid.number == Universal.oid,
                let value = signed(id, in: pdu)
            {
                if contentEquals(oid, AbstractSyntax.mms, in: pdu) {
                    frame.mmsContextID = Int32(truncatingIfNeeded: value)
                } else if contentEquals(oid, AbstractSyntax.acse, in: pdu) {
                    frame.acseContextID = Int32(truncatingIfNeeded: value)
                }
            }
            current = nextSibling(of: item, in: list, bytes: pdu)
        }
    }

    static func contentEquals(_ element: BERElement, _ expected: [UInt8], in pdu: Span<UInt8>) -> Bool {
        guard element.contentLength == expected.count else { return false }
        for index in 0..<expected.count where pdu.byte(at: element.contentStart &+ index) != expected[index] {
            return false
        }
        return true
    }
}
