extension ModbusTCP {
    /// What was wrong with a message whose framing was sound. Names follow Suricata's event style
    /// (`modbus.invalid_length`) so rules can match them.
    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The length field or a byte count disagrees with the function's layout, or exceeds the spec.
        public static let invalidLength = Anomalies(rawValue: 1 << 0)
        /// A function code that is neither public, UMAS nor in a user-defined range.
        public static let unknownFunction = Anomalies(rawValue: 1 << 1)
        /// A request with function 0 or the exception bit set.
        public static let invalidFunctionCode = Anomalies(rawValue: 1 << 2)
        /// An exception code the spec does not define.
        public static let invalidExceptionCode = Anomalies(rawValue: 1 << 3)
        /// A quantity or value outside the spec's range (e.g. 0 registers, a coil value not 0/0xFF00).
        public static let invalidValue = Anomalies(rawValue: 1 << 4)
        /// A response whose function, unit, echo or byte count does not fit its request.
        public static let responseMismatch = Anomalies(rawValue: 1 << 5)
        /// A response with no pending request of its transaction id.
        public static let unsolicitedResponse = Anomalies(rawValue: 1 << 6)
        /// The pending table was full: the oldest request was dropped.
        public static let pendingOverflow = Anomalies(rawValue: 1 << 7)
        /// The flow's requests have now reached `State.unitScanThreshold` distinct unit ids.
        public static let unitScan = Anomalies(rawValue: 1 << 8)
        /// The flow has now probed `State.functionScanThreshold` unsupported function codes.
        public static let functionScan = Anomalies(rawValue: 1 << 9)

        /// Every anomaly with its event name, in bit order.
        public static let named: [(anomaly: Anomalies, name: String)] = [
            (.invalidLength, "modbus.invalid_length"),
            (.unknownFunction, "modbus.unknown_function"),
            (.invalidFunctionCode, "modbus.invalid_function_code"),
            (.invalidExceptionCode, "modbus.invalid_exception_code"),
            (.invalidValue, "modbus.invalid_value"),
            (.responseMismatch, "modbus.response_mismatch"),
            (.unsolicitedResponse, "modbus.unsolicited_response"),
            (.pendingOverflow, "modbus.pending_overflow"),
            (.unitScan, "modbus.unit_scan"),
            (.functionScan, "modbus.function_scan"),
        ]

        /// The event names of the anomalies set here (allocates: for events only).
        public var names: [String] {
            Self.named.compactMap { contains($0.anomaly) ? $0.name : nil }
        }
    }
}
