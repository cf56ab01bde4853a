import ConvergeModel
import ConvergeWire

/// The Method service set (OPC 10000-4 §5.11): Call.
extension OPCUA {
    /// CallMethodRequests: object, method, input arguments (Variants). The target names the
    /// method; `value` holds the object and the non-integer arguments, `values` the integers.
    static func callRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let n = count(&r, minimum: 6) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let object = Binary.readNodeID(&r), let method = Binary.readNodeID(&r),
                let arguments = count(&r, minimum: 1)
            else { return false }
            var inputs = RenderedValue()
            for _ in 0..<arguments {
                guard let argument = renderVariant(&r, bytes: body) else { return false }
                inputs.merge(argument)
            }
            var summary = "object=\(object.text(body))"
            if let text = inputs.text { summary += ";arguments=\(text)" }
            let name = method.text(body)
            decoded.add(
                Message.Target(
                    kind: TargetKind.method, address: 0, count: arguments, values: inputs.integers, name: name,
                    value: summary))
            if asked.count < maxTargetsPerMessage { asked.append(NodeTarget(node: name, attribute: 0)) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    /// CallMethodResults: status, input argument results, diagnostics, output arguments; named
    /// by the method the request called.
    static func callResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.recall(parsed.requestID)
        guard let n = count(&r, minimum: 16) else { return false }
        for index in 0..<n {
            guard let status = r.u32le(), Binary.skipInt32Array(&r), Binary.skipDiagnosticInfoArray(&r),
                let outputs = count(&r, minimum: 1)
            else { return false }
            var values = RenderedValue()
            for _ in 0..<outputs {
                guard let output = renderVariant(&r, bytes: body) else { return false }
                values.merge(output)
            }
            var parts: [String] = []
            if let text = values.text { parts.append(text) }
            if status != 0 { parts.append("status=\(statusName(status))") }
            decoded.add(
                Message.Target(
                    kind: TargetKind.callResult, address: Int(status), count: outputs, values: values.integers,
                    name: index < asked.count ? asked[index].node : nil,
                    value: parts.isEmpty ? nil : parts.joined(separator: ";")))
        }
        return true
    }
}
