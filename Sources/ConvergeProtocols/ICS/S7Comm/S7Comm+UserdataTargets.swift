import ConvergeModel

extension S7Comm {
    /// Entries looked at in one list (blocks of a type, alarm objects, variable table items).
    public static let maxListedEntries = 256

    /// What a userdata PDU touches, decoded from its data item's payload (after return code,
    /// transport size and length). For events only: `parse` keeps just what pairing needs.
    static func userdataTargets(_ frame: Frame, data: Span<UInt8>) -> [Message.Target] {
        let start = min(4, data.count)
        let end = max(start, min(4 &+ Int(frame.userdataPayloadLength), data.count))
        let payload = data.extracting(start..<end)
        switch frame.userdataGroup {
        case Group.cpuFunctions: return cpuFunctionTargets(frame, payload: payload)
        case Group.blockFunctions: return blockFunctionTargets(frame, payload: payload)
        case Group.timeFunctions:
            let carriesClock = frame.userdataType == UserdataType.request
                ? frame.userdataSubfunction == 0x02 || frame.userdataSubfunction == 0x04
                : frame.userdataSubfunction == 0x01 || frame.userdataSubfunction == 0x03
            guard carriesClock, let clock = clockText(payload, at: 0) else { return [] }
            return [Message.Target(kind: "clock", address: 0, count: 1, value: clock)]
        case Group.security:
            // The password travels scrambled; never keep it, only that one was sent.
            guard frame.userdataType == UserdataType.request, payload.count > 0 else { return [] }
            return [Message.Target(kind: "password", address: 0, count: 1, value: "sent")]
        case Group.programmerCommands: return programmerTargets(frame, payload: payload)
        case Group.cyclicData:
            guard frame.userdataType == UserdataType.request else { return [] }
            return cyclicTargets(frame.userdataSubfunction, payload: payload)
        case Group.modeTransition:
            // The subfunction byte is the mode the CPU is now in.
            let mode = frame.userdataSubfunction
            return [Message.Target(kind: "cpu_mode", address: Int(mode), value: modeName(mode))]
        default: return []
        }
    }

    /// CPU modes a mode-transition push announces.
    public static func modeName(_ mode: UInt8) -> String {
        switch mode {
        case 0: "stop"
        case 1: "warm_restart"
        case 2: "run"
        case 3: "hot_restart"
        case 4: "hold"
        case 6: "cold_restart"
        case 9: "run_redundant"
        case 11: "link_up"
        case 12: "update"
        default: "mode_" + String(mode)
        }
    }

    // MARK: Cyclic data

    /// A cyclic or change-driven subscription: item count, time base, factor, then item specs
    /// (S7ANY as in read variable, or DBREAD: a count of areas of bytes to read, data block and
    /// start address). Unsubscribing and modifying name the job: function, job id.
    static func cyclicTargets(_ subfunction: UInt8, payload: Span<UInt8>) -> [Message.Target] {
        switch subfunction {
        case 0x01, 0x05:
            guard let count = payload.uint16BE(at: 0) else { return [] }
            var targets: [Message.Target] = []
            var offset = 4
            for _ in 0..<min(Int(count), maxItems) {
                guard payload.byte(at: offset) == 0x12, let length = payload.byte(at: offset &+ 1),
                    let syntax = payload.byte(at: offset &+ 2), offset &+ 2 &+ Int(length) <= payload.count
                else { break }
                if syntax == 0xb0 {
                    dbReadTargets(payload, at: offset &+ 3, end: offset &+ 2 &+ Int(length), into: &targets)
                } else {
                    targets.append(target(itemAddress(payload, at: offset, length: length)))
                }
                offset &+= 2 &+ Int(length)
                if targets.count >= maxListedEntries { break }
            }
            return targets
        case 0x04, 0x07:
            guard let function = payload.byte(at: 0), let job = payload.byte(at: 1) else { return [] }
            return [Message.Target(kind: "job", address: Int(job), values: [Int(function)])]
        default:
            return []
        }
    }

    /// DBREAD areas: a count, then per area bytes to read (1), data block (2), start (2).
    static func dbReadTargets(_ payload: Span<UInt8>, at offset: Int, end: Int, into targets: inout [Message.Target]) {
        guard let areas = payload.byte(at: offset) else { return }
        var position = offset &+ 1
        for _ in 0..<Int(areas) {
            guard position &+ 5 <= end, targets.count < maxListedEntries, let bytes = payload.byte(at: position),
                let db = payload.uint16BE(at: position &+ 1), let start = payload.uint16BE(at: position &+ 3)
            else { return }
            targets.append(Message.Target(kind: "db" + String(db), address: Int(start), count: Int(bytes)))
            position &+= 5
        }
    }

    // MARK: CPU functions

    static func cpuFunctionTargets(_ frame: Frame, payload: Span<UInt8>) -> [Message.Target] {
        switch frame.userdataSubfunction {
        case readSZL:
            guard frame.szlID != 0 || frame.szlIndex != 0 else { return [] }
            return [Message.Target(kind: "szl", address: Int(frame.szlID), values: [Int(frame.szlIndex)])]
        case 0x02:
            guard frame.userdataType == UserdataType.request else { return [] }
            return subscriptionTargets(payload)
        case 0x03:
            return diagnosticMessageTargets(payload)
        case 0x13:
            // Function id, object count, then 0x12, length, syntax id, reserved, query type,
            // reserved, alarm type (last byte of a 4-byte field).
            guard frame.userdataType == UserdataType.request, let queryType = payload.byte(at: 6),
                let alarmType = payload.byte(at: 11)
            else { return [] }
            let queried: String
            switch alarmType {
            case 1: queried = "scan"
            case 2: queried = "alarm_8"
            case 4: queried = "alarm_s"
            default: queried = "alarm_type_" + String(alarmType)
            }
            // Query type 1 asks by alarm type, 3 by event id.
            return [Message.Target(
                kind: "alarm_query", address: Int(alarmType), values: [Int(queryType)], value: queried)]
        case 0x05, 0x06, 0x09, 0x0c, 0x0d, 0x0e, 0x11, 0x12, 0x16:
            return alarmTargets(payload)
        default:
            return []
        }
    }

    /// Message service request: events subscribed (a bit set), reserved, the subscriber's name
    /// (8 characters), then, when alarms are asked for, the alarm type.
    static func subscriptionTargets(_ payload: Span<UInt8>) -> [Message.Target] {
        guard let events = payload.byte(at: 0) else { return [] }
        var names: [String] = []
        if events & 0x01 != 0 { names.append("mode_transition") }
        if events & 0x02 != 0 { names.append("system_diagnostics") }
        if events & 0x04 != 0 { names.append("user_defined") }
        if events & 0x80 != 0 { names.append("alarms") }
        var values: [Int] = []
        if let alarmType = payload.byte(at: 10) {
            values.append(Int(alarmType))
            names.append(alarmTypeName(alarmType))
        }
        if names.isEmpty { names.append("none") }  // no events: the subscriber signs off
        let user = text(payload, from: 2, length: 8)
        return [Message.Target(
            kind: "subscription", address: Int(events), values: values, name: user.isEmpty ? nil : user,
            value: names.joined(separator: ","))]
    }

    /// Message service alarm types (what the subscriber asks to be sent or stopped).
    static func alarmTypeName(_ type: UInt8) -> String {
        switch type {
        case 0: "scan_abort"
        case 1: "scan_initiate"
        case 4: "alarm_abort"
        case 5: "alarm_initiate"
        case 8: "alarm_s_abort"
        case 9: "alarm_s_initiate"
        default: "alarm_type_" + String(type)
        }
    }

    /// Diagnostic buffer entry pushed by the CPU: event id, priority class, OB number, data id,
    /// two words of additional information, time stamp.
    static func diagnosticMessageTargets(_ payload: Span<UInt8>) -> [Message.Target] {
        guard let event = payload.uint16BE(at: 0), let priority = payload.byte(at: 2), let ob = payload.byte(at: 3)
        else { return [] }
        return [Message.Target(
            kind: "diagnostic_event", address: Int(event), values: [Int(priority), Int(ob)],
            value: shortTimestampText(payload, at: 12))]
    }

    /// Alarm and notify indications: time stamp, function id, object count, then per object
    /// 0x12, length, syntax id, associated value count, event id, event state, state, ack states.
    /// The first object is decoded (its associated values are not: their layout varies by
    /// syntax); `count` says how many the message holds.
    static func alarmTargets(_ payload: Span<UInt8>) -> [Message.Target] {
        guard let objects = payload.byte(at: 9), objects > 0, payload.byte(at: 10) == 0x12,
            let length = payload.byte(at: 11), length >= 10, let high = payload.uint16BE(at: 14),
            let low = payload.uint16BE(at: 16), let eventState = payload.byte(at: 18),
            let ackGoing = payload.byte(at: 20), let ackComing = payload.byte(at: 21)
        else { return [] }
        let eventID = Int(high) << 16 | Int(low)
        return [Message.Target(
            kind: "alarm", address: eventID, count: Int(objects),
            values: [Int(eventState), Int(ackGoing), Int(ackComing)], value: shortTimestampText(payload, at: 0))]
    }

    // MARK: Block functions

    static func blockFunctionTargets(_ frame: Frame, payload: Span<UInt8>) -> [Message.Target] {
        let isRequest = frame.userdataType == UserdataType.request
        switch frame.userdataSubfunction {
        case 0x01:
            // Per block type: the type as two characters ("08"), then how many there are.
            guard !isRequest else { return [] }
            var targets: [Message.Target] = []
            var offset = 0
            while offset &+ 4 <= payload.count, targets.count < maxListedEntries {
                if let high = hexDigit(payload.byte(at: offset)), let low = hexDigit(payload.byte(at: offset &+ 1)),
                    let count = payload.uint16BE(at: offset &+ 2)
                {
                    targets.append(Message.Target(kind: blockKind(high << 4 | low), address: -1, count: Int(count)))
                }
                offset &+= 4
            }
            return targets
        case 0x02:
            let kind = frame.blockType == 0 ? "block" : blockKind(frame.blockType)
            if isRequest { return frame.blockType == 0 ? [] : [Message.Target(kind: kind, address: -1, count: 0)] }
            // Per block: number, flags, language.
            var targets: [Message.Target] = []
            var offset = 0
            while offset &+ 4 <= payload.count, targets.count < maxListedEntries {
                if let number = payload.uint16BE(at: offset), let language = payload.byte(at: offset &+ 3) {
                    targets.append(Message.Target(
                        kind: kind, address: Int(number), values: [Int(language)], value: languageName(language)))
                }
                offset &+= 4
            }
            return targets
        case 0x03:
            if !isRequest, let info = blockInfoTarget(payload) { return [info] }
            guard frame.blockNumber >= 0 else { return [] }
            return [Message.Target(kind: blockKind(frame.blockType), address: Int(frame.blockNumber))]
        default:
            return []
        }
    }

    /// Programming languages of a block (Wireshark's German names in English: AWL is STL, KOP
    /// is LAD, FUP is FBD).
    public static func languageName(_ code: UInt8) -> String {
        switch code {
        case 0x00: "not_defined"
        case 0x01: "stl"
        case 0x02: "lad"
        case 0x03: "fbd"
        case 0x04: "scl"
        case 0x05: "db"
        case 0x06: "graph"
        case 0x07: "sdb"
        case 0x08: "cpu_db"
        case 0x11: "sdb_after_reset"
        case 0x12: "sdb_routing"
        case 0x29: "encrypted"
        default: "language_0x" + hex(Int(code), digits: 2)
        }
    }
}
