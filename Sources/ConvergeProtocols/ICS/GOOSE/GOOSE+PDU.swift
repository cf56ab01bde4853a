import ConvergeModel

extension GOOSE {
    /// One GOOSE frame as `parse` read it: the header, every goosePdu field as a number or as a
    /// slice of the payload (strings are read only when an event is built), and allData counted.
    public struct PDU: ParsedMessage, Sendable {
        public var header = IEC61850Header()
        /// The PDU's tag: 0x61 for a goosePdu (anything else is flagged `unknownPDU`).
        public var pduTag: UInt8 = 0
        /// [0] gocbRef, [2] datSet, [3] goID (VisibleString, slices of the payload).
        public var gocbRef = BERSlice()
        public var dataSet = BERSlice()
        public var goID = BERSlice()
        /// [1] timeAllowedtoLive in milliseconds.
        public var timeAllowedToLive: Int64 = 0
        /// [4] t: UtcTime, 8 bytes as on the wire (seconds, 24-bit fraction, quality).
        public var time = UTCTime()
        public var stNum: Int64 = 0
        public var sqNum: Int64 = 0
        /// [7] `test` in edition 1, `simulation` in edition 2.
        public var simulation = false
        public var confRev: Int64 = 0
        /// [9] ndsCom: the control block needs commissioning.
        public var needsCommissioning = false
        /// [10] numDatSetEntries, as declared.
        public var numDatSetEntries: Int64 = 0
        /// [11] allData's value, and the Data elements found in it (capped at `maxEntries`).
        public var allData = BERSlice()
        public var entriesPresent = 0
        /// Which context tags [0]…[12] were seen: bit n for [n].
        public var fieldsSeen: UInt16 = 0
        public var anomalies: Anomalies = []

        public init() {}

        /// 1 for a goosePdu, as tshark's `goose.goosePdu_element`: one per frame.
        public var functionCode: Int { 1 }
        public var hasFunction: Bool { pduTag == GOOSE.pduTag }
        public var functionName: String { hasFunction ? "goose_pdu" : "goose_unknown_pdu" }

        public func has(_ field: Field) -> Bool { fieldsSeen & (1 << field.rawValue) != 0 }
    }

    /// Context tags of goosePdu's fields (IEC 61850-8-1 Annex A, IECGoosePdu).
    public enum Field: UInt16, Sendable {
        case gocbRef = 0, timeAllowedToLive, dataSet, goID, time, stNum, sqNum, simulation, confRev
        case needsCommissioning, numDatSetEntries, allData, security
    }

    /// An IEC 61850 UtcTime: seconds since 1970, a binary fraction of a second (24 bits) and a
    /// quality octet (leap second known, clock failure, not synchronised, accuracy bits).
    public struct UTCTime: Sendable, Equatable {
        public var raw: UInt64 = 0
        public init(raw: UInt64 = 0) { self.raw = raw }
        public var seconds: UInt32 { UInt32(truncatingIfNeeded: raw >> 32) }
        public var fraction: UInt32 { UInt32(truncatingIfNeeded: raw >> 8) & 0xFF_FFFF }
        public var quality: UInt8 { UInt8(truncatingIfNeeded: raw) }
        /// The fraction as nanoseconds (rounded down).
        public var nanoseconds: Int { Int((UInt64(fraction) &* 1_000_000_000) >> 24) }
    }

    /// What was odd in a GOOSE frame whose header was read.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The PDU's [7] test/simulation flag is set: test traffic a subscriber in normal mode
        /// must ignore, unexpected on a plant bus.
        public static let test = Anomalies(rawValue: 1 << 0)
        /// The header's reserved 1 simulation bit is set (edition 2).
        public static let simulated = Anomalies(rawValue: 1 << 1)
        /// ndsCom: the publisher's control block is not configured (needs commissioning).
        public static let needsCommissioning = Anomalies(rawValue: 1 << 2)
        /// numDatSetEntries differs from the Data elements in allData.
        public static let entryCountMismatch = Anomalies(rawValue: 1 << 3)
        /// timeAllowedtoLive 0: every subscriber would time the message out at once.
        public static let zeroTimeAllowedToLive = Anomalies(rawValue: 1 << 4)
        /// The header's length ran past the bytes, or the BER ended early.
        public static let truncated = Anomalies(rawValue: 1 << 5)
        /// The header's length is shorter than the header.
        public static let badLength = Anomalies(rawValue: 1 << 6)
        /// A BER header that cannot be read inside its container.
        public static let badEncoding = Anomalies(rawValue: 1 << 7)
        /// A mandatory field (gocbRef, timeAllowedtoLive, datSet, t, stNum, sqNum, confRev,
        /// numDatSetEntries, allData) is absent.
        public static let missingField = Anomalies(rawValue: 1 << 8)
        /// The PDU is not a goosePdu (tag 0x61).
        public static let unknownPDU = Anomalies(rawValue: 1 << 9)

        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.test, "goose_test"),
            (.simulated, "goose_simulation"),
            (.needsCommissioning, "goose_needs_commissioning"),
            (.entryCountMismatch, "goose_entry_count_mismatch"),
            (.zeroTimeAllowedToLive, "goose_zero_ttl"),
            (.truncated, "goose.truncated"),
            (.badLength, "goose.bad_length"),
            (.badEncoding, "goose.bad_encoding"),
            (.missingField, "goose.missing_field"),
            (.unknownPDU, "goose.unknown_pdu"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.anomaly) ? $0.name : nil } }
    }
}
