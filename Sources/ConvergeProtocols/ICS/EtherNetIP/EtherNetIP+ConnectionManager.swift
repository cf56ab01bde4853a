import ConvergeWire

extension EtherNetIP {
    /// Unconnected Send (CIP Vol. 1, 3-5.5.4): priority/tick, timeout ticks, message size, the
    /// embedded request (padded to even), route path size in words, reserved, route path.
    /// Returns the embedded request, nil when it does not fit.
    static func parseUnconnectedSend(
        _ message: Span<UInt8>, cip: CIPMessage, anomalies: inout Anomalies
    ) -> CIPMessage? {
        let data = cip.dataOffset
        guard let size = le16(message, data &+ 2) else {
            anomalies.insert(.invalidLength)
            return nil
        }
        let embeddedOffset = data &+ 4
        let embeddedEnd = embeddedOffset &+ Int(size)
        guard size > 0, embeddedEnd <= cip.dataEnd else {
            anomalies.insert(.invalidLength)
            return nil
        }
        let routeSizeOffset = embeddedEnd &+ Int(size & 1)
        if let words = u8(message, routeSizeOffset) {
            let routeEnd = routeSizeOffset &+ 2 &+ Int(words) &* 2
            if routeEnd != cip.dataEnd { anomalies.insert(.invalidLength) }
        } else {
            anomalies.insert(.invalidLength)
        }
        return parseCIP(message, offset: embeddedOffset, length: Int(size), anomalies: &anomalies)
    }

    /// The block Forward Open requests and replies share at `at`: O→T and T→O connection ids,
    /// connection serial, originator vendor and serial (16 bytes).
    static func connectionIdentity(_ message: Span<UInt8>, at base: Int) -> ConnectionInfo? {
        guard let otID = le32(message, base), let toID = le32(message, base &+ 4),
            let serial = le16(message, base &+ 8), let vendor = le16(message, base &+ 10),
            let originator = le32(message, base &+ 12)
        else { return nil }
        var info = ConnectionInfo()
        info.originatorToTargetID = otID
        info.targetToOriginatorID = toID
        info.connectionSerial = serial
        info.originatorVendor = vendor
        info.originatorSerial = originator
        return info
    }

    /// Forward Open and Large Forward Open requests: the connection's ids, owner, rates,
    /// transport class and the path it connects to.
    static func parseForwardOpen(_ message: Span<UInt8>, cip: CIPMessage, large: Bool) -> ConnectionInfo? {
        let d = cip.dataOffset
        let parameters = large ? 4 : 2
        let targetRPI = d &+ 26 &+ parameters
        let transport = targetRPI &+ 4 &+ parameters
        guard var info = connectionIdentity(message, at: d &+ 2), let otRPI = le32(message, d &+ 22),
            let toRPI = le32(message, targetRPI), let trigger = u8(message, transport),
            let words = u8(message, transport &+ 1), transport &+ 2 <= cip.dataEnd
        else { return nil }
        info.originatorToTargetRPI = otRPI
        info.targetToOriginatorRPI = toRPI
        info.transportTrigger = trigger
        info.setTarget(message, pathAt: transport &+ 2, words: words, end: cip.dataEnd)
        return info
    }

    /// A successful Forward Open reply: the ids the target granted and the actual intervals.
    static func parseForwardOpenReply(_ message: Span<UInt8>, cip: CIPMessage) -> ConnectionInfo? {
        let d = cip.dataOffset
        guard var info = connectionIdentity(message, at: d), let otAPI = le32(message, d &+ 16),
            let toAPI = le32(message, d &+ 20), d &+ 24 <= cip.dataEnd
        else { return nil }
        info.originatorToTargetRPI = otAPI
        info.targetToOriginatorRPI = toAPI
        return info
    }

    /// Forward Close request (priority, timeout, serial, vendor, originator serial, path) or
    /// reply (serial, vendor, originator serial).
    static func parseForwardClose(_ message: Span<UInt8>, cip: CIPMessage) -> ConnectionInfo? {
        let d = cip.isResponse ? cip.dataOffset &- 2 : cip.dataOffset
        guard let serial = le16(message, d &+ 2), let vendor = le16(message, d &+ 4),
            let originator = le32(message, d &+ 6), d &+ 10 <= cip.dataEnd
        else { return nil }
        var info = ConnectionInfo()
        info.connectionSerial = serial
        info.originatorVendor = vendor
        info.originatorSerial = originator
        if !cip.isResponse, let words = u8(message, d &+ 10) {
            info.setTarget(message, pathAt: d &+ 12, words: words, end: cip.dataEnd)
        }
        return info
    }
}

extension EtherNetIP.ConnectionInfo {
    /// What the connection path of `words` 16-bit words at `pathAt` addresses (clipped to `end`).
    mutating func setTarget(_ message: Span<UInt8>, pathAt offset: Int, words: UInt8, end: Int) {
        let length = min(Int(words) &* 2, max(0, end &- offset))
        let path = EtherNetIP.parsePath(message, offset: offset, length: length)
        classID = path.classID
        instance = path.instance
        connectionPoint = path.connectionPoint
    }
}
