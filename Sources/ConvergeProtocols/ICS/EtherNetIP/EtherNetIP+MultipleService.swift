import ConvergeWire

extension EtherNetIP {
    /// At most this many embedded services are walked in one Multiple Service Packet.
    public static let maxEmbeddedServices = 512

    /// Walks the services a Multiple Service Packet (request or response) carries: a count, that
    /// many offsets from the start of the count field, then the services back to back. Calls
    /// `body(offset, length)` for each service that lies inside the data, up to
    /// `maxEmbeddedServices`. Returns false when the count, an offset or the order is broken.
    @discardableResult
    static func forEachEmbeddedService(
        _ message: Span<UInt8>, in cip: CIPMessage, _ body: (_ offset: Int, _ length: Int) -> Void
    ) -> Bool {
        let base = cip.dataOffset
        let end = cip.dataEnd
        guard end <= message.count, let count = le16(message, base) else { return false }
        let walked = min(Int(count), maxEmbeddedServices)
        guard 2 &+ walked &* 2 <= cip.dataLength else { return false }
        for index in 0..<walked {
            guard let relative = le16(message, base &+ 2 &+ index &* 2) else { return false }
            let start = base &+ Int(relative)
            var stop = end
            if index &+ 1 < walked, let next = le16(message, base &+ 4 &+ index &* 2) {
                stop = base &+ Int(next)
            }
            guard start >= base &+ 2 &+ walked &* 2, start < stop, stop <= end else { return false }
            body(start, stop &- start)
        }
        return Int(count) <= maxEmbeddedServices
    }

    /// Counts the services and flags a broken or oversized packet.
    static func checkMultipleService(_ message: Span<UInt8>, cip: CIPMessage, frame: inout Frame) {
        frame.embeddedServiceCount = Int(le16(message, cip.dataOffset) ?? 0)
        if frame.embeddedServiceCount > maxEmbeddedServices { frame.anomalies.insert(.tooManyItems) }
        if cip.isResponse && cip.generalStatus != 0 && cip.generalStatus != 0x1e { return }
        if !forEachEmbeddedService(message, in: cip, { _, _ in }) { frame.anomalies.insert(.invalidLength) }
    }
}
