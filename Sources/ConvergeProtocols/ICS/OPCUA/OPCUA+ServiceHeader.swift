import ConvergeWire

extension OPCUA {
    /// Reads the start of a readable service body: the type id, then the request header
    /// (OPC 10000-4 §7.33) or response header (§7.34), into `chunk`. `body` starts at the type id.
    static func readServiceStart(_ body: Span<UInt8>, into chunk: inout Chunk) {
        var r = WireReader(body)
        guard let type = Binary.readNodeID(&r, expanded: true) else {
            chunk.anomalies.insert(.malformedBody)
            return
        }
        guard type.kind == .numeric else {
            chunk.anomalies.insert(.unknownService)
            return
        }
        chunk.hasService = true
        chunk.serviceID = type.numeric
        chunk.serviceNamespace = type.namespace
        guard type.namespace == 0, let service = service(type.numeric) else {
            chunk.anomalies.insert(.unknownService)
            return
        }
        let ok = service.isRequest ? readRequestHeader(&r, into: &chunk) : readResponseHeader(&r, into: &chunk)
        guard ok else {
            chunk.anomalies.insert(.malformedBody)
            return
        }
        chunk.serviceFieldsOffset = r.offset
        if type.numeric == ServiceID.openSecureChannelRequest {
            // Client protocol version, request type (issue/renew), then the security mode.
            if r.skip(8), let mode = r.u32le() {
                chunk.requestedMode = mode <= 3 ? SecurityMode(rawValue: UInt8(mode)) ?? .unknown : .unknown
                if chunk.requestedMode == .unknown { chunk.anomalies.insert(.invalidValue) }
            } else {
                chunk.anomalies.insert(.malformedBody)
            }
        }
    }

    /// Authentication token, timestamp, request handle, return diagnostics, audit entry id,
    /// timeout hint, additional header.
    static func readRequestHeader(_ r: inout WireReader, into chunk: inout Chunk) -> Bool {
        guard let token = Binary.readNodeID(&r), let timestamp = r.u64le(), let handle = r.u32le(),
            r.skip(4), Binary.skipBytes(&r), r.skip(4), Binary.skipExtensionObject(&r)
        else { return false }
        chunk.hasAuthenticationToken = !token.isNull
        chunk.headerTimestamp = Int64(bitPattern: timestamp)
        chunk.requestHandle = handle
        return true
    }

    /// Timestamp, request handle, service result, diagnostics, string table, additional header.
    static func readResponseHeader(_ r: inout WireReader, into chunk: inout Chunk) -> Bool {
        guard let timestamp = r.u64le(), let handle = r.u32le(), let result = r.u32le() else { return false }
        chunk.headerTimestamp = Int64(bitPattern: timestamp)
        chunk.requestHandle = handle
        chunk.serviceResult = result
        return Binary.skipDiagnosticInfo(&r) && Binary.skipStringArray(&r) && Binary.skipExtensionObject(&r)
    }

    /// Whether a body looks like readable UA binary: a numeric namespace-0 type id of a standard
    /// service. Random (encrypted) bytes pass this with odds of about 1 in 2^24.
    static func looksReadable(_ body: Span<UInt8>) -> Bool {
        var r = WireReader(body)
        guard let type = Binary.readNodeID(&r), type.kind == .numeric, type.namespace == 0 else { return false }
        return service(type.numeric) != nil
    }
}
