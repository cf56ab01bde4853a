import ConvergeModel

extension S7Comm {
    /// Userdata function groups (lower nibble of the type/group byte).
    public enum Group {
        public static let modeTransition: UInt8 = 0
        public static let programmerCommands: UInt8 = 1
        public static let cyclicData: UInt8 = 2
        public static let blockFunctions: UInt8 = 3
        public static let cpuFunctions: UInt8 = 4
        public static let security: UInt8 = 5
        public static let bsendBrecv: UInt8 = 6
        public static let timeFunctions: UInt8 = 7
        public static let ncProgramming: UInt8 = 0x0f
    }

    /// Userdata type nibble: push (unrequested), request, response.
    public enum UserdataType {
        public static let push: UInt8 = 0
        public static let request: UInt8 = 4
        public static let response: UInt8 = 8
    }

    /// The CPU-functions subfunction that reads a system status list.
    public static let readSZL: UInt8 = 1

    /// Userdata parameter head (00 01 12), length, method, type/group, subfunction, sequence;
    /// an 8-byte parameter adds data unit reference, last-data-unit flag and an error code.
    /// The data part holds one item: return code, transport size, length, payload.
    static func parseUserdata(
        _ parameter: Span<UInt8>, data: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State
    ) {
        guard parameter.count >= 8, let length = parameter.byte(at: 3), let method = parameter.byte(at: 4),
            let typeGroup = parameter.byte(at: 5), let subfunction = parameter.byte(at: 6),
            let sequence = parameter.byte(at: 7)
        else {
            frame.anomalies.insert(.invalidParameter)
            return
        }
        frame.userdataMethod = method
        frame.userdataType = typeGroup >> 4
        frame.userdataGroup = typeGroup & 0x0f
        frame.userdataSubfunction = subfunction
        frame.userdataSequence = sequence
        // Mode-transition pushes of some CPUs carry another head (01 00 10); like Wireshark, the
        // fields are read at their usual offsets whatever the head says.
        let standardHead = parameter.byte(at: 0) == 0 && parameter.byte(at: 1) == 1 && parameter.byte(at: 2) == 0x12
        if standardHead, length == 8, parameter.count >= 12 {
            frame.dataUnitReference = parameter.byte(at: 8) ?? 0
            frame.lastDataUnit = parameter.byte(at: 9) == 0
            frame.userdataError = parameter.uint16BE(at: 10) ?? 0
        } else if standardHead ? (length != 4 || parameter.count != 8) : frame.userdataGroup != Group.modeTransition {
            frame.anomalies.insert(.invalidParameter)
        }
        if userdataFunctionName(group: frame.userdataGroup, subfunction: subfunction) == nil {
            frame.anomalies.insert(.unknownFunction)
        }
        frame.returnCode = data.byte(at: 0) ?? 0
        let payloadLength = Int(data.uint16BE(at: 2) ?? 0)
        let payloadEnd = min(4 &+ payloadLength, data.count)
        if data.count >= 4, 4 &+ payloadLength > data.count { frame.anomalies.insert(.invalidParameter) }
        frame.userdataPayloadLength = UInt16(truncatingIfNeeded: max(0, payloadEnd &- 4))
        let isSZL = frame.userdataGroup == Group.cpuFunctions && subfunction == readSZL
        switch frame.userdataType {
        case UserdataType.request:
            requestSubject(data, payloadEnd: payloadEnd, frame: &frame)
            if isSZL {
                frame.szlID = data.uint16BE(at: 4) ?? 0
                frame.szlIndex = data.uint16BE(at: 6) ?? 0
                if payloadLength < 4, state.szl.openReference != 0 {
                    // A follow-up request for the next part of an open SZL carries no id.
                    frame.szlID = state.szl.szlID
                    frame.szlIndex = state.szl.szlIndex
                }
            }
            var pending = Pending(
                pduReference: frame.pduReference, rosctr: ROSCTR.userdata, function: 0,
                userdataGroup: frame.userdataGroup, userdataSubfunction: subfunction, szlID: frame.szlID,
                szlIndex: frame.szlIndex, firstItem: 0, itemCount: 0, time: time)
            pending.blockType = frame.blockType
            pending.blockNumber = frame.blockNumber
            pending.jobFunction = frame.jobFunction
            if state.pending.insert(pending) {
                state.pendingOverflows &+= 1
                frame.anomalies.insert(.pendingOverflow)
            }
        case UserdataType.response:
            if let request = state.pending.take(PendingKey(pduReference: frame.pduReference, userdata: true)) {
                frame.request = request
                frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
                if request.userdataGroup != frame.userdataGroup || request.userdataSubfunction != subfunction {
                    frame.anomalies.insert(.responseMismatch)
                } else {
                    frame.blockType = request.blockType
                    frame.blockNumber = request.blockNumber
                    frame.jobFunction = request.jobFunction
                }
            } else {
                frame.anomalies.insert(.unsolicitedResponse)
            }
            if isSZL { collectSZL(data, payloadEnd: payloadEnd, frame: &frame, state: &state) }
        default:
            break
        }
    }

    /// What a request names that its response does not repeat: the block type of a list of
    /// blocks, the block of a block info request ("0A00001A": type as two hex digits, five-digit
    /// number, file system), the job a programmer command enables, disables or deletes.
    static func requestSubject(_ data: Span<UInt8>, payloadEnd: Int, frame: inout Frame) {
        switch (frame.userdataGroup, frame.userdataSubfunction) {
        case (Group.blockFunctions, 0x02):
            guard payloadEnd >= 6, let high = hexDigit(data.byte(at: 4)), let low = hexDigit(data.byte(at: 5)) else {
                frame.anomalies.insert(.invalidParameter)
                return
            }
            frame.blockType = high << 4 | low
        case (Group.blockFunctions, 0x03):
            guard payloadEnd >= 11 else {
                frame.anomalies.insert(.invalidParameter)
                return
            }
            parseBlockID(data, at: 4, frame: &frame)
        case (Group.programmerCommands, 0x0d), (Group.programmerCommands, 0x0e), (Group.programmerCommands, 0x0f),
            (Group.programmerCommands, 0x12):
            // Test-and-installation data: parameter size, data size, parameter, then the job's
            // function and reference.
            guard let parameterSize = data.uint16BE(at: 4) else { return }
            let jobOffset = 8 &+ Int(parameterSize)
            guard jobOffset < payloadEnd, let job = data.byte(at: jobOffset) else { return }
            frame.jobFunction = job
        default:
            break
        }
    }

    /// Whether an SZL id is one of the identity lists (module identification 0x_011, component
    /// identification 0x_01C) whose records `facts` reads.
    public static func isIdentitySZL(_ id: UInt16) -> Bool {
        let list = id & 0x00ff
        return list == 0x11 || list == 0x1c
    }

    /// A Read SZL response part: the first carries the SZL header (id, index, record length,
    /// count), later parts (same data unit reference) continue the records.
    static func collectSZL(_ data: Span<UInt8>, payloadEnd: Int, frame: inout Frame, state: inout State) {
        let isContinuation = state.szl.openReference != 0 && frame.dataUnitReference == state.szl.openReference
        if isContinuation {
            frame.szlID = state.szl.szlID
            frame.szlIndex = state.szl.szlIndex
            state.szl.append(data, from: 4, to: payloadEnd)
        } else {
            frame.szlID = data.uint16BE(at: 4) ?? 0
            frame.szlIndex = data.uint16BE(at: 6) ?? 0
            guard frame.returnCode == 0xff, isIdentitySZL(frame.szlID) else {
                state.szl.close()
                return
            }
            state.szl.start(id: frame.szlID, index: frame.szlIndex, reference: frame.dataUnitReference)
            state.szl.append(data, from: 4, to: payloadEnd)
        }
        if frame.lastDataUnit || frame.dataUnitReference == 0 {
            frame.completesIdentitySZL = true
            state.szl.close()
        }
    }
}
