import ConvergeModel
import ConvergeWire

/// The Subscription and MonitoredItem service sets (OPC 10000-4 §5.12, §5.13). CreateMonitoredItems
/// teaches the flow which node each client handle stands for, so Publish data changes are named.
extension OPCUA {
    /// NotificationData encodings inside a NotificationMessage (OPC 10000-4 §7.25).
    enum NotificationID {
        static let dataChange: UInt32 = 811
        static let statusChange: UInt32 = 820
        static let eventList: UInt32 = 916
    }

    /// A Duration (a Double of milliseconds: publishing and sampling intervals) as text.
    static func milliseconds(_ bits: UInt64) -> String { "\(Double(bitPattern: bits))" }

    /// CreateSubscription: publishing interval, lifetime count, max keep-alive count, max
    /// notifications per publish, publishing enabled, priority.
    static func createSubscriptionRequest(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let interval = r.u64le(), let lifetime = r.u32le(), let keepAlive = r.u32le(),
            let maxNotifications = r.u32le(), let enabled = r.u8(), let priority = r.u8()
        else { return false }
        decoded.add(
            Message.Target(
                kind: TargetKind.subscription, address: 0,
                values: [Int(lifetime), Int(keepAlive), Int(maxNotifications), Int(priority)],
                value: "publishing_interval_ms=\(milliseconds(interval));lifetime_count=\(lifetime);"
                    + "max_keep_alive_count=\(keepAlive);max_notifications=\(maxNotifications);"
                    + "publishing_enabled=\(enabled != 0);priority=\(priority)"))
        return true
    }

    /// CreateSubscription response: id, revised interval, lifetime count, keep-alive count.
    static func createSubscriptionResponse(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let id = r.u32le() else { return false }
        return revisedSubscription(&r, id: id, &decoded)
    }

    static func revisedSubscription(_ r: inout WireReader, id: UInt32, _ decoded: inout Decoded) -> Bool {
        guard let interval = r.u64le(), let lifetime = r.u32le(), let keepAlive = r.u32le() else { return false }
        decoded.add(
            Message.Target(
                kind: TargetKind.subscription, address: Int(id), values: [Int(lifetime), Int(keepAlive)],
                value: "publishing_interval_ms=\(milliseconds(interval));lifetime_count=\(lifetime);"
                    + "max_keep_alive_count=\(keepAlive)"))
        return true
    }

    /// ModifySubscription: id, then the CreateSubscription parameters but publishing enabled.
    static func modifySubscriptionRequest(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let id = r.u32le(), let interval = r.u64le(), let lifetime = r.u32le(), let keepAlive = r.u32le(),
            let maxNotifications = r.u32le(), let priority = r.u8()
        else { return false }
        decoded.add(
            Message.Target(
                kind: TargetKind.subscription, address: Int(id),
                values: [Int(lifetime), Int(keepAlive), Int(maxNotifications), Int(priority)],
                value: "publishing_interval_ms=\(milliseconds(interval));lifetime_count=\(lifetime);"
                    + "max_keep_alive_count=\(keepAlive);max_notifications=\(maxNotifications);priority=\(priority)"))
        return true
    }

    /// A list of subscription ids (DeleteSubscriptions, TransferSubscriptions,
    /// SetPublishingMode), one target each; `note` goes in every target's value.
    static func subscriptionIDs(_ r: inout WireReader, note: String?, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 4) else { return false }
        for _ in 0..<n {
            guard let id = r.u32le() else { return false }
            decoded.add(Message.Target(kind: TargetKind.subscription, address: Int(id), value: note))
        }
        return true
    }

    /// CreateMonitoredItems: subscription, timestamps to return, then per item a ReadValueId,
    /// the monitoring mode and parameters (client handle, sampling interval, filter, queue size,
    /// discard oldest). Each client handle is remembered with its node for Publish.
    static func createMonitoredItemsRequest(
        _ r: inout WireReader, _ body: Span<UInt8>, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let subscription = r.u32le(), r.skip(4), let n = count(&r, minimum: 36) else { return false }
        var asked: [NodeTarget] = []
        for _ in 0..<n {
            guard let item = readValueID(&r, body), let mode = r.u32le(), let handle = r.u32le(),
                let sampling = r.u64le(), Binary.skipExtensionObject(&r), let queue = r.u32le(), r.skip(1)
            else { return false }
            decoded.add(
                Message.Target(
                    kind: TargetKind.node, address: Int(item.attribute), values: [Int(handle)], name: item.node,
                    value: "subscription=\(subscription);client_handle=\(handle);mode=\(monitoringMode(mode));"
                        + "sampling_interval_ms=\(milliseconds(sampling));queue_size=\(queue)"))
            state.rememberMonitoredItem(handle, node: item.node)
            if asked.count < maxTargetsPerMessage { asked.append(item) }
        }
        state.remember(asked, for: parsed.requestID)
        return true
    }

    static func monitoringMode(_ mode: UInt32) -> String {
        switch mode {
        case 0: "disabled"
        case 1: "sampling"
        case 2: "reporting"
        default: "invalid"
        }
    }

    /// MonitoredItemCreateResults: status, monitored item id, revised sampling interval and
    /// queue size, filter result; named by the request's nodes.
    static func createMonitoredItemsResponse(
        _ r: inout WireReader, _ parsed: Chunk, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        let asked = state.recall(parsed.requestID)
        guard let n = count(&r, minimum: 23) else { return false }
        for index in 0..<n {
            guard let status = r.u32le(), let id = r.u32le(), r.skip(12), Binary.skipExtensionObject(&r) else {
                return false
            }
            decoded.add(
                Message.Target(
                    kind: TargetKind.result, address: Int(status), values: [Int(id)],
                    name: index < asked.count ? asked[index].node : nil,
                    value: "\(statusName(status));monitored_item=\(id)"))
        }
        return Binary.skipDiagnosticInfoArray(&r)
    }

    /// DeleteMonitoredItems: subscription, monitored item ids (counted).
    static func deleteMonitoredItemsRequest(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let subscription = r.u32le(), let n = count(&r, minimum: 4), r.skip(n &* 4) else { return false }
        decoded.add(
            Message.Target(kind: TargetKind.subscription, address: Int(subscription), count: n, value: "delete_items"))
        return true
    }

    /// Publish request: the notifications it acknowledges (subscription, sequence number).
    static func publishRequest(_ r: inout WireReader, _ decoded: inout Decoded) -> Bool {
        guard let n = count(&r, minimum: 8) else { return false }
        for _ in 0..<n {
            guard let subscription = r.u32le(), let sequence = r.u32le() else { return false }
            decoded.add(
                Message.Target(
                    kind: TargetKind.acknowledgement, address: Int(subscription), values: [Int(sequence)]))
        }
        return true
    }

    /// Publish response: subscription, available sequence numbers, more notifications, then the
    /// NotificationMessage.
    static func publishResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        guard let subscription = r.u32le(), Binary.skipInt32Array(&r), let more = r.u8() else { return false }
        return notificationMessage(&r, body, subscription: subscription, more: more != 0, &decoded, state)
    }

    /// Republish response: the NotificationMessage alone.
    static func republishResponse(
        _ r: inout WireReader, _ body: Span<UInt8>, _ decoded: inout Decoded, _ state: inout State
    ) -> Bool {
        notificationMessage(&r, body, subscription: 0, more: false, &decoded, state)
    }

    /// NotificationMessage: sequence number, publish time, notification data. Data changes
    /// become `data_change` targets (client handle, node, value with status and source time);
    /// event lists are counted; status changes carry their status.
    static func notificationMessage(
        _ r: inout WireReader, _ body: Span<UInt8>, subscription: UInt32, more: Bool, _ decoded: inout Decoded,
        _ state: State
    ) -> Bool {
        guard let sequence = r.u32le(), let published = r.u64le(), let n = count(&r, minimum: 2) else {
            return false
        }
        var summary = "sequence=\(sequence);publish_time=\(dateTimeText(Int64(bitPattern: published)))"
        if more { summary += ";more_notifications=true" }
        decoded.add(
            Message.Target(
                kind: TargetKind.subscription, address: Int(subscription), count: n, values: [Int(sequence)],
                value: summary))
        for _ in 0..<n {
            guard let object = Binary.readExtensionObject(&r) else { return false }
            guard object.type.kind == .numeric, object.type.namespace == 0, object.body.length > 0 else { continue }
            var inner = WireReader(body)
            guard inner.skip(object.body.offset) else { return false }
            switch object.type.numeric {
            case NotificationID.dataChange:
                guard let items = count(&inner, minimum: 5) else { return false }
                for _ in 0..<items {
                    guard let handle = inner.u32le(), let value = renderDataValue(&inner, bytes: body) else {
                        return false
                    }
                    decoded.add(
                        Message.Target(
                            kind: TargetKind.dataChange, address: Int(handle), count: max(1, value.count),
                            values: value.integers, name: state.monitoredItems[handle], value: value.dataValueText))
                }
            case NotificationID.eventList:
                guard let events = count(&inner, minimum: 8) else { return false }
                decoded.add(
                    Message.Target(kind: TargetKind.eventNotification, address: Int(subscription), count: events))
            case NotificationID.statusChange:
                guard let status = inner.u32le() else { return false }
                decoded.add(
                    Message.Target(kind: TargetKind.statusChange, address: Int(status), value: statusName(status)))
            default:
                continue
            }
        }
        return true
    }
}
