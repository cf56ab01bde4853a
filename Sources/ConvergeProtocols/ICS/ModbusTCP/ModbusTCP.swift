import ConvergeModel
import ConvergeWire

/// Modbus/TCP (MODBUS Messaging on TCP/IP Implementation Guide V1.0b; Application Protocol V1.1b3).
///
/// One ADU is the 7-byte MBAP header (transaction id, protocol id 0, length, unit id) followed by
/// the PDU (function code and data). `parse` takes one ADU from the front of an in-order byte
/// stream; several ADUs may sit in one segment and a partial one asks for more. Requests travel
/// to the server, responses to the client; the flow's `State` pairs them by transaction id.
public enum ModbusTCP: Dissector {
    public typealias Parsed = Frame

    /// MBAP header: transaction id (2), protocol id (2), length (2), unit id (1).
    public static let mbapLength = 7
    /// The length field counts the unit id and the PDU; it needs at least a function code.
    public static let minLengthField = 2
    /// The spec's largest length field: unit id (1) + the largest PDU (253).
    public static let maxLengthFieldBySpec = 254
    /// The largest length field accepted at all (the spec's whole ADU size): longer ones cannot be
    /// Modbus framing, so the stream is malformed. Values above `maxLengthFieldBySpec` but within
    /// this cap are parsed and flagged `invalidLength`.
    public static let maxLengthField = 260
    /// The smallest complete ADU: MBAP header and a function code.
    public static let minADULength = mbapLength + 1
    /// Offset of the function code within an ADU.
    static let functionOffset = 7
    /// Offset of the first data byte after the function code.
    static let dataOffset = 8

    public static var name: String { "modbus" }
    public static var portHints: PortHints { PortHints(tcp: [502]) }
    public static func makeState() -> State { State() }

    /// Decides from the first bytes: protocol id 0 and a length within the spec (an exception
    /// only from the server).
    public static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult {
        if let protocolID = bytes.uint16BE(at: 2), protocolID != 0 { return .reject }
        if let length = bytes.uint16BE(at: 4),
            Int(length) < minLengthField || Int(length) > maxLengthFieldBySpec
        {
            return .reject
        }
        guard let code = bytes.byte(at: functionOffset) else { return .needMore }
        let isException = code & 0x80 != 0
        if isException && direction == .toServer { return .reject }
        // Any function code is accepted once the MBAP header fits: a scan of undefined codes is
        // still Modbus, and exactly what a defender needs to see (as `unknown_function`).
        return .match
    }

    /// Takes one ADU from the front of `bytes`. Broken framing (protocol id not 0, a length field
    /// outside 2…`maxLengthField`) is `.malformed`; a body that disagrees with its function's
    /// layout is parsed and carries an anomaly. Allocates nothing once the flow's pending table
    /// exists (it is reserved on the flow's first request).
    @inlinable
    public static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Frame, consumed: Int) {
        // The work is in `takeMessage`, which fills the frame in place: a frame this size returned from
        // a function with typed throws across modules goes through a temporary and a copy (and the
        // copy stalls on reading back what was just stored), measurable on every message. Inlined
        // into the caller, only the scalars it reads are loaded.
        var frame = Frame(transactionID: 0, lengthField: 0, unitID: 0, rawFunction: 0, direction: direction)
        let consumed = try takeMessage(bytes, direction: direction, time: time, state: &state, into: &frame)
        return (frame, consumed)
    }

    /// `parse`'s work: fills `frame` and returns the bytes used.
    @usableFromInline
    static func takeMessage(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State, into frame: inout Frame
    ) throws(DissectError) -> Int {
        if let protocolID = bytes.uint16BE(at: 2), protocolID != 0 {
            throw .malformed("modbus: protocol id \(protocolID) is not 0")
        }
        guard let length = bytes.uint16BE(at: 4) else { throw .needMore(minADULength) }
        let lengthField = Int(length)
        guard lengthField >= minLengthField, lengthField <= maxLengthField else {
            throw .malformed("modbus: length field \(lengthField) outside \(minLengthField)...\(maxLengthField)")
        }
        let total = 6 &+ lengthField
        guard bytes.count >= total,
            let transactionID = bytes.uint16BE(at: 0),
            let unitID = bytes.byte(at: 6),
            let code = bytes.byte(at: functionOffset)
        else { throw .needMore(total) }

        // `frame` arrives fresh from `parse` (defaults, this direction): only the header is set,
        // field by field, rather than a whole new frame copied over it.
        frame.transactionID = transactionID
        frame.lengthField = length
        frame.unitID = unitID
        frame.rawFunction = code
        if lengthField > maxLengthFieldBySpec { frame.anomalies.insert(.invalidLength) }
        let adu = bytes.extracting(0..<total)
        if direction == .toServer {
            parseRequest(adu, frame: &frame, time: time, state: &state)
        } else {
            parseResponse(adu, frame: &frame, time: time, state: &state)
        }
        return total
    }

    /// Checks a request's layout, records it as pending and watches for unit-id and function scans.
    /// Inlined into `takeMessage`, its one caller: no call, and the frame stays in registers.
    @inline(__always)
    static func parseRequest(_ adu: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        if frame.isException || frame.rawFunction == 0 { frame.anomalies.insert(.invalidFunctionCode) }
        let function = frame.function
        if !function.isNamed && !function.isUserDefined {
            frame.anomalies.insert(.unknownFunction)
            if state.noteProbedFunction(function.rawValue) { frame.anomalies.insert(.functionScan) }
        }
        let request = Shape.checkRequest(adu, function: function, anomalies: &frame.anomalies)
        frame.subFunction = request.subFunction
        let pending = Pending(
            transactionID: frame.transactionID, unitID: frame.unitID, function: function.rawValue,
            subFunction: request.subFunction, address: request.address, quantity: request.quantity,
            time: time)
        if state.pending.insert(pending) {
            state.pendingOverflows &+= 1
            frame.anomalies.insert(.pendingOverflow)
        }
        if state.noteUnit(frame.unitID) { frame.anomalies.insert(.unitScan) }
    }

    /// Pairs a response with its request (round-trip time, request fields) and checks its layout.
    /// Inlined into `takeMessage` like `parseRequest`.
    @inline(__always)
    static func parseResponse(_ adu: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        let function = frame.function
        // Kept in a local and handed on from there: reading it back out of `frame` right after
        // storing it stalls (the stores are narrower than the loads).
        let request = state.pending.take(transactionID: frame.transactionID)
        if let request {
            frame.request = request
            frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
            if request.function != function.rawValue || request.unitID != frame.unitID {
                frame.anomalies.insert(.responseMismatch)
            }
            frame.subFunction = request.subFunction
        } else {
            frame.anomalies.insert(.unsolicitedResponse)
        }
        if frame.isException {
            let code = adu.byte(at: dataOffset) ?? 0
            frame.exceptionCode = code
            if adu.count != dataOffset &+ 1 { frame.anomalies.insert(.invalidLength) }
            if ExceptionCode(rawValue: code).name == nil { frame.anomalies.insert(.invalidExceptionCode) }
            // An "illegal function" answer tells a prober the code is unsupported: the scan signal.
            let probed = request?.function ?? function.rawValue
            if code == ExceptionCode.illegalFunction.rawValue, state.noteProbedFunction(probed) {
                frame.anomalies.insert(.functionScan)
            }
            return
        }
        if !function.isNamed && !function.isUserDefined { frame.anomalies.insert(.unknownFunction) }
        Shape.checkResponse(adu, function: function, request: request, frame: &frame)
    }
}
