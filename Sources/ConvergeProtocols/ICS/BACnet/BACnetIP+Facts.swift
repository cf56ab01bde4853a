import ConvergeModel

extension BACnetIP {
    /// The IPv4/IPv6 address of the device that sent `frame`: the forwarded-NPDU's original
    /// source when a BBMD relayed it, otherwise the flow end it came from.
    static func senderAddress(_ frame: Frame, context: MessageContext) -> IPAddress {
        if frame.bvlcFunction == BVLCFunction.forwardedNPDU.rawValue, frame.originalAddress != 0 {
            return IPAddress(v4: frame.originalAddress)
        }
        return frame.direction == .toServer ? context.client.address : context.server.address
    }

    /// The device property a fact kind comes from (device object only).
    static func factKind(_ property: UInt32) -> AssetFact.Kind? {
        switch property {
        case Property.vendorName, Property.vendorIdentifier: .vendor
        case Property.modelName: .model
        case Property.firmwareRevision: .firmware
        // No kind for "application version" exists; the device's software revision is the nearest.
        case Property.applicationSoftwareVersion: .revision
        case Property.objectName: .moduleName
        case Property.serialNumber: .serial
        default: nil
        }
    }

    /// The vendor a BACnet vendor identifier stands for.
    static func vendorText(_ id: UInt64) -> String { vendorName(id) ?? "BACnet vendor \(id)" }

    /// What a message says about the device that sent it: the vendor of an I-Am, and the device
    /// object's vendor, model, firmware, application version, name and serial from ReadProperty
    /// and ReadPropertyMultiple acks. Nothing for a device behind a BACnet router (SNET present):
    /// its facts would land on the router's IP address.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [AssetFact] {
        withServiceBytes(frame, bytes) { serviceFacts($0, bytes: $1, context: context) }
    }

    /// `facts` of an unsegmented APDU (or a reassembled one seen as unsegmented).
    static func serviceFacts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [AssetFact] {
        guard frame.sourceNetwork == nil, let service = frame.serviceChoice, !frame.isSegmented else { return [] }
        let address = senderAddress(frame, context: context)
        let end = min(frame.apduEnd, bytes.count)
        if frame.pdu == .unconfirmedRequest, service == UnconfirmedService.iAm.rawValue {
            let tags = applicationTags(bytes, from: frame.serviceOffset, end: end, limit: 4)
            guard tags.count == 4, tags[3].tag.number == ApplicationTag.unsigned,
                let vendor = unsigned(bytes, at: tags[3].offset &+ tags[3].tag.headerLength, length: tags[3].tag.length)
            else { return [] }
            return [
                AssetFact(
                    time: context.time, address: address, kind: .vendor, value: vendorText(vendor),
                    source: "bacnet/i-am")
            ]
        }
        guard frame.pdu == .complexAck,
            service == ConfirmedService.readProperty.rawValue
                || service == ConfirmedService.readPropertyMultiple.rawValue
        else { return [] }
        let source =
            service == ConfirmedService.readProperty.rawValue ? "bacnet/read-property" : "bacnet/read-property-multiple"
        var facts: [AssetFact] = []
        forEachProperty(frame, bytes: bytes) { item in
            guard item.objectType == deviceObjectType, item.hasValue, !item.isError, item.arrayIndex == nil,
                let kind = factKind(item.property)
            else { return }
            let value: String?
            if item.property == Property.vendorIdentifier {
                value = applicationTags(bytes, from: item.valueStart, end: item.valueEnd, limit: 1).first.flatMap {
                    unsigned(bytes, at: $0.offset &+ $0.tag.headerLength, length: $0.tag.length)
                }.map(vendorText)
            } else {
                value = firstText(bytes, from: item.valueStart, end: item.valueEnd)
            }
            guard let value, !value.isEmpty else { return }
            facts.append(AssetFact(time: context.time, address: address, kind: kind, value: value, source: source))
        }
        return facts
    }

    /// The numeric values a message carries, tagged `bacnet://<ip>/<object_type>/<instance>/<property>`
    /// (`[index]` appended for an array element; a routed device adds `/net-<network>-<mac hex>`
    /// after the IP): written by WriteProperty(-Multiple) requests, read from ReadProperty(-Multiple)
    /// acks and COV notifications. The device is a write's receiver, or the sender of an ack or notification.
    public static func processValues(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [ProcessValue] {
        withServiceBytes(frame, bytes) { serviceValues($0, bytes: $1, context: context) }
    }

    /// `processValues` of an unsegmented APDU (or a reassembled one seen as unsegmented).
    static func serviceValues(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [ProcessValue] {
        guard propertyLayout(frame) != nil else { return [] }
        // Confirmed COV notifications are confirmed requests too, but they report, not write.
        let written =
            frame.pdu == .confirmedRequest
            && (frame.serviceChoice == ConfirmedService.writeProperty.rawValue
                || frame.serviceChoice == ConfirmedService.writePropertyMultiple.rawValue)
        let ip: IPAddress
        var route = ""
        if written {
            ip = frame.direction == .toServer ? context.server.address : context.client.address
            if let network = frame.destinationNetwork {
                route = "/net-\(network)-" + String(frame.destinationAddress, radix: 16)
            }
        } else {
            ip = senderAddress(frame, context: context)
            if let network = frame.sourceNetwork { route = "/net-\(network)-" + String(frame.sourceAddress, radix: 16) }
        }
        var values: [ProcessValue] = []
        forEachProperty(frame, bytes: bytes) { item in
            guard item.hasValue, !item.isError,
                let value = numericValues(bytes, from: item.valueStart, end: item.valueEnd, limit: 1).first
            else { return }
            let object = "\(objectTypeName(item.objectType))/\(item.instance)"
            var tag = "bacnet://\(ip)\(route)/\(object)/\(propertyName(item.property))"
            if let index = item.arrayIndex { tag += "[\(index)]" }
            values.append(ProcessValue(time: context.time, tag: tag, value: value, written: written))
        }
        return values
    }
}

extension BACnetIP {
    /// The `Dissector` requirements: values and identity are read from the frame's bytes.
    public static func processValues(
        _ frame: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        processValues(frame, bytes: bytes, context: context)
    }

    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact] {
        facts(frame, bytes: bytes, context: context)
    }

    /// Confirmed services under their number, unconfirmed ones as `unconfirmed.N`: each key is
    /// Wireshark's `bacapp.confirmed_service` or `bacapp.unconfirmed_service` value.
    public static func functionKey(_ code: Int) -> String {
        code >= unconfirmedServiceBase ? "unconfirmed.\(code - unconfirmedServiceBase)" : String(code)
    }
}
