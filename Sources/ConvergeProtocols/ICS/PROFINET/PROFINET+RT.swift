import ConvergeModel
import ConvergeWire

extension PROFINET {
    /// Cyclic RT data ends with the APDU status: CycleCounter (2), DataStatus (1),
    /// TransferStatus (1); the IO data before it is opaque without the device's configuration.
    static func readCyclic(_ payload: Span<UInt8>, frame: inout Frame) {
        guard payload.count >= 6, let counter = payload.uint16BE(at: payload.count &- 4) else {
            frame.anomalies.insert(.truncatedFrame)
            return
        }
        frame.hasStatus = true
        frame.cycleCounter = counter
        frame.dataStatus = payload[payload.count &- 2]
        frame.transferStatus = payload[payload.count &- 1]
        frame.ioDataLength = UInt16(truncatingIfNeeded: payload.count &- 6)
    }

    /// Alarm (RTA) header: AlarmDstEndpoint (2), AlarmSrcEndpoint (2), PDUType (1),
    /// AddFlags (1), SendSeqNum (2), AckSeqNum (2), VarPartLen (2).
    static func readAlarm(_ payload: Span<UInt8>, frame: inout Frame) {
        guard payload.count >= 14, let destination = payload.uint16BE(at: 2), let source = payload.uint16BE(at: 4),
            let send = payload.uint16BE(at: 8), let ack = payload.uint16BE(at: 10),
            let varPart = payload.uint16BE(at: 12)
        else {
            frame.anomalies.insert(.truncatedFrame)
            return
        }
        frame.hasAlarmHeader = true
        frame.alarmDestination = destination
        frame.alarmSource = source
        frame.pduType = payload[6]
        frame.sendSequence = send
        frame.ackSequence = ack
        if 14 &+ Int(varPart) > payload.count { frame.anomalies.insert(.invalidLength) }
    }
}
