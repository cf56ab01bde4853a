import ConvergeModel
import ConvergeWire

extension PROFINET {
    /// DCP header after the FrameID: ServiceID, ServiceType, Xid (4), ResponseDelay or reserved
    /// (2), DCPDataLength (2).
    static let dcpHeaderLength = 12

    /// Reads the DCP header and walks the blocks inside DCPDataLength (cut at the frame's end;
    /// the Ethernet padding after them is not read).
    static func readDCP(_ payload: Span<UInt8>, frame: inout Frame) throws(DissectError) {
        guard payload.count >= dcpHeaderLength, let delay = payload.uint16BE(at: 8),
            let length = payload.uint16BE(at: 10)
        else { throw .malformed("profinet: DCP frame of \(payload.count) bytes, header needs 12") }
        frame.serviceID = payload[2]
        frame.serviceType = payload[3]
        frame.xid = payload.loadUInt32BE(at: 4)
        frame.responseDelay = delay
        frame.dcpDataLength = length
        checkService(&frame)
        var end = dcpHeaderLength &+ Int(length)
        if end > payload.count {
            frame.anomalies.insert(.invalidLength)
            end = payload.count
        }
        if frame.serviceID == Service.get, !frame.isResponse {
            readGetRequest(payload, from: dcpHeaderLength, to: end, frame: &frame)
        } else {
            readBlocks(payload, from: dcpHeaderLength, to: end, frame: &frame)
        }
        if frame.serviceID == Service.set, !frame.isResponse {
            if frame.setsName || frame.setsIP { frame.anomalies.insert(.dcpSet) }
            let resets = 1 << ControlSuboption.factoryReset | 1 << ControlSuboption.resetToFactory
            if frame.controlSuboptions & UInt8(resets) != 0 { frame.anomalies.insert(.factoryReset) }
        }
    }

    /// Flags unknown services and services on a FrameID that does not carry them.
    static func checkService(_ frame: inout Frame) {
        let expected: UInt16
        switch frame.serviceID {
        case Service.get, Service.set: expected = FrameID.dcpGetSet
        case Service.identify:
            expected = frame.isResponse ? FrameID.dcpIdentifyResponse : FrameID.dcpIdentifyRequest
        case Service.hello: expected = FrameID.dcpHello
        default:
            frame.anomalies.insert(.unknownService)
            return
        }
        if frame.serviceType & ~0x05 != 0 { frame.anomalies.insert(.unknownService) }
        if frame.frameID != expected { frame.anomalies.insert(.serviceFrameMismatch) }
    }

    /// A get request lists what it asks for as bare option/suboption pairs.
    static func readGetRequest(_ payload: Span<UInt8>, from start: Int, to end: Int, frame: inout Frame) {
        var offset = start
        var count = 0
        while offset &+ 2 <= end {
            guard count < maxBlocks else {
                frame.anomalies.insert(.tooManyBlocks)
                break
            }
            count &+= 1
            offset &+= 2
        }
        if offset < end { frame.anomalies.insert(.truncatedBlock) }
        frame.blockCount = UInt16(truncatingIfNeeded: count)
    }

    /// Blocks of option (1), suboption (1), length (2), value, padded to an even length. In
    /// responses and hellos the value opens with a 2-byte BlockInfo, in set requests with a
    /// 2-byte BlockQualifier; identify request filters and Control/Response blocks have neither.
    static func readBlocks(_ payload: Span<UInt8>, from start: Int, to end: Int, frame: inout Frame) {
        let hasInfo = !(frame.serviceID == Service.identify && !frame.isResponse)
        var offset = start
        var count = 0
        while offset &+ 4 <= end {
            guard count < maxBlocks else {
                frame.anomalies.insert(.tooManyBlocks)
                break
            }
            count &+= 1
            let option = payload[offset]
            let suboption = payload[offset &+ 1]
            let length = Int(payload[offset &+ 2]) << 8 | Int(payload[offset &+ 3])
            let valueStart = offset &+ 4
            let valueEnd = valueStart &+ length
            guard valueEnd <= end else {
                frame.anomalies.insert(.truncatedBlock)
                break
            }
            let isResponseBlock = option == Option.control && suboption == ControlSuboption.response
            let skip = hasInfo && !isResponseBlock ? 2 : 0
            if length < skip {
                frame.anomalies.insert(.badBlockLength)
            } else {
                let info = skip == 2 ? UInt16(payload[valueStart]) << 8 | UInt16(payload[valueStart &+ 1]) : 0
                let block = Block(
                    option: option, suboption: suboption, info: info, offset: valueStart &+ skip,
                    length: length &- skip)
                readBlock(block, in: payload, frame: &frame)
            }
            offset = valueEnd &+ (length & 1)
        }
        if offset < end, offset &+ 4 > end, count < maxBlocks { frame.anomalies.insert(.truncatedBlock) }
        frame.blockCount = UInt16(truncatingIfNeeded: count)
    }

    /// One block's value, after its BlockInfo/BlockQualifier.
    struct Block {
        var option: UInt8
        var suboption: UInt8
        var info: UInt16
        var offset: Int
        var length: Int
        var field: LinkField { LinkField(offset: offset, length: length) }
    }

    static func readBlock(_ block: Block, in payload: Span<UInt8>, frame: inout Frame) {
        let setting = frame.serviceID == Service.set && !frame.isResponse
        switch block.option {
        case Option.ip: readIPBlock(block, in: payload, frame: &frame, setting: setting)
        case Option.deviceProperties: readDeviceBlock(block, in: payload, frame: &frame, setting: setting)
        case Option.dhcp:
            if frame.dhcpSuboption == 0 { frame.dhcpSuboption = block.suboption }
        case Option.control:
            if block.suboption < 8 { frame.controlSuboptions |= 1 << block.suboption }
            if block.suboption == ControlSuboption.response { readResponseBlock(block, in: payload, frame: &frame) }
        case Option.all:
            if frame.serviceID == Service.identify { frame.identifyAll = true }
        default: break
        }
    }

    static func readIPBlock(_ block: Block, in payload: Span<UInt8>, frame: inout Frame, setting: Bool) {
        switch block.suboption {
        case IPSuboption.macAddress:
            guard block.length >= 6, let mac = LinkText.mac(payload, at: block.offset) else {
                if frame.serviceID != Service.identify || frame.isResponse { frame.anomalies.insert(.badBlockLength) }
                return
            }
            if frame.macAddress == 0 { frame.macAddress = mac }
        case IPSuboption.parameter, IPSuboption.fullSuite:
            // An identify request may filter on an IP; every other IP block carries all three.
            guard block.length >= 12 else {
                frame.anomalies.insert(.badBlockLength)
                return
            }
            if setting { frame.setsIP = true }
            guard !frame.hasIP else { return }
            frame.hasIP = true
            frame.ipBlockInfo = block.info
            frame.ipAddress = payload.loadUInt32BE(at: block.offset)
            frame.subnetMask = payload.loadUInt32BE(at: block.offset &+ 4)
            frame.gateway = payload.loadUInt32BE(at: block.offset &+ 8)
            if frame.describesSender, block.info & 0x80 != 0 { frame.anomalies.insert(.addressConflict) }
        default: break
        }
    }

    static func readDeviceBlock(_ block: Block, in payload: Span<UInt8>, frame: inout Frame, setting: Bool) {
        switch block.suboption {
        case DeviceSuboption.vendorValue:
            if !frame.deviceVendorValue.isPresent { frame.deviceVendorValue = block.field }
        case DeviceSuboption.nameOfStation:
            if setting { frame.setsName = true }
            guard !frame.nameOfStation.isPresent else { return }
            frame.nameOfStation = block.field
            if !validStationName(payload, block) { frame.anomalies.insert(.invalidStationName) }
        case DeviceSuboption.deviceID:
            guard block.length >= 4, let vendor = payload.uint16BE(at: block.offset),
                let device = payload.uint16BE(at: block.offset &+ 2)
            else {
                frame.anomalies.insert(.badBlockLength)
                return
            }
            if !frame.hasDeviceID {
                frame.hasDeviceID = true
                frame.vendorID = vendor
                frame.deviceID = device
            }
        case DeviceSuboption.role:
            guard block.length >= 1 else {
                frame.anomalies.insert(.badBlockLength)
                return
            }
            if !frame.hasDeviceRole {
                frame.hasDeviceRole = true
                frame.deviceRole = payload[block.offset]
            }
        case DeviceSuboption.options:
            frame.deviceOptionCount = UInt16(truncatingIfNeeded: block.length / 2)
        case DeviceSuboption.aliasName:
            if !frame.aliasName.isPresent { frame.aliasName = block.field }
        default: break
        }
    }

    /// Control / Response: option and suboption answered, then the error (0 ok). A set response
    /// that answers NameOfStation or IP parameters is that set's outcome.
    static func readResponseBlock(_ block: Block, in payload: Span<UInt8>, frame: inout Frame) {
        guard block.length >= 3 else {
            frame.anomalies.insert(.badBlockLength)
            return
        }
        let option = payload[block.offset]
        let suboption = payload[block.offset &+ 1]
        let error = payload[block.offset &+ 2]
        if frame.serviceID == Service.set {
            if option == Option.ip, suboption == IPSuboption.parameter || suboption == IPSuboption.fullSuite {
                frame.setsIP = true
            }
            if option == Option.deviceProperties, suboption == DeviceSuboption.nameOfStation { frame.setsName = true }
        }
        guard !frame.hasResponse || (frame.responseError == 0 && error != 0) else { return }
        frame.hasResponse = true
        frame.responseOption = option
        frame.responseSuboption = suboption
        frame.responseError = error
    }

    /// NameOfStation labels: letters, digits, '-' and '.' (IEC 61158-6-10, DNS-like; upper case
    /// kept legal for older devices). Anything else (spaces, '%') is flagged.
    static func validStationName(_ payload: Span<UInt8>, _ block: Block) -> Bool {
        guard block.length > 0 else { return true }
        var index = block.offset
        let end = block.offset &+ block.length
        while index < end {
            let byte = payload[index]
            let ok =
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x2E
            if !ok { return false }
            index &+= 1
        }
        return true
    }
}
