import ConvergeModel

extension ModbusTCP {
    /// One parsed ADU: plain scalars only, so parsing allocates nothing. Offsets are relative to
    /// the start of the bytes handed to `parse`; the PDU is `lengthField - 1` bytes from offset 7.
    public struct Frame: ParsedMessage, Sendable, Equatable {
        public var transactionID: UInt16
        /// The MBAP length field: unit id plus PDU bytes.
        public var lengthField: UInt16
        public var unitID: UInt8
        /// The function byte as on the wire, exception bit included.
        public var rawFunction: UInt8
        public var direction: Direction
        /// The exception code of an exception response, 0 otherwise.
        public var exceptionCode: UInt8 = 0
        /// Diagnostics (8) sub-function, MEI type (43) or UMAS function (90); for a response the
        /// request's when paired (UMAS responses carry only a status). 0 when not applicable.
        public var subFunction: UInt16 = 0
        public var anomalies = Anomalies(rawValue: 0)
        /// For a response: the request it answers, when one was pending.
        public var request: Pending?
        /// For a paired response: time since its request, in nanoseconds.
        public var roundTripNanoseconds: Int64?

        public init(
            transactionID: UInt16, lengthField: UInt16, unitID: UInt8, rawFunction: UInt8,
            direction: Direction
        ) {
            self.transactionID = transactionID
            self.lengthField = lengthField
            self.unitID = unitID
            self.rawFunction = rawFunction
            self.direction = direction
        }

        /// Whether this is a request (client to server).
        public var isRequest: Bool { direction == .toServer }
        /// Whether the exception bit (0x80) of the function byte is set.
        public var isException: Bool { rawFunction & 0x80 != 0 }
        /// The function without the exception bit.
        public var function: Function { Function(rawValue: rawFunction & 0x7f) }
        /// Counted like Wireshark's `modbus.func_code`: exceptions count under their function.
        public var functionCode: Int { Int(rawFunction & 0x7f) }
        /// Framing guarantees a function byte (the length field is at least 2).
        public var hasFunction: Bool { true }
        /// Bytes of the whole ADU, as `parse` consumed them.
        public var aduLength: Int { 6 &+ Int(lengthField) }
        /// Where the PDU (function code) starts and how long it is.
        public var pduOffset: Int { ModbusTCP.functionOffset }
        public var pduLength: Int { Int(lengthField) &- 1 }
    }

    /// A request waiting for its response, kept in the flow's `State`.
    public struct Pending: Sendable, Equatable {
        public var transactionID: UInt16
        public var unitID: UInt8
        /// The request's function code (without exception bit).
        public var function: UInt8
        public var subFunction: UInt16
        /// The first address the request touches (for 23: the read range), 0 when none.
        public var address: UInt16
        /// How many items it touches (for 23: the read quantity), 0 when none.
        public var quantity: UInt16
        public var time: Timestamp

        public init(
            transactionID: UInt16, unitID: UInt8, function: UInt8, subFunction: UInt16,
            address: UInt16, quantity: UInt16, time: Timestamp
        ) {
            self.transactionID = transactionID
            self.unitID = unitID
            self.function = function
            self.subFunction = subFunction
            self.address = address
            self.quantity = quantity
            self.time = time
        }
    }
}
