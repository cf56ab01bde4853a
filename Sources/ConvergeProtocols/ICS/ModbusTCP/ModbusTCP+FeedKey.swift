import ConvergeModel

extension ModbusTCP {
    /// `event` names a message by its function and sub-function, takes its operation from them,
    /// its status from the direction (a request is pending, an answer ok) and its anomalies from
    /// the frame's (`Anomalies.names`), all in the key. Exceptions are not keyed.
    /// Inlinable: the engine asks it of every Modbus message, and an out-of-line call copies the
    /// flow's whole state for its `state` argument.
    @inlinable
    public static func feedKey(_ parsed: Frame, state: borrowing State) -> FeedKey? {
        guard !parsed.isException else { return nil }
        return FeedKey(
            UInt64(parsed.rawFunction) | UInt64(parsed.subFunction) << 8 | FeedKey.bit(parsed.direction) << 24
                | UInt64(parsed.anomalies.rawValue) << 32,
            unit: Int(parsed.unitID))
    }
}
