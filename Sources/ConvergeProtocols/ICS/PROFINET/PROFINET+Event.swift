import ConvergeModel
import ConvergeWire

extension PROFINET {
    /// Target kinds of a PROFINET event.
    public enum TargetKind {
        /// `address` the FrameID; cyclic frames: `values` [cycle counter, data status, transfer
        /// status], `count` the IO data bytes.
        public static let frameID = "frame_id"
        /// `values` [xid] of a DCP exchange.
        public static let transaction = "xid"
        public static let nameOfStation = "name_of_station"
        public static let deviceVendorValue = "device_vendor_value"
        public static let aliasName = "alias_name"
        /// `address` the vendor id, `values` [vendor id, device id], value `0x002A/0x0A01`.
        public static let deviceID = "device_id"
        public static let deviceRole = "device_role"
        /// Value `address/mask gateway`, `values` [BlockInfo or BlockQualifier].
        public static let ipParameters = "ip_parameters"
        public static let macAddress = "mac_address"
        /// `address` the DHCP suboption.
        public static let dhcp = "dhcp"
        /// `values` [control suboption bits].
        public static let control = "control"
        /// `address` option << 8 | suboption answered, `values` [error].
        public static let response = "response"
        /// `values` [destination, source endpoint, PDU type, send seq, ack seq].
        public static let alarm = "alarm"
    }

    /// The normalised event: function from the FrameID class or DCP service, the sender's IPv4 as
    /// its endpoint when a response or hello names it, `sourceMAC`/`destinationMAC` set.
    public static func event(_ parsed: Frame, payload: Span<UInt8>, context: LinkContext) -> Message {
        let own = parsed.describesSender && parsed.hasIP && parsed.ipAddress != 0
        let address = own ? IPAddress(v4: parsed.ipAddress) : .none
        let none = Endpoint(address: .none, port: 0)
        let sender = Endpoint(address: address, port: 0)
        var message = Message(
            time: context.time, flowID: 0, client: parsed.isResponse ? none : sender,
            server: parsed.isResponse ? sender : none, proto: name,
            direction: parsed.isResponse ? .toClient : .toServer, functionCode: parsed.functionCode,
            functionName: functionName(parsed), operation: operation(parsed),
            targets: targets(parsed, payload: payload), status: status(parsed), anomalies: parsed.anomalies.names)
        message.sourceMAC = MACAddress.text(context.sourceMAC)
        message.destinationMAC = MACAddress.text(context.destinationMAC)
        return message
    }

    static func status(_ frame: Frame) -> Message.Status {
        guard frame.isResponse else { return .ok }
        if frame.serviceType & 0x04 != 0 { return .exception(code: Int(frame.serviceType), name: "not_supported") }
        if frame.hasResponse, frame.responseError != 0 {
            return .exception(code: Int(frame.responseError), name: blockErrorName(frame.responseError))
        }
        return .ok
    }

    static func targets(_ frame: Frame, payload: Span<UInt8>) -> [Message.Target] {
        var targets: [Message.Target] = []
        let id = Int(frame.frameID)
        switch frame.kind {
        case .cyclic:
            targets.append(
                Message.Target(
                    kind: TargetKind.frameID, address: id, count: Int(frame.ioDataLength),
                    values: frame.hasStatus
                        ? [Int(frame.cycleCounter), Int(frame.dataStatus), Int(frame.transferStatus)] : []))
        case .alarm:
            targets.append(Message.Target(kind: TargetKind.frameID, address: id))
            if frame.hasAlarmHeader {
                targets.append(
                    Message.Target(
                        kind: TargetKind.alarm, address: id,
                        values: [
                            Int(frame.alarmDestination), Int(frame.alarmSource), Int(frame.pduType),
                            Int(frame.sendSequence), Int(frame.ackSequence),
                        ]))
            }
        case .ptcp, .other:
            targets.append(Message.Target(kind: TargetKind.frameID, address: id))
        case .dcp:
            targets.append(Message.Target(kind: TargetKind.frameID, address: id))
            dcpTargets(frame, payload: payload, into: &targets)
        }
        return targets
    }

    static func dcpTargets(_ frame: Frame, payload: Span<UInt8>, into targets: inout [Message.Target]) {
        func text(_ kind: String, _ field: LinkField) {
            guard let value = LinkText.string(field, in: payload, limit: maxTextLength) else { return }
            targets.append(Message.Target(kind: kind, address: Int(Option.deviceProperties), value: value))
        }
        targets.append(Message.Target(kind: TargetKind.transaction, address: 0, values: [Int(frame.xid)]))
        text(TargetKind.nameOfStation, frame.nameOfStation)
        text(TargetKind.deviceVendorValue, frame.deviceVendorValue)
        text(TargetKind.aliasName, frame.aliasName)
        if frame.hasDeviceID {
            targets.append(
                Message.Target(
                    kind: TargetKind.deviceID, address: Int(frame.vendorID),
                    values: [Int(frame.vendorID), Int(frame.deviceID)],
                    value: "\(hex16(frame.vendorID))/\(hex16(frame.deviceID))"))
        }
        if frame.hasDeviceRole {
            targets.append(
                Message.Target(
                    kind: TargetKind.deviceRole, address: Int(Option.deviceProperties),
                    values: [Int(frame.deviceRole)], value: roleText(frame.deviceRole)))
        }
        if frame.hasIP {
            let value = "\(ipText(frame.ipAddress))/\(ipText(frame.subnetMask)) gw \(ipText(frame.gateway))"
            targets.append(
                Message.Target(
                    kind: TargetKind.ipParameters, address: Int(Option.ip), values: [Int(frame.ipBlockInfo)],
                    value: value))
        }
        if frame.macAddress != 0 {
            targets.append(
                Message.Target(
                    kind: TargetKind.macAddress, address: Int(Option.ip), value: MACAddress.text(frame.macAddress)))
        }
        if frame.dhcpSuboption != 0 {
            targets.append(Message.Target(kind: TargetKind.dhcp, address: Int(frame.dhcpSuboption)))
        }
        if frame.controlSuboptions != 0 {
            targets.append(
                Message.Target(
                    kind: TargetKind.control, address: Int(Option.control), values: [Int(frame.controlSuboptions)]))
        }
        if frame.hasResponse {
            targets.append(
                Message.Target(
                    kind: TargetKind.response, address: Int(frame.responseOption) << 8 | Int(frame.responseSuboption),
                    values: [Int(frame.responseError)], value: blockErrorName(frame.responseError)))
        }
    }
}
