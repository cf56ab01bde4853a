import ConvergeModel

extension IEC104 {
    /// The three APCI formats, told apart by the low bits of the first control octet.
    public enum Format: UInt8, Sendable, Equatable {
        /// Numbered information transfer: carries an ASDU, a send and a receive sequence number.
        case information = 0
        /// Numbered supervisory function: acknowledges I frames up to its receive sequence number.
        case supervisory = 1
        /// Unnumbered control functions: STARTDT, STOPDT, TESTFR (act/con).
        case unnumbered = 3

        public init(control: UInt8) {
            if control & 0x01 == 0 {
                self = .information
            } else {
                self = control & 0x02 == 0 ? .supervisory : .unnumbered
            }
        }
    }

    /// The function bits (2…7) of a U frame's first control octet.
    public struct UFunction: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The function bits of a first control octet.
        public init(control: UInt8) { self.rawValue = control & 0xfc }

        public static let startDataTransferActivation = UFunction(rawValue: 0x04)
        public static let startDataTransferConfirmation = UFunction(rawValue: 0x08)
        public static let stopDataTransferActivation = UFunction(rawValue: 0x10)
        public static let stopDataTransferConfirmation = UFunction(rawValue: 0x20)
        public static let testFrameActivation = UFunction(rawValue: 0x40)
        public static let testFrameConfirmation = UFunction(rawValue: 0x80)

        /// Exactly one function bit is set, as the spec requires.
        public var isSingleKnown: Bool { rawValue != 0 && rawValue & (rawValue &- 1) == 0 }

        /// The event name (`startdt_act` …), `u_invalid` when not exactly one bit is set.
        public var name: String {
            switch self {
            case .startDataTransferActivation: "startdt_act"
            case .startDataTransferConfirmation: "startdt_con"
            case .stopDataTransferActivation: "stopdt_act"
            case .stopDataTransferConfirmation: "stopdt_con"
            case .testFrameActivation: "testfr_act"
            case .testFrameConfirmation: "testfr_con"
            default: "u_invalid"
            }
        }
    }

    /// One parsed APDU: plain scalars only, so parsing allocates nothing. The ASDU, when there is
    /// one, starts at offset `apciLength` of the bytes handed to `parse`.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        /// The APCI length byte: control octets plus ASDU.
        public var lengthField: UInt8
        /// The four control octets as on the wire.
        public var control1: UInt8
        public var control2: UInt8
        public var control3: UInt8
        public var control4: UInt8
        public var direction: Direction
        public var anomalies = Anomalies(rawValue: 0)

        /// ASDU header (I frames): zero where the ASDU is too short to carry the field.
        public var asduLength = 0
        public var rawTypeID: UInt8 = 0
        /// Variable structure qualifier: SQ bit (0x80) and the number of objects.
        public var variableStructure: UInt8 = 0
        /// Cause of transmission octet: cause (bits 0…5), negative (0x40), test (0x80).
        public var rawCause: UInt8 = 0
        public var originatorAddress: UInt8 = 0
        public var commonAddress: UInt16 = 0
        /// The first object's address (0 when absent).
        public var firstObjectAddress: UInt32 = 0
        /// Objects whose bytes are all present (at most the declared number).
        public var objectsPresent = 0
        /// The first object's qualifier octet for commands (SCO, DCO, RCO, QOS, QOI, QCC, QRP, QPM …),
        /// 0 when the type has none or it is absent.
        public var qualifier: UInt8 = 0

        /// For a confirmation: the activation it answers, when one was pending.
        public var request: Pending?
        /// For a paired confirmation: time since its activation, in nanoseconds.
        public var roundTripNanoseconds: Int64?

        public init(lengthField: UInt8, control: (UInt8, UInt8, UInt8, UInt8), direction: Direction) {
            self.lengthField = lengthField
            (control1, control2, control3, control4) = control
            self.direction = direction
        }

        public var format: Format { Format(control: control1) }
        /// I frames: N(S), the sender's 15-bit sequence number.
        public var sendSequence: UInt16 { (UInt16(control1) | UInt16(control2) << 8) >> 1 }
        /// I and S frames: N(R), the next sequence number the sender expects to receive.
        public var receiveSequence: UInt16 { (UInt16(control3) | UInt16(control4) << 8) >> 1 }
        /// U frames: the function bits.
        public var uFunction: UFunction { UFunction(control: control1) }

        /// Counted like Wireshark's `iec60870_asdu.typeid`: the type id of an I frame's ASDU.
        public var functionCode: Int { Int(rawTypeID) }
        /// Only I frames with at least one ASDU octet carry a type id; S and U frames count as
        /// messages without a function.
        public var hasFunction: Bool { format == .information && asduLength > 0 }
        public var typeID: TypeID { TypeID(rawValue: rawTypeID) }
        public var cause: Cause { Cause(rawValue: rawCause & 0x3f) }
        public var isNegative: Bool { rawCause & 0x40 != 0 }
        public var isTest: Bool { rawCause & 0x80 != 0 }
        /// SQ = 1: one address, then consecutive elements.
        public var isSequence: Bool { variableStructure & 0x80 != 0 }
        public var declaredObjects: Int { Int(variableStructure & 0x7f) }
        /// Bytes of the whole APDU, as `parse` consumed them.
        public var apduLength: Int { IEC104.headerLength &+ Int(lengthField) }
    }
}
