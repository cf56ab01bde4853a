import ConvergeModel
import ConvergeWire

/// IEC 61850 GOOSE (IEC 61850-8-1 Annex A/C): EtherType 0x88B8, an 8-byte header (APPID, length,
/// reserved 1 with the edition 2 simulation bit, reserved 2), then a BER goosePdu (tag 0x61).
///
/// Counted function: 1 per goosePdu, as tshark's `goose.goosePdu_element` (one per frame).
/// Operation `other`: a link dissector keeps no state, so it cannot tell a steady retransmission
/// (same stNum, sqNum + 1) from a state change (stNum + 1, sqNum 0). stNum and sqNum go into the
/// event's `control_block` target; the engine keeps a `GOOSE.SequenceCheck` per gocbRef and may
/// raise the operation to `control` when it reports `goose_st_change`.
/// In-frame anomalies: test/simulation flags, ndsCom, numDatSetEntries ≠ entries present,
/// timeAllowedtoLive 0, and the malformed ones (`goose.truncated`, …).
public enum GOOSE: LinkDissector {
    public typealias Parsed = PDU

    public static let etherType: UInt16 = 0x88B8
    public static let pduTag: UInt8 = 0x61
    /// allData elements counted; more are not looked at (a data set has at most a few hundred).
    public static let maxEntries = 4096
    /// Context-tagged fields of goosePdu read; a PDU has 12 or 13, more is garbage.
    public static let maxFields = 32
    /// Bytes of a string kept in events and facts (object references are ≤ 129 characters).
    public static let maxStringBytes = 129

    public static var name: String { "goose" }

    public static func claims(etherType: UInt16, payload: Span<UInt8>) -> Bool {
        etherType == Self.etherType && payload.count >= IEC61850Header.length
    }

    /// Reads one frame. Only a payload shorter than the header is `.malformed`; everything else
    /// odd is flagged in `anomalies`.
    public static func parse(_ payload: Span<UInt8>) throws(DissectError) -> PDU {
        guard let header = IEC61850Header.read(payload) else {
            throw .malformed("goose: \(payload.count) bytes is shorter than the header")
        }
        var pdu = PDU()
        pdu.header = header
        if header.isSimulated { pdu.anomalies.insert(.simulated) }
        let (end, cut, bad) = header.pduEnd(in: payload)
        if cut { pdu.anomalies.insert(.truncated) }
        if bad { pdu.anomalies.insert(.badLength) }
        switch SNMP.BER.read(payload, at: IEC61850Header.length, end: end) {
        case .element(let element):
            pdu.pduTag = element.identifier
            guard element.identifier == pduTag else {
                pdu.anomalies.insert(.unknownPDU)
                return pdu
            }
            readFields(payload, BERWalk.Cursor(inside: element), into: &pdu)
            if element.valueEnd > payload.count { pdu.anomalies.insert(.truncated) }
        case .truncated:
            pdu.anomalies.insert(.truncated)
        case .invalid:
            pdu.anomalies.insert(end > IEC61850Header.length ? .badEncoding : .truncated)
        }
        return pdu
    }

    static let mandatory: UInt16 = {
        let fields: [Field] = [
            .gocbRef, .timeAllowedToLive, .dataSet, .time, .stNum, .sqNum, .confRev, .numDatSetEntries, .allData,
        ]
        return fields.reduce(0) { $0 | 1 << $1.rawValue }
    }()

    static func readFields(_ payload: Span<UInt8>, _ start: BERWalk.Cursor, into pdu: inout PDU) {
        var cursor = start
        var fields = 0
        while fields < maxFields, let element = cursor.next(payload) {
            fields &+= 1
            guard element.identifier & BERWalk.classMask == BERWalk.contextClass, element.number <= 12,
                let field = Field(rawValue: UInt16(element.number))
            else { continue }
            pdu.fieldsSeen |= 1 << field.rawValue
            readField(field, element, payload, into: &pdu)
        }
        switch cursor.stop {
        case .none: break
        case .truncated: pdu.anomalies.insert(.truncated)
        case .invalid: pdu.anomalies.insert(.badEncoding)
        }
        if pdu.fieldsSeen & mandatory != mandatory { pdu.anomalies.insert(.missingField) }
        if pdu.has(.simulation), pdu.simulation { pdu.anomalies.insert(.test) }
        if pdu.has(.needsCommissioning), pdu.needsCommissioning { pdu.anomalies.insert(.needsCommissioning) }
        if pdu.has(.timeAllowedToLive), pdu.timeAllowedToLive == 0 { pdu.anomalies.insert(.zeroTimeAllowedToLive) }
        if pdu.has(.numDatSetEntries), pdu.has(.allData), pdu.numDatSetEntries != Int64(pdu.entriesPresent) {
            pdu.anomalies.insert(.entryCountMismatch)
        }
    }

    static func readField(_ field: Field, _ element: SNMP.Element, _ payload: Span<UInt8>, into pdu: inout PDU) {
        let integer = SNMP.BER.integerValue(payload, element) ?? 0
        switch field {
        case .gocbRef: pdu.gocbRef = BERSlice(value: element, in: payload)
        case .dataSet: pdu.dataSet = BERSlice(value: element, in: payload)
        case .goID: pdu.goID = BERSlice(value: element, in: payload)
        case .timeAllowedToLive: pdu.timeAllowedToLive = integer
        case .stNum: pdu.stNum = integer
        case .sqNum: pdu.sqNum = integer
        case .confRev: pdu.confRev = integer
        case .numDatSetEntries: pdu.numDatSetEntries = integer
        case .simulation: pdu.simulation = boolean(payload, element)
        case .needsCommissioning: pdu.needsCommissioning = boolean(payload, element)
        case .time:
            var raw: UInt64 = 0
            let end = min(element.valueEnd, payload.count, element.valueStart &+ 8)
            for index in element.valueStart..<max(end, element.valueStart) { raw = raw << 8 | UInt64(payload[index]) }
            pdu.time = UTCTime(raw: raw)
        case .allData:
            pdu.allData = BERSlice(value: element, in: payload)
            var entries = BERWalk.Cursor(inside: element)
            while pdu.entriesPresent < maxEntries, entries.next(payload) != nil { pdu.entriesPresent &+= 1 }
            if entries.stop == .truncated { pdu.anomalies.insert(.truncated) }
            if entries.stop == .invalid { pdu.anomalies.insert(.badEncoding) }
        case .security: break
        }
    }

    /// A BER BOOLEAN: any nonzero first octet is true.
    static func boolean(_ payload: Span<UInt8>, _ element: SNMP.Element) -> Bool {
        element.valueLength >= 1 && element.valueStart < payload.count && payload[element.valueStart] != 0
    }
}
