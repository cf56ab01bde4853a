import ConvergeModel
import ConvergeWire

/// The Attribute service set (OPC 10000-4 §5.10): Read, Write, HistoryRead, HistoryUpdate.
/// Requests list their nodes; the flow remembers them by request id so the response's values
/// and results, which come in request order without NodeIds, are named.
extension OPCUA {
    /// ReadValueId: NodeId, attribute id, index range, data encoding.
    static func readValueID(_ r: inout WireReader, _ body: Span<UInt8>) -> NodeTarget? {
        guard let node = Binary.readNodeID(&r), let attribute = r.u32le(), Binary.skipBytes(&r),
            Binary.readQualifiedName(&r) != nil
        else { return nil }
        return NodeTarget(node: node.text(body), attribute: attribute)
    }

    static func readRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        // Max age (Double), timestamps to return, then the nodes.
        guard r.skip(12), let n = count(&r, minimum: 11) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let item = readValueID(&r, body) else { return false }
            decoded.add(Message.Target(kind: TargetKind.node, address: Int(item.attribute), name: item.node))
            if asked.count < maxTargetsPerMessage { asked.append(item) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    /// Values in request order: each named by the node the request asked for, with its status
    /// and source timestamp.
    static func readResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.recall(parsed.requestID)
        guard let n = count(&r, minimum: 1) else { return false }
        for index in 0..<n {
            guard let value = renderDataValue(&r, bytes: body) else { return false }
            let item = index < asked.count ? asked[index] : nil
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: item.map { Int($0.attribute) } ?? -1, count: max(1, value.count),
                    values: value.integers, name: item?.node, value: value.dataValueText))
        }
        return true
    }

    /// WriteValue: NodeId, attribute id, index range, DataValue.
    static func writeRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let n = count(&r, minimum: 11) else { return false }
        var written: [NodeTarget] = []
        for _ in 0..<n {
            guard let node = Binary.readNodeID(&r), let attribute = r.u32le(), Binary.skipBytes(&r),
                let value = renderDataValue(&r, bytes: body)
            else { return false }
            let name = node.text(body)
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: Int(attribute), count: max(1, value.count), values: value.integers,
                    name: name, value: value.dataValueText))
            if written.count < maxTargetsPerMessage { written.append(NodeTarget(node: name, attribute: attribute)) }
        }
        state.remember(written, for: parsed.requestID)
        return true
    }

    /// One StatusCode per node written (or history updated), named by the request's nodes.
    static func resultsResponse(
        _ r: inout WireReader, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.recall(parsed.requestID)
        guard let n = count(&r, minimum: 4) else { return false }
        for index in 0..<n {
            guard let status = r.u32le() else { return false }
            let item = index < asked.count ? asked[index] : nil
            decoded.add(
                Message.Target(
                    kind: TargetKind.result, address: Int(status), count: 1, name: item?.node,
                    value: statusName(status)))
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }

    /// HistoryRead details encodings (OPC 10000-11 §6.4), by what they ask for.
    static func historyDetailsName(_ type: NodeID) -> String {
        guard type.kind == .numeric, type.namespace == 0 else { return "other" }
        switch type.numeric {
        case 646: return "events"
        case 649: return "raw_modified"
        case 652: return "processed"
        case 655: return "at_time"
        case 17_983: return "annotations"
        case 682: return "update_data"
        case 685: return "update_event"
        case 688: return "delete_raw_modified"
        case 691: return "delete_at_time"
        case 694: return "delete_event"
        case 11_300: return "update_structure_data"
        default: return "other"
        }
    }

    /// HistoryRead: details (raw, processed, events …), timestamps, release continuation points,
    /// then HistoryReadValueIds (NodeId, index range, data encoding, continuation point).
    static func historyReadRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let details = Binary.readExtensionObject(&r), r.skip(5), let n = count(&r, minimum: 11) else {
            return false
        }
        let kind = historyDetailsName(details.type)
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let node = Binary.readNodeID(&r), Binary.skipBytes(&r), Binary.readQualifiedName(&r) != nil,
                Binary.skipBytes(&r)
            else { return false }
            let name = node.text(body)
            decoded.add(Message.Target(kind: TargetKind.node, address: 0, name: name, value: "history=\(kind)"))
            if asked.count < maxTargetsPerMessage { asked.append(NodeTarget(node: name, attribute: 0)) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    /// HistoryReadResult: status, continuation point, history data; the DataValues of a
    /// HistoryData are counted, not listed.
    static func historyReadResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.recall(parsed.requestID)
        guard let n = count(&r, minimum: 9) else { return false }
        for index in 0..<n {
            guard let status = r.u32le(), Binary.skipBytes(&r), let data = Binary.readExtensionObject(&r) else {
                return false
            }
            var values = 0
            if data.type.kind == .numeric, data.type.namespace == 0, data.type.numeric == 658, data.body.length > 0 {
                var inner = WireReader(body)
                if inner.skip(data.body.offset), let found = count(&inner, minimum: 1) { values = found }
            }
            let item = index < asked.count ? asked[index] : nil
            decoded.add(
                Message.Target(
                    kind: TargetKind.result, address: Int(status), count: values, name: item?.node,
                    value: statusName(status)))
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }

    /// HistoryUpdate: one details structure per update; every kind starts with the NodeId it
    /// changes (OPC 10000-11 §6.9).
    static func historyUpdateRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let n = count(&r, minimum: 3) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let details = Binary.readExtensionObject(&r) else { return false }
            var inner = WireReader(body)
            var name: String?
            if details.body.length > 0, inner.skip(details.body.offset), let node = Binary.readNodeID(&inner) {
                name = node.text(body)
            }
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: 0, name: name,
                    value: "history=\(historyDetailsName(details.type))"))
            if asked.count < maxTargetsPerMessage { asked.append(NodeTarget(node: name ?? "", attribute: 0)) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    /// HistoryUpdateResult: status, per-value operation results, diagnostics.
    static func historyUpdateResponse(
        _ r: inout WireReader, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.recall(parsed.requestID)
        guard let n = count(&r, minimum: 12) else { return false }
        for index in 0..<n {
            guard let status = r.u32le(), let operations = count(&r, minimum: 4), r.skip(operations &* 4),
                Binary.skipDiagnosticInfoArray(&r)
            else { return false }
            let item = index < asked.count ? asked[index] : nil
            decoded.add(
                Message.Target(
                    kind: TargetKind.result, address: Int(status), count: operations,
                    name: item.flatMap { $0.node.isEmpty ? nil : $0.node }, value: statusName(status)))
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }
}
