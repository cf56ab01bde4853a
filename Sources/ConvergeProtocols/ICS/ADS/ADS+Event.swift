import ConvergeModel

extension ADS {
    /// Target kinds of ADS events.
    public enum TargetKind {
        /// The AMS address a packet is sent to: `name` is the NetId, `address` the AMS port.
        public static let amsTarget = "ams_target"
        /// The AMS address a packet comes from.
        public static let amsSource = "ams_source"
        /// An index group/offset range with no reserved name: `address` is the offset, `values`
        /// holds the group.
        public static let indexGroup = "index_group"
        /// The ADS state a write-control request asks for (`address`), named in `name`.
        public static let adsState = "ads_state"
        /// The ADS and device state of a read-state response.
        public static let deviceState = "device_state"
        /// A notification handle.
        public static let notificationHandle = "notification_handle"
    }

    /// The normalised event. `bytes` is the span given to `parse`.
    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        let packet = bytes.extracting(0..<min(parsed.packetLength, bytes.count))
        let data = packet.extracting(min(packet.count, parsed.dataOffset)..<packet.count)
        var message = Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: parsed.command.name ?? "unknown", operation: operation(parsed),
            targets: targets(parsed, data: data), status: status(parsed), anomalies: parsed.anomalies.names)
        message.unit = Int(parsed.isResponse ? parsed.sourcePort : parsed.targetPort)
        message.roundTripNanoseconds = parsed.roundTripNanoseconds
        return message
    }

    /// Requests are pending; a response is ok unless the AMS error code or the ADS result is set.
    static func status(_ frame: Frame) -> Message.Status {
        guard frame.isResponse else { return .pending }
        let code = frame.errorCode != 0 ? frame.errorCode : frame.result
        guard code != 0 else { return .ok }
        return .exception(code: Int(code), name: errorName(code))
    }

    static func operation(_ frame: Frame) -> Operation {
        switch frame.command {
        case .readDeviceInfo: .discovery
        case .readState: .diagnostic
        case .write: .write
        case .writeControl: .control
        case .read, .addDeviceNotification, .deleteDeviceNotification, .deviceNotification: .read
        case .readWrite: frame.indexGroup == 0xF081 ? .write : .read
        default: .other
        }
    }

    static func targets(_ frame: Frame, data: Span<UInt8>) -> [Message.Target] {
        var targets = [
            Message.Target(
                kind: TargetKind.amsTarget, address: Int(frame.targetPort), name: netIDText(frame.targetNetID)),
            Message.Target(
                kind: TargetKind.amsSource, address: Int(frame.sourcePort), name: netIDText(frame.sourceNetID)),
        ]
        if frame.hasIndex {
            var target = Message.Target(
                kind: indexGroupName(frame.indexGroup) ?? TargetKind.indexGroup, address: Int(frame.indexOffset),
                count: Int(frame.length), values: [Int(frame.indexGroup)])
            if !frame.isResponse, frame.command == .readWrite, carriesSymbolName(frame.indexGroup) {
                let length = Int(u32(data, 12) ?? 0)
                let symbol = text(data, from: 16, length: length)
                if !symbol.isEmpty { target.name = symbol }
            }
            targets.append(target)
        }
        switch frame.command {
        case .writeControl where !frame.isResponse:
            if let adsState = u16(data, 0) {
                targets.append(
                    Message.Target(
                        kind: TargetKind.adsState, address: Int(adsState), values: [Int(u16(data, 2) ?? 0)],
                        name: adsStateName(adsState)))
            }
        case .readState where frame.isResponse:
            if let adsState = u16(data, 4), let device = u16(data, 6) {
                targets.append(
                    Message.Target(
                        kind: TargetKind.deviceState, address: Int(adsState), values: [Int(device)],
                        name: adsStateName(adsState)))
            }
        case .deleteDeviceNotification where !frame.isResponse:
            if let handle = u32(data, 0) {
                targets.append(Message.Target(kind: TargetKind.notificationHandle, address: Int(handle)))
            }
        case .addDeviceNotification where frame.isResponse:
            if let handle = u32(data, 4) {
                targets.append(Message.Target(kind: TargetKind.notificationHandle, address: Int(handle)))
            }
        default:
            break
        }
        return targets
    }

    /// A read-device-info response names the runtime (`TCatPlcCtrl`) and its version.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.isResponse, parsed.command == .readDeviceInfo, parsed.errorCode == 0, parsed.result == 0
        else { return [] }
        let packet = bytes.extracting(0..<min(parsed.packetLength, bytes.count))
        let data = packet.extracting(min(packet.count, parsed.dataOffset)..<packet.count)
        guard let major = data.byte(at: 4), let minor = data.byte(at: 5), let build = u16(data, 6) else { return [] }
        let sender = context.direction == .toClient ? context.server : context.client
        var facts: [AssetFact] = []
        let device = text(data, from: 8, length: 16)
        if !device.isEmpty {
            facts.append(
                AssetFact(time: context.time, address: sender.address, kind: .model, value: device, source: name))
            facts.append(
                AssetFact(time: context.time, address: sender.address, kind: .software, value: device, source: name))
        }
        facts.append(
            AssetFact(
                time: context.time, address: sender.address, kind: .firmware, value: "\(major).\(minor).\(build)",
                source: name))
        facts.append(
            AssetFact(
                time: context.time, address: sender.address, kind: .hostname,
                value: "ams:" + netIDText(parsed.sourceNetID), source: name))
        return facts
    }
}
