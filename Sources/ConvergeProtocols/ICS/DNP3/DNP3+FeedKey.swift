import ConvergeModel

extension DNP3 {
    /// `event` names a message by its function, takes its operation from the frame and its status
    /// from the function (requests), the IIN bits and the control statuses of its objects
    /// (responses), and adds anomalies for trouble IIN bits and the point cap. So a response with
    /// trouble or error IIN bits is not keyed, and the fragment's objects are walked as `event`
    /// walks them (without targets): a message over the point cap or with a failed control is not
    /// keyed either. Link-layer frames and transport segments are not keyed.
    public static func feedKey(_ parsed: Frame, state: borrowing State) -> FeedKey? {
        guard parsed.hasFunction, parsed.anomalies.rawValue == 0 else { return nil }
        let function = parsed.function
        if function.isResponse {
            guard parsed.iin & (troubleIIN | Application.iinErrorBits) == 0 else { return nil }
        }
        let fragment = state.fragment(parsed.direction)
        if fragment.count == parsed.fragmentLength {
            var collected = Targets()
            collected.keep = false
            let start = function.isResponse ? Application.responseHeaderLength : Application.requestHeaderLength
            let span = fragment.span
            _ = Objects.walk(span, from: start, headersOnly: function.headersOnly) { header in
                collected.add(span, header)
            }
            guard !collected.truncated, collected.controlStatus == 0 else { return nil }
        }
        return FeedKey(
            UInt64(parsed.rawFunction) | FeedKey.bit(parsed.direction) << 8 | UInt64(parsed.operation.index) << 16,
            unit: Int(parsed.link.fromMaster ? parsed.link.destination : parsed.link.source))
    }
}
