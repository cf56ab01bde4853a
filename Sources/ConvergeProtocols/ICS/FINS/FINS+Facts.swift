import ConvergeModel

extension FINS {
    /// Controller Data Read (0501) answers: model (20 bytes), then version (20 bytes).
    public static let controllerFieldLength = 20

    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        frameFacts(parsed, bytes: bytes, context: context)
    }

    /// The model and version a normal Controller Data Read response names. A request for area data
    /// only (first byte 01) or PC status gets a differently laid out answer, so only answers to a
    /// request for the model (no data, or 00) or to an unseen request are read, and only when the
    /// text is printable.
    static func frameFacts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [AssetFact] {
        guard frame.isResponse, frame.command == Command.controllerDataRead, frame.hasEndCode,
            EndCode.isNormal(frame.endCode)
        else { return [] }
        if let request = frame.request, request.command == frame.command, request.dataLength > 0, request.area != 0 {
            return []
        }
        let end = min(frame.frameEnd, bytes.count)
        guard frame.dataOffset <= end else { return [] }
        let data = bytes.extracting(frame.dataOffset..<end)
        let device = context.direction == .toClient ? context.server.address : context.client.address
        var facts: [AssetFact] = []
        let fields: [(AssetFact.Kind, Int)] = [(.model, 0), (.firmware, controllerFieldLength)]
        for (kind, offset) in fields {
            guard offset &+ controllerFieldLength <= data.count,
                let value = text(data.extracting(offset..<(offset &+ controllerFieldLength)))
            else { continue }
            facts.append(AssetFact(time: context.time, address: device, kind: kind, value: value, source: "fins/0501"))
        }
        return facts
    }

    /// A fixed-width ASCII field: up to the first NUL, spaces trimmed; nil when empty or not
    /// printable (then it is not the field it should be).
    static func text(_ field: Span<UInt8>) -> String? {
        var start = 0
        var end = 0
        while end < field.count, field[end] != 0 { end &+= 1 }
        while start < end, field[start] == 0x20 { start &+= 1 }
        while end > start, field[end &- 1] == 0x20 { end &-= 1 }
        guard end > start else { return nil }
        var scalars = String.UnicodeScalarView()
        for index in start..<end {
            let byte = field[index]
            guard byte >= 0x20, byte < 0x7F else { return nil }
            scalars.append(Unicode.Scalar(byte))
        }
        return String(scalars)
    }
}
