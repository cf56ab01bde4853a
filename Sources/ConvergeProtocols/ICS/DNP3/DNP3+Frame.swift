import ConvergeModel

extension DNP3 {
    /// One parsed link frame: plain scalars only, so parsing allocates nothing. When the frame
    /// completes an application fragment, the application fields are filled in and the fragment
    /// itself stays in the direction's `Reassembly` until the next FIR (for `event`).
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public var link: Link.Header
        public var direction: Direction
        /// Whether the frame carried user data for the transport layer.
        public var hasTransport = false
        public var transportControl: UInt8 = 0
        /// Whether this frame's FIN completed an application fragment.
        public var completesFragment = false
        public var fragmentLength = 0
        public var applicationControl: UInt8 = 0
        public var rawFunction: UInt8 = 0
        /// Internal indications of a response: IIN1 in the high byte, IIN2 in the low byte.
        public var iin: UInt16 = 0
        /// Object headers walked in the fragment (at most `Objects.maxHeaders`).
        public var objectHeaders = 0
        /// Kinds of objects the fragment touches.
        public var touched = Touched(rawValue: 0)
        public var operation: Operation = .other
        public var anomalies = Anomalies(rawValue: 0)
        /// For a response: the request it answers.
        public var request: Pending?
        public var roundTripNanoseconds: Int64?

        /// Inlinable: `parse` (inlined into the engine) makes one per frame, and a call here
        /// would build the frame in a temporary and copy it.
        @inlinable
        public init(link: Link.Header, direction: Direction) {
            self.link = link
            self.direction = direction
        }

        /// Counted like Wireshark's `dnp3.al.func`: once per completed application fragment.
        public var hasFunction: Bool { completesFragment && fragmentLength >= Application.requestHeaderLength }
        public var functionCode: Int { Int(rawFunction) }
        public var function: Application.Function { Application.Function(rawValue: rawFunction) }
        public var transportSequence: UInt8 { transportControl & Transport.sequenceMask }
        public var applicationSequence: UInt8 { applicationControl & Application.sequenceMask }
        public var isUnsolicited: Bool { applicationControl & Application.unsolicitedBit != 0 }
        public var isResponse: Bool { function.isResponse }
    }

    /// Object families a fragment touches, gathered while walking its headers.
    public struct Touched: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Group 12: control relay output block, pattern control block or mask.
        public static let crob = Touched(rawValue: 1 << 0)
        /// Group 41: analog output block.
        public static let analogOutput = Touched(rawValue: 1 << 1)
        /// Group 70: file control.
        public static let file = Touched(rawValue: 1 << 2)
        /// Group 120: secure authentication.
        public static let authentication = Touched(rawValue: 1 << 3)
        /// Group 50: time and date.
        public static let time = Touched(rawValue: 1 << 4)
        /// Group 0: device attributes.
        public static let deviceAttributes = Touched(rawValue: 1 << 5)
        /// Group 60: class data.
        public static let classData = Touched(rawValue: 1 << 6)
        /// Group 80: internal indications.
        public static let internalIndications = Touched(rawValue: 1 << 7)
    }
}
