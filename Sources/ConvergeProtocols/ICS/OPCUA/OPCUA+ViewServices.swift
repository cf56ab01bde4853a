import ConvergeModel
import ConvergeWire

/// The View service set (OPC 10000-4 §5.8: Browse, BrowseNext, TranslateBrowsePathsToNodeIds,
/// RegisterNodes, UnregisterNodes) and the NodeManagement set (§5.7: AddNodes, AddReferences,
/// DeleteNodes, DeleteReferences). Targets are bounded by `maxTargetsPerMessage`.
extension OPCUA {
    /// Browse: view (id, timestamp, version), max references per node, BrowseDescriptions
    /// (node, direction, reference type, include subtypes, node class mask, result mask).
    static func browseRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard Binary.skipNodeID(&r), r.skip(16), let n = count(&r, minimum: 15) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let node = Binary.readNodeID(&r), let direction = r.u32le(), Binary.skipNodeID(&r), r.skip(9)
            else { return false }
            let name = node.text(body)
            decoded.add(Message.Target(kind: TargetKind.node, address: Int(direction), name: name))
            if asked.count < maxTargetsPerMessage { asked.append(NodeTarget(node: name, attribute: direction)) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    /// BrowseNext: release continuation points, then the continuation points.
    static func browseNextRequest(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let release = r.u8(), let n = count(&r, minimum: 4) else { return false }
        for _ in 0..<n {
            guard let point = Binary.readBytes(&r) else { return false }
            decoded.add(
                Message.Target(
                    kind: TargetKind.continuationPoint, address: release == 0 ? 0 : 1, count: max(0, point.length)))
        }
        return true
    }

    /// BrowseResults (Browse and BrowseNext responses): per browsed node a `result` target
    /// (status, reference count, the node when the Browse request was seen), then its references.
    static func browseResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.recall(parsed.requestID)
        guard let results = count(&r, minimum: 12) else { return false }
        for index in 0..<results {
            guard let status = r.u32le(), Binary.skipBytes(&r), let n = count(&r, minimum: 12) else { return false }
            decoded.add(
                Message.Target(
                    kind: TargetKind.result, address: Int(status), count: n,
                    name: index < asked.count ? asked[index].node : nil, value: statusName(status)))
            for _ in 0..<n {
                // Reference type, forward, target node, browse name, display name, node class,
                // type definition.
                guard Binary.skipNodeID(&r), r.skip(1), let node = Binary.readNodeID(&r, expanded: true),
                    let browseName = Binary.readQualifiedName(&r), Binary.readLocalizedText(&r) != nil,
                    let nodeClass = r.u32le(), Binary.skipNodeID(&r, expanded: true)
                else { return false }
                decoded.add(
                    Message.Target(
                        kind: TargetKind.reference, address: Int(nodeClass), name: node.text(body),
                        value: text(body, browseName.name)))
            }
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }

    /// TranslateBrowsePathsToNodeIds: BrowsePaths (starting node, RelativePath elements of
    /// reference type, inverse, include subtypes, target name); the path shown as
    /// `/Name/Name` after its starting node.
    static func translateRequest(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 5) else { return false }
        for _ in 0..<n {
            guard let start = Binary.readNodeID(&r), let elements = count(&r, minimum: 10) else { return false }
            var path = ""
            for _ in 0..<elements {
                guard Binary.skipNodeID(&r), r.skip(2), let name = Binary.readQualifiedName(&r) else { return false }
                if path.utf8.count < maxValueTextLength { path += "/" + text(body, name.name) }
            }
            decoded.add(Message.Target(kind: TargetKind.node, address: elements, name: start.text(body), value: path))
        }
        return true
    }

    /// BrowsePathResults: status and the nodes the path led to.
    static func translateResponse(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 8) else { return false }
        for _ in 0..<n {
            guard let status = r.u32le(), let targets = count(&r, minimum: 5) else { return false }
            if targets == 0 {
                decoded.add(Message.Target(kind: TargetKind.result, address: Int(status), value: statusName(status)))
            }
            for _ in 0..<targets {
                guard let node = Binary.readNodeID(&r, expanded: true), r.skip(4) else { return false }
                decoded.add(
                    Message.Target(
                        kind: TargetKind.result, address: Int(status), name: node.text(body),
                        value: statusName(status)))
            }
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }

    /// A bare NodeId array (RegisterNodes, UnregisterNodes and the RegisterNodes response).
    static func nodeArray(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 2) else { return false }
        for _ in 0..<n {
            guard let node = Binary.readNodeID(&r) else { return false }
            decoded.add(Message.Target(kind: TargetKind.node, address: 0, name: node.text(body)))
        }
        return true
    }

    // MARK: Node management

    /// AddNodesItems: parent, reference type, requested NodeId, browse name, node class,
    /// attributes, type definition. The target names the requested node (or its browse name).
    static func addNodesRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let n = count(&r, minimum: 14) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let parent = Binary.readNodeID(&r, expanded: true), Binary.skipNodeID(&r),
                let requested = Binary.readNodeID(&r, expanded: true), let browseName = Binary.readQualifiedName(&r),
                let nodeClass = r.u32le(), Binary.skipExtensionObject(&r), Binary.skipNodeID(&r, expanded: true)
            else { return false }
            let name = text(body, browseName.name)
            let node = requested.isNull ? name : requested.text(body)
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: Int(nodeClass), name: node,
                    value: "parent=\(parent.text(body));browse_name=\(name)"))
            if asked.count < maxTargetsPerMessage { asked.append(NodeTarget(node: node, attribute: nodeClass)) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    /// AddNodesResults: status and the NodeId the server assigned.
    static func addNodesResponse(_ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 6) else { return false }
        for _ in 0..<n {
            guard let status = r.u32le(), let node = Binary.readNodeID(&r) else { return false }
            decoded.add(
                Message.Target(
                    kind: TargetKind.result, address: Int(status), name: node.isNull ? nil : node.text(body),
                    value: statusName(status)))
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }

    /// AddReferencesItems (source, reference type, forward, target server URI, target, target
    /// node class) and DeleteReferencesItems (source, reference type, forward, target, delete
    /// bidirectional): the source node, the target in `value`.
    static func referencesRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, adding: Bool, _ parsed: Chunk, _ decoded: inout Decoded,
        _ state: inout State
    ) -> Bool {
        guard let n = count(&r, minimum: adding ? 13 : 9) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let source = Binary.readNodeID(&r), let type = Binary.readNodeID(&r), r.skip(1),
                !adding || Binary.skipBytes(&r), let target = Binary.readNodeID(&r, expanded: true),
                r.skip(adding ? 4 : 1)
            else { return false }
            let name = source.text(body)
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: 0, name: name,
                    value: "reference_type=\(type.text(body));target=\(target.text(body))"))
            if asked.count < maxTargetsPerMessage { asked.append(NodeTarget(node: name, attribute: 0)) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    /// DeleteNodesItems: NodeId and whether references to it go too.
    static func deleteNodesRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let n = count(&r, minimum: 3) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let node = Binary.readNodeID(&r), let references = r.u8() else { return false }
            let name = node.text(body)
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: 0, name: name,
                    value: "delete_target_references=\(references != 0)"))
            if asked.count < maxTargetsPerMessage { asked.append(NodeTarget(node: name, attribute: 0)) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }
}
