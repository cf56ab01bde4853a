import ConvergeModel

extension PROFINET {
    /// What a FrameID says the frame is (IEC 61158-6-10 table "FrameID range").
    public enum FrameKind: UInt8, Sendable {
        case dcp, cyclic, alarm, ptcp, other

        public init(frameID: UInt16) {
            switch frameID {
            case FrameID.dcpHello...FrameID.dcpIdentifyResponse: self = .dcp
            case 0x0100...0xFBFF: self = .cyclic
            case FrameID.alarmHigh, FrameID.alarmLow: self = .alarm
            case 0x0000...0x00FF, 0xFF20...0xFF43: self = .ptcp
            default: self = .other
            }
        }
    }

    /// FrameIDs with a fixed meaning.
    public enum FrameID {
        public static let dcpHello: UInt16 = 0xFEFC
        public static let dcpGetSet: UInt16 = 0xFEFD
        public static let dcpIdentifyRequest: UInt16 = 0xFEFE
        public static let dcpIdentifyResponse: UInt16 = 0xFEFF
        public static let alarmHigh: UInt16 = 0xFC01
        public static let alarmLow: UInt16 = 0xFE01
    }

    /// Function codes of the frames that carry no DCP service id (see `PROFINET`).
    public enum Function {
        public static let cyclic = 256
        public static let alarm = 257
        public static let ptcp = 258
        public static let other = 259
    }

    /// One PROFINET frame as `parse` found it; text is not built here.
    public struct Frame: ParsedMessage, Sendable {
        public var frameID: UInt16 = 0
        public var kind: FrameKind = .other

        // DCP header.
        /// 1…6 (3 get, 4 set, 5 identify, 6 hello).
        public var serviceID: UInt8 = 0
        /// Bit 0 response, bit 2 "request not supported" (so 0 request, 1 success, 5 not supported).
        public var serviceType: UInt8 = 0
        public var xid: UInt32 = 0
        /// ResponseDelay in an identify request, reserved elsewhere.
        public var responseDelay: UInt16 = 0
        /// DCPDataLength as sent (the blocks read stop at the frame's end if it says more).
        public var dcpDataLength: UInt16 = 0
        public var blockCount: UInt16 = 0

        // DCP blocks: the first of each kind.
        /// Device properties / NameOfStation: the station's own name in a response or hello, the
        /// new name in a set request, the name looked for in an identify request.
        public var nameOfStation = LinkField()
        /// Device properties / manufacturer specific (DeviceVendorValue, "type of station").
        public var deviceVendorValue = LinkField()
        public var aliasName = LinkField()
        public var vendorID: UInt16 = 0
        public var deviceID: UInt16 = 0
        public var hasDeviceID = false
        /// Device role bits: 0 IO device, 1 IO controller, 2 IO multidevice, 3 PN supervisor.
        public var deviceRole: UInt8 = 0
        public var hasDeviceRole = false
        /// Device options: option/suboption pairs the device supports.
        public var deviceOptionCount: UInt16 = 0
        public var ipAddress: UInt32 = 0
        public var subnetMask: UInt32 = 0
        public var gateway: UInt32 = 0
        public var hasIP = false
        /// BlockInfo of the IP block in a response (bit 0 IP set, bit 1 by DHCP, bit 7 conflict)
        /// or BlockQualifier in a set request (bit 0: permanent).
        public var ipBlockInfo: UInt16 = 0
        /// IP / MAC address block (6 bytes), 0 when absent.
        public var macAddress: UInt64 = 0
        /// The first DHCP block's suboption (12 host name, 61 client identifier, …), 0 when none.
        public var dhcpSuboption: UInt8 = 0
        /// Control suboptions present, bit n for suboption n (1 start, 2 end, 3 signal,
        /// 4 response, 5 factory reset, 6 reset to factory).
        public var controlSuboptions: UInt8 = 0
        /// Control / Response: the option and suboption answered and its error (the first
        /// failing one, else the first).
        public var responseOption: UInt8 = 0
        public var responseSuboption: UInt8 = 0
        public var responseError: UInt8 = 0
        public var hasResponse = false
        /// A set request (or its response) of the station name or the IP parameters.
        public var setsName = false
        public var setsIP = false
        /// An identify request for every device (the All selector).
        public var identifyAll = false

        // Cyclic RT data: the APDU status after the IO data.
        public var cycleCounter: UInt16 = 0
        /// Bit 0 primary, bit 2 data valid, bit 4 provider run, bit 5 station OK (0: problem).
        public var dataStatus: UInt8 = 0
        public var transferStatus: UInt8 = 0
        public var ioDataLength: UInt16 = 0
        public var hasStatus = false

        // Alarm (RTA) header.
        public var alarmDestination: UInt16 = 0
        public var alarmSource: UInt16 = 0
        /// Low nibble: 1 DATA, 2 NACK, 3 ACK, 4 ERR; high nibble the version.
        public var pduType: UInt8 = 0
        public var sendSequence: UInt16 = 0
        public var ackSequence: UInt16 = 0
        public var hasAlarmHeader = false

        public var anomalies: Anomalies = []

        public init() {}

        public var functionCode: Int {
            switch kind {
            case .dcp: Int(serviceID)
            case .cyclic: Function.cyclic
            case .alarm: Function.alarm
            case .ptcp: Function.ptcp
            case .other: Function.other
            }
        }
        public var hasFunction: Bool { true }
        public var isResponse: Bool { kind == .dcp && serviceType & 0x01 != 0 }
        /// A DCP frame whose blocks describe its sender: identify/get responses and hellos.
        public var describesSender: Bool {
            kind == .dcp && (isResponse || serviceID == Service.hello) && serviceType & 0x04 == 0
        }
    }

    /// DCP service ids.
    public enum Service {
        public static let get: UInt8 = 3
        public static let set: UInt8 = 4
        public static let identify: UInt8 = 5
        public static let hello: UInt8 = 6
    }

    /// DCP block options and the suboptions read here.
    public enum Option {
        public static let ip: UInt8 = 1
        public static let deviceProperties: UInt8 = 2
        public static let dhcp: UInt8 = 3
        public static let control: UInt8 = 5
        public static let deviceInitiative: UInt8 = 6
        public static let all: UInt8 = 0xFF
    }

    public enum IPSuboption {
        public static let macAddress: UInt8 = 1
        public static let parameter: UInt8 = 2
        public static let fullSuite: UInt8 = 3
    }

    public enum DeviceSuboption {
        public static let vendorValue: UInt8 = 1
        public static let nameOfStation: UInt8 = 2
        public static let deviceID: UInt8 = 3
        public static let role: UInt8 = 4
        public static let options: UInt8 = 5
        public static let aliasName: UInt8 = 6
    }

    public enum ControlSuboption {
        public static let start: UInt8 = 1
        public static let end: UInt8 = 2
        public static let signal: UInt8 = 3
        public static let response: UInt8 = 4
        public static let factoryReset: UInt8 = 5
        public static let resetToFactory: UInt8 = 6
    }
}
