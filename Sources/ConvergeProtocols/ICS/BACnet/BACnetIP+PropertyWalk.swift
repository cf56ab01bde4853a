extension BACnetIP {
    /// One property a service names: its object, property, array index, where its value lies
    /// (the bytes between the value's opening and closing tags) and a write priority.
    public struct PropertyItem: Sendable, Equatable {
        public var objectType: UInt16
        public var instance: UInt32
        public var property: UInt32
        public var arrayIndex: UInt64?
        public var valueStart = 0
        public var valueEnd = 0
        public var priority: UInt64?
        /// A ReadPropertyMultiple result that is an access error instead of a value.
        public var isError = false
        public var hasValue: Bool { valueEnd > valueStart }
    }

    /// Where the context tags of a property-carrying service sit (clause 15 and 13 layouts).
    struct PropertyLayout {
        var objectTag: UInt8
        /// The opening tag of the per-object list, or nil when properties sit at the top level.
        var listTag: UInt8?
        var propertyTag: UInt8
        var indexTag: UInt8
        var valueTag: UInt8?
        var priorityTag: UInt8?
        var errorTag: UInt8?
    }

    /// Items listed by one message, at most this many (a ReadPropertyMultiple can list hundreds).
    public static let maxPropertyItems = 256

    /// The layout of a service's parameters, for the services that name object properties.
    static func propertyLayout(_ frame: Frame) -> PropertyLayout? {
        guard let service = frame.serviceChoice, let pdu = frame.pdu else { return nil }
        if pdu == .unconfirmedRequest {
            guard service == UnconfirmedService.unconfirmedCOVNotification.rawValue else { return nil }
            return PropertyLayout(objectTag: 2, listTag: 4, propertyTag: 0, indexTag: 1, valueTag: 2, priorityTag: 3)
        }
        let isAck = pdu == .complexAck
        guard pdu == .confirmedRequest || isAck, let known = ConfirmedService(rawValue: service) else { return nil }
        switch (known, isAck) {
        case (.readProperty, false):
            return PropertyLayout(objectTag: 0, propertyTag: 1, indexTag: 2)
        case (.readProperty, true):
            return PropertyLayout(objectTag: 0, propertyTag: 1, indexTag: 2, valueTag: 3)
        case (.writeProperty, false):
            return PropertyLayout(objectTag: 0, propertyTag: 1, indexTag: 2, valueTag: 3, priorityTag: 4)
        case (.readPropertyMultiple, false):
            return PropertyLayout(objectTag: 0, listTag: 1, propertyTag: 0, indexTag: 1)
        case (.readPropertyMultiple, true):
            return PropertyLayout(objectTag: 0, listTag: 1, propertyTag: 2, indexTag: 3, valueTag: 4, errorTag: 5)
        case (.writePropertyMultiple, false):
            return PropertyLayout(objectTag: 0, listTag: 1, propertyTag: 0, indexTag: 1, valueTag: 2, priorityTag: 3)
        case (.confirmedCOVNotification, false):
            return PropertyLayout(objectTag: 2, listTag: 4, propertyTag: 0, indexTag: 1, valueTag: 2, priorityTag: 3)
        default:
            return nil
        }
    }

    /// Calls `body` for each property the message names, in order, at most `maxPropertyItems`
    /// times. Stops quietly at the first malformed tag (the parse already flagged it). Allocates
    /// nothing itself.
    static func forEachProperty(_ frame: Frame, bytes: Span<UInt8>, _ body: (PropertyItem) -> Void) {
        guard let layout = propertyLayout(frame), !frame.isSegmented else { return }
        let end = min(frame.apduEnd, bytes.count)
        var offset = frame.serviceOffset
        var object: (type: UInt16, instance: UInt32)?
        var item: PropertyItem?
        var inList = false
        var emitted = 0
        func emit() {
            if let current = item, emitted < maxPropertyItems {
                body(current)
                emitted &+= 1
            }
            item = nil
        }
        while offset < end, emitted < maxPropertyItems {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { break }
            let content = offset &+ tag.headerLength
            let listed = layout.listTag == nil || inList
            offset &+= tag.totalLength
            guard tag.isContext else { continue }
            switch tag.kind {
            case .opening:
                guard let after = skipConstructed(bytes, from: offset, end: end) else { return emit() }
                if !listed && tag.number == layout.listTag {
                    inList = true
                    continue
                }
                // The value (or error) runs from here to just before the matching closing tag.
                if listed, item != nil, tag.number == layout.valueTag || tag.number == layout.errorTag {
                    item?.valueStart = offset
                    item?.valueEnd = max(offset, after &- tag.headerLength)
                    item?.isError = tag.number == layout.errorTag
                }
                offset = after
            case .closing:
                if inList && tag.number == layout.listTag {
                    emit()
                    inList = false
                }
            case .primitive:
                if tag.number == layout.objectTag && (layout.listTag == nil || !inList),
                    let id = objectIdentifier(bytes, at: content, length: tag.length)
                {
                    emit()
                    object = id
                    continue
                }
                guard listed else { continue }
                if tag.number == layout.propertyTag, let property = unsigned(bytes, at: content, length: tag.length),
                    let object
                {
                    emit()
                    item = PropertyItem(
                        objectType: object.type, instance: object.instance, property: UInt32(clamping: property))
                } else if tag.number == layout.indexTag, item != nil {
                    item?.arrayIndex = unsigned(bytes, at: content, length: tag.length)
                } else if tag.number == layout.priorityTag, item != nil {
                    item?.priority = unsigned(bytes, at: content, length: tag.length)
                }
            }
        }
        emit()
    }

    /// Up to `limit` numeric values among the application-tagged primitives in `start..<end`
    /// (constructed values are walked into, to `maxTagDepth`). Allocates the result only.
    static func numericValues(_ bytes: Span<UInt8>, from start: Int, end: Int, limit: Int) -> [Double] {
        var values: [Double] = []
        var offset = start
        var depth = 0
        while offset < end, values.count < limit {
            guard let tag = tag(bytes, at: offset, end: end), fits(tag, at: offset, end: end) else { break }
            if let value = numericValue(bytes, tag, at: offset) { values.append(value) }
            switch tag.kind {
            case .opening: depth &+= 1
            case .closing: depth &-= 1
            case .primitive: break
            }
            if depth > maxTagDepth || depth < 0 { break }
            offset &+= tag.totalLength
        }
        return values
    }
}
