import ConvergeModel
import ConvergeWire

/// IEC 61850-9-2 Sampled Values: EtherType 0x88BA, the same 8-byte header as GOOSE, then a BER
/// savPdu (tag 0x60): [0] noASDU, [1] security (optional), [2] seqASDU, a SEQUENCE OF ASDU each
/// with [0] svID, [1] datSet, [2] smpCnt, [3] confRev, [4] refrTm, [5] smpSynch, [6] smpRate,
/// [7] seqData, [8] smpMod.
///
/// Counted function: 1 per savPdu (tshark's `sv.savPdu_element`). Operation `other`. Sampled
/// values stream at 4,000 frames a second and more, so `parse` reads only the header, noASDU and
/// the first ASDU's svID, smpCnt and confRev; the event walks up to `maxEventASDUs`.
public enum SV: LinkDissector {
    public typealias Parsed = Frame

    public static let etherType: UInt16 = 0x88BA
    public static let pduTag: UInt8 = 0x60
    /// ASDUs counted in seqASDU (9-2LE sends 1 or 8).
    public static let maxASDUs = 256
    public static let maxEventASDUs = 8
    public static let maxStringBytes = 129

    public struct Frame: ParsedMessage, Sendable {
        public var header = IEC61850Header()
        public var pduTag: UInt8 = 0
        /// [0] noASDU as declared.
        public var declaredASDUs: Int64 = 0
        /// ASDUs present in seqASDU (capped at `maxASDUs`) and where seqASDU's value lies.
        public var asdusPresent = 0
        public var sequence = BERSlice()
        /// The first ASDU's svID, smpCnt and confRev.
        public var svID = BERSlice()
        public var sampleCount: Int64 = 0
        public var confRev: Int64 = 0
        public var anomalies: Anomalies = []
        public init() {}

        public var functionCode: Int { 1 }
        public var hasFunction: Bool { pduTag == SV.pduTag }
        public var functionName: String { hasFunction ? "sav_pdu" : "sv_unknown_pdu" }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let simulated = Anomalies(rawValue: 1 << 0)
        public static let truncated = Anomalies(rawValue: 1 << 1)
        public static let badLength = Anomalies(rawValue: 1 << 2)
        public static let badEncoding = Anomalies(rawValue: 1 << 3)
        /// noASDU differs from the ASDUs in seqASDU.
        public static let asduCountMismatch = Anomalies(rawValue: 1 << 4)
        public static let unknownPDU = Anomalies(rawValue: 1 << 5)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.simulated, "sv_simulation"),
            (.truncated, "sv.truncated"),
            (.badLength, "sv.bad_length"),
            (.badEncoding, "sv.bad_encoding"),
            (.asduCountMismatch, "sv_asdu_count_mismatch"),
            (.unknownPDU, "sv.unknown_pdu"),
        ]
        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }

    public static var name: String { "sv" }

    public static func claims(etherType: UInt16, payload: Span<UInt8>) -> Bool {
        etherType == Self.etherType && payload.count >= IEC61850Header.length
    }

    public static func parse(_ payload: Span<UInt8>) throws(DissectError) -> Frame {
        guard let header = IEC61850Header.read(payload) else {
            throw .malformed("sv: \(payload.count) bytes is shorter than the header")
        }
        var frame = Frame()
        frame.header = header
        if header.isSimulated { frame.anomalies.insert(.simulated) }
        let (end, cut, bad) = header.pduEnd(in: payload)
        if cut { frame.anomalies.insert(.truncated) }
        if bad { frame.anomalies.insert(.badLength) }
        switch SNMP.BER.read(payload, at: IEC61850Header.length, end: end) {
        case .element(let element):
            frame.pduTag = element.identifier
            guard element.identifier == pduTag else {
                frame.anomalies.insert(.unknownPDU)
                return frame
            }
            readPDU(payload, element, into: &frame)
        case .truncated: frame.anomalies.insert(.truncated)
        case .invalid: frame.anomalies.insert(end > IEC61850Header.length ? .badEncoding : .truncated)
        }
        return frame
    }

    static func note(_ stop: BERWalk.Stop, into frame: inout Frame) {
        switch stop {
        case .none: break
        case .truncated: frame.anomalies.insert(.truncated)
        case .invalid: frame.anomalies.insert(.badEncoding)
        }
    }

    static func readPDU(_ payload: Span<UInt8>, _ pdu: SNMP.Element, into frame: inout Frame) {
        var cursor = BERWalk.Cursor(inside: pdu)
        var fields = 0
        var sawCount = false
        while fields < 8, let element = cursor.next(payload) {
            fields &+= 1
            if element.identifier == 0x80 {
                frame.declaredASDUs = SNMP.BER.integerValue(payload, element) ?? 0
                sawCount = true
            } else if element.identifier == 0xA2 {
                frame.sequence = BERSlice(value: element, in: payload)
                var asdus = BERWalk.Cursor(inside: element)
                while frame.asdusPresent < maxASDUs, let asdu = asdus.next(payload) {
                    if frame.asdusPresent == 0 { readFirstASDU(payload, asdu, into: &frame) }
                    frame.asdusPresent &+= 1
                }
                note(asdus.stop, into: &frame)
            }
        }
        note(cursor.stop, into: &frame)
        if sawCount, frame.declaredASDUs != Int64(frame.asdusPresent), !frame.anomalies.contains(.truncated) {
            frame.anomalies.insert(.asduCountMismatch)
        }
    }

    static func readFirstASDU(_ payload: Span<UInt8>, _ asdu: SNMP.Element, into frame: inout Frame) {
        var cursor = BERWalk.Cursor(inside: asdu)
        var fields = 0
        while fields < 16, let element = cursor.next(payload) {
            fields &+= 1
            if element.identifier == 0x80 { frame.svID = BERSlice(value: element, in: payload) }
            if element.identifier == 0x82 {
                // smpCnt is an INT16U as two octets (9-2 §8.6), not a BER INTEGER.
                var count: Int64 = 0
                for index in element.valueStart..<min(element.valueEnd, payload.count, element.valueStart &+ 4) {
                    count = count << 8 | Int64(payload[index])
                }
                frame.sampleCount = count
            }
            if element.identifier == 0x83 {
                // confRev is an INT32U as four octets.
                var revision: Int64 = 0
                for index in element.valueStart..<min(element.valueEnd, payload.count, element.valueStart &+ 4) {
                    revision = revision << 8 | Int64(payload[index])
                }
                frame.confRev = revision
            }
        }
        note(cursor.stop, into: &frame)
    }
}
