import ConvergeModel

extension ModbusTCP {
    /// `event` names a message by its function and sub-function, takes its operation from them
    /// and its status from the direction (a request is pending, an answer ok); exceptions and
    /// frames with anomalies are not keyed.
    @inline(__always)
    public static func feedKey(_ parsed: Frame, state: State) -> FeedKey? {
        guard !parsed.isException, parsed.anomalies.rawValue == 0 else { return nil }
        return FeedKey(
            UInt64(parsed.rawFunction) | UInt64(parsed.subFunction) << 8 | FeedKey.bit(parsed.direction) << 24,
            unit: Int(parsed.unitID))
    }
}
