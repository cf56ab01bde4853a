/// Everything the analysis emits, in one stream (`converge events`): JSON objects with a `type`
/// of `message`, `asset_fact`, `process_value` or `flow` and the event's own fields beside it.
public enum Event: Sendable {
    case message(Message)
    case assetFact(AssetFact)
    case processValue(ProcessValue)
    case flow(FlowRecord)

    public var type: String {
        switch self {
        case .message: "message"
        case .assetFact: "asset_fact"
        case .processValue: "process_value"
        case .flow: "flow"
        }
    }
}

extension Event: Encodable {
    private enum TypeKey: String, CodingKey { case type }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .message(let m): try m.encode(to: encoder)
        case .assetFact(let f): try f.encode(to: encoder)
        case .processValue(let v): try v.encode(to: encoder)
        case .flow(let r): try r.encode(to: encoder)
        }
    }
}
