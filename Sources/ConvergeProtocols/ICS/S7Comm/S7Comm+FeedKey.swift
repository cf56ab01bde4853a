import ConvergeModel

extension S7Comm {
    /// Keys the polling traffic only: read and write variable jobs and their answers, which
    /// `event` names by the job function alone (pending when a request). An answer is keyed only
    /// when `status` finds it ok (no header error, no failing item return code); userdata,
    /// other jobs and frames with anomalies are not keyed.
    /// Inlinable: an out-of-line call copies the flow's whole state for its `state` argument.
    @inlinable
    public static func feedKey(_ parsed: Frame, state: borrowing State) -> FeedKey? {
        guard parsed.kind == .pdu, !parsed.isUserdata, parsed.hasFunction, parsed.anomalies.rawValue == 0,
            parsed.function == Function.readVariable || parsed.function == Function.writeVariable
        else { return nil }
        let request = parsed.isRequest
        if !request {
            guard parsed.headerError == 0,
                parsed.dataLength == 0 || parsed.returnCode == 0xff || parsed.returnCode == 0
            else { return nil }
        }
        return FeedKey(
            UInt64(parsed.function) | (request ? 1 << 8 : 0) | UInt64(parsed.rosctr) << 16
                | FeedKey.bit(parsed.direction) << 24,
            unit: parsed.calledTSAP != 0 ? Int(parsed.calledTSAP & 0xff) : nil)
    }
}
