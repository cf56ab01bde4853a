import ConvergeModel
import ConvergeWire

extension TLS {
    /// The record state machine of one direction. Lane fields change only when bytes are consumed:
    /// a `.needMore` leaves the lane as it was, since the same bytes are offered again.
    enum Lanes {
        /// Application-data records one call may skip in a run.
        static let maxRunRecords = 1024

        static func parse(
            _ bytes: Span<UInt8>, direction: Direction, lane: inout Lane, shared: inout Shared
        ) throws(DissectError) -> (message: Frame, consumed: Int) {
            guard bytes.count > 0 else { throw .needMore(1) }
            var position = Position(remaining: lane.recordRemaining, type: lane.recordType, version: lane.recordVersion)
            if lane.recordRemaining == 0 {
                guard bytes.count >= recordHeaderLength else {
                    if let type = bytes.byte(at: 0), ContentType(rawValue: type) == nil {
                        lane.reset()
                        throw .malformed("tls: content type \(type) is not a record type")
                    }
                    throw .needMore(recordHeaderLength)
                }
                guard let header = RecordHeader.read(bytes) else {
                    lane.reset()
                    throw .malformed("tls: no record header")
                }
                position = Position(
                    remaining: header.length, type: header.type, version: header.version, offset: recordHeaderLength,
                    atBoundary: true)
            }
            switch position.type {
            case .applicationData:
                return skip(bytes, position, kind: .applicationData, direction: direction, lane: &lane)
            case .handshake where lane.encrypted:
                return skip(bytes, position, kind: .encryptedHandshake, direction: direction, lane: &lane)
            case .heartbeat:
                return heartbeat(bytes, position, direction: direction, lane: &lane)
            case .changeCipherSpec, .alert:
                return try control(bytes, position, direction: direction, lane: &lane, shared: shared)
            case .handshake:
                return try Handshakes.parse(bytes, position, direction: direction, lane: &lane, shared: &shared)
            }
        }

        /// Where a call starts: in a record with `remaining` body bytes left, at `offset` in the bytes.
        struct Position {
            var remaining: Int
            var type: ContentType
            var version: UInt16
            var offset = 0
            var atBoundary = false
        }

        /// Skips the record's body as far as the bytes go, then, for application data, any whole
        /// following application-data records' headers and bodies, without reading the bodies.
        static func skip(
            _ bytes: Span<UInt8>, _ start: Position, kind: Frame.Kind, direction: Direction, lane: inout Lane
        ) -> (message: Frame, consumed: Int) {
            var frame = Frame(kind: kind, direction: direction)
            frame.recordVersion = start.version
            var consumed = start.offset
            var remaining = start.remaining
            var version = start.version
            var records = start.atBoundary ? 1 : 0
            var take = min(remaining, bytes.count &- consumed)
            consumed &+= take
            remaining &-= take
            var skipped = take
            while remaining == 0, kind == .applicationData, records < maxRunRecords,
                let next = RecordHeader.read(bytes.extracting(consumed..<bytes.count)), next.type == .applicationData
            {
                consumed &+= recordHeaderLength
                remaining = next.length
                version = next.version
                records &+= 1
                take = min(remaining, bytes.count &- consumed)
                consumed &+= take
                remaining &-= take
                skipped &+= take
            }
            lane.recordRemaining = remaining
            lane.recordType = start.type
            lane.recordVersion = version
            frame.records = UInt16(clamping: records)
            frame.skippedBytes = Int32(clamping: skipped)
            return (frame, consumed)
        }

        /// A heartbeat record: a plaintext request whose payload length exceeds the record is the
        /// Heartbleed pattern (RFC 6520 4: type, payload_length, payload, at least 16 bytes padding).
        static func heartbeat(
            _ bytes: Span<UInt8>, _ start: Position, direction: Direction, lane: inout Lane
        ) -> (message: Frame, consumed: Int) {
            var result = skip(bytes, start, kind: .heartbeat, direction: direction, lane: &lane)
            if start.atBoundary, !lane.encrypted, bytes.byte(at: start.offset) == 1,
                let payload = bytes.uint16BE(at: start.offset &+ 1), 3 &+ Int(payload) &+ 16 > start.remaining
            {
                result.message.anomalies.insert(.heartbleed)
            }
            return result
        }

        /// ChangeCipherSpec and alert records: read whole when small, skipped when oversized.
        static func control(
            _ bytes: Span<UInt8>, _ start: Position, direction: Direction, lane: inout Lane, shared: Shared
        ) throws(DissectError) -> (message: Frame, consumed: Int) {
            let isAlert = start.type == .alert
            let kind: Frame.Kind = isAlert ? (lane.encrypted ? .encryptedAlert : .alert) : .changeCipherSpec
            guard start.atBoundary, start.remaining <= maxControlRecordLength else {
                var result = skip(bytes, start, kind: kind, direction: direction, lane: &lane)
                if start.atBoundary { result.message.anomalies.insert(.invalidRecordLength) }
                return result
            }
            let end = start.offset &+ start.remaining
            guard bytes.count >= end else { throw .needMore(end) }
            var frame = Frame(kind: kind, direction: direction)
            frame.recordVersion = start.version
            if isAlert {
                if !lane.encrypted {
                    if start.remaining == 2 {
                        frame.alertLevel = bytes.byte(at: start.offset) ?? 0
                        frame.alertDescription = bytes.byte(at: start.offset &+ 1) ?? 0
                    } else {
                        frame.anomalies.insert(.invalidRecordLength)
                    }
                }
            } else {
                if start.remaining != 1 { frame.anomalies.insert(.invalidRecordLength) }
                if shared.negotiatedVersion != 0x0304 { lane.encrypted = true }
            }
            lane.recordRemaining = 0
            lane.recordType = start.type
            lane.recordVersion = start.version
            return (frame, end)
        }
    }
}
