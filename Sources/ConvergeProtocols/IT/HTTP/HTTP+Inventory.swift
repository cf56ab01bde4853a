import ConvergeModel

extension HTTP {
    /// The inventory's feed without an event: a request asks, a response answers.
    public static func requestOperation(
        _ parsed: Frame, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        switch parsed.kind {
        case .request: operation(parsed)
        case .response: nil
        default: requestOperation(operation(parsed), pending: false, paired: false, direction: parsed.direction)
        }
    }
}
