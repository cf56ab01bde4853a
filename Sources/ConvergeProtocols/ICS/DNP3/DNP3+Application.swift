import ConvergeModel

extension DNP3 {
    /// The application layer (IEEE 1815 clause 4): control (FIR, FIN, CON, UNS, 4-bit sequence),
    /// function code, IIN in responses, then object headers.
    public enum Application {
        public static let firBit: UInt8 = 0x80
        public static let finBit: UInt8 = 0x40
        public static let confirmBit: UInt8 = 0x20
        public static let unsolicitedBit: UInt8 = 0x10
        public static let sequenceMask: UInt8 = 0x0f
        /// Control and function code.
        public static let requestHeaderLength = 2
        /// Control, function code and the two IIN bytes.
        public static let responseHeaderLength = 4

        /// Fills the application fields of `frame` from a completed fragment, walks its object
        /// headers (no allocation) and pairs responses with requests.
        static func parse(_ fragment: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
            frame.completesFragment = true
            frame.fragmentLength = fragment.count
            guard fragment.count >= requestHeaderLength else {
                frame.anomalies.insert(.fragmentTooShort)
                return
            }
            frame.applicationControl = fragment[0]
            frame.rawFunction = fragment[1]
            let function = frame.function
            if !function.isDefined { frame.anomalies.insert(.unknownFunction) }
            var objectsStart = requestHeaderLength
            if function.isResponse {
                guard fragment.count >= responseHeaderLength else {
                    frame.anomalies.insert(.fragmentTooShort)
                    return
                }
                frame.iin = UInt16(fragment[2]) << 8 | UInt16(fragment[3])
                objectsStart = responseHeaderLength
            }
            let walk = Objects.walk(fragment, from: objectsStart, headersOnly: function.headersOnly) { _ in }
            frame.objectHeaders = walk.headers
            frame.touched = walk.touched
            frame.anomalies.formUnion(walk.anomalies)
            pair(&frame, time: time, state: &state)
        }

        /// Requests wait in their sequence slot; a solicited response takes its request's
        /// operation and round-trip time. Confirms and unsolicited responses pair with nothing.
        static func pair(_ frame: inout Frame, time: Timestamp, state: inout State) {
            let function = frame.function
            let fromMaster = frame.direction == .toServer
            switch function {
            case .response, .authenticateResponse:
                if fromMaster { frame.anomalies.insert(.wrongDirection) }
                if let request = state.answer(sequence: frame.applicationSequence, time: time) {
                    frame.request = request
                    frame.operation = request.operation
                    frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
                } else {
                    frame.operation = function.baseOperation
                    if function == .response { frame.anomalies.insert(.unsolicitedResponse) }
                }
            case .unsolicitedResponse:
                if fromMaster { frame.anomalies.insert(.wrongDirection) }
                frame.operation = function.baseOperation
            case .confirm:
                frame.operation = function.baseOperation
            default:
                frame.operation = function.operation(touching: frame.touched)
                if !fromMaster { frame.anomalies.insert(.wrongDirection) }
                // Direct operate without acknowledgement gets no response.
                guard function != .directOperateNoAck, function.rawValue != 8, function.rawValue != 10,
                    function.rawValue != 12
                else { return }
                state.remember(Pending(
                    sequence: frame.applicationSequence, function: function.rawValue, operation: frame.operation,
                    time: time))
            }
        }
    }
}
