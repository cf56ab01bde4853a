import ConvergeModel

extension EtherNetIP {
    /// CIP object classes this dissector names or treats specially.
    public enum ObjectClass {
        public static let identity: UInt32 = 0x01
        public static let messageRouter: UInt32 = 0x02
        public static let assembly: UInt32 = 0x04
        public static let connectionManager: UInt32 = 0x06
        public static let file: UInt32 = 0x37
        public static let pccc: UInt32 = 0x67
        /// Rockwell Logix program, routine and related objects (used by program upload/download).
        public static let logixProgram: ClosedRange<UInt32> = 0x68...0x6a
        /// Logix symbol and template objects.
        public static let symbol: UInt32 = 0x6b
        public static let template: UInt32 = 0x6c
        /// Rockwell controller object: start/stop (run/program mode), lock/unlock.
        public static let controller: UInt32 = 0x8e
        /// Rockwell non-volatile storage: the firmware update (ControlFLASH) object.
        public static let firmwareStorage: UInt32 = 0xa1
        public static let port: UInt32 = 0xf4
        public static let tcpIP: UInt32 = 0xf5
        public static let ethernetLink: UInt32 = 0xf6
    }

    /// Common service codes (CIP Vol. 1, appendix A) and the class-specific ones decoded here.
    public enum Service {
        public static let getAttributesAll: UInt8 = 0x01
        public static let setAttributesAll: UInt8 = 0x02
        public static let getAttributeList: UInt8 = 0x03
        public static let setAttributeList: UInt8 = 0x04
        public static let reset: UInt8 = 0x05
        public static let start: UInt8 = 0x06
        public static let stop: UInt8 = 0x07
        public static let multipleServicePacket: UInt8 = 0x0a
        public static let getAttributeSingle: UInt8 = 0x0e
        public static let setAttributeSingle: UInt8 = 0x10
        // Connection manager (class 0x06).
        public static let forwardClose: UInt8 = 0x4e
        public static let unconnectedSend: UInt8 = 0x52
        public static let forwardOpen: UInt8 = 0x54
        public static let largeForwardOpen: UInt8 = 0x5b
        // Logix tag services (symbolic paths).
        public static let readTag: UInt8 = 0x4c
        public static let writeTag: UInt8 = 0x4d
        public static let readModifyWriteTag: UInt8 = 0x4e
        public static let readTagFragmented: UInt8 = 0x52
        public static let writeTagFragmented: UInt8 = 0x53
        // PCCC object (class 0x67).
        public static let executePCCC: UInt8 = 0x4b
    }

    /// Who a CIP service talks to: the class of its path and whether the path names a tag.
    public struct ServiceTarget: Sendable, Equatable {
        public var classID: UInt32?
        public var isSymbolic: Bool
        public init(classID: UInt32?, isSymbolic: Bool) {
            self.classID = classID
            self.isSymbolic = isSymbolic
        }
        public init(_ path: Path) { self.init(classID: path.classID, isSymbolic: path.isSymbolic) }

        /// Logix tag services apply to symbolic paths and to the symbol/template objects.
        var isLogix: Bool {
            isSymbolic || classID == ObjectClass.symbol || classID == ObjectClass.template || classID == nil
        }
    }

    /// The snake_case service name (code without the response bit), nil when neither common nor
    /// defined for the addressed class.
    public static func serviceName(_ code: UInt8, target: ServiceTarget) -> String? {
        if let common = commonServiceName(code & 0x7f) { return common }
        let code = code & 0x7f
        if target.classID == ObjectClass.connectionManager {
            switch code {
            case 0x4e: return "forward_close"
            case 0x52: return "unconnected_send"
            case 0x54: return "forward_open"
            case 0x56: return "get_connection_data"
            case 0x57: return "search_connection_data"
            case 0x5a: return "get_connection_owner"
            case 0x5b: return "large_forward_open"
            default: return nil
            }
        }
        if target.classID == ObjectClass.pccc {
            switch code {
            case 0x4b: return "execute_pccc"
            case 0x4c: return "execute_dh_plus"
            case 0x4d: return "execute_local_pccc"
            default: return nil
            }
        }
        if target.classID == ObjectClass.file {
            switch code {
            case 0x4b: return "initiate_upload"
            case 0x4c: return "initiate_download"
            case 0x4d: return "initiate_partial_read"
            case 0x4e: return "initiate_partial_write"
            case 0x4f: return "upload_transfer"
            case 0x50: return "download_transfer"
            case 0x51: return "clear_file"
            default: return nil
            }
        }
        if target.classID == ObjectClass.template, code == 0x4c { return "read_template" }
        if target.isLogix {
            switch code {
            case 0x4c: return "read_tag"
            case 0x4d: return "write_tag"
            case 0x4e: return "read_modify_write_tag"
            case 0x52: return "read_tag_fragmented"
            case 0x53: return "write_tag_fragmented"
            case 0x55: return "get_instance_attribute_list"
            default: return nil
            }
        }
        return nil
    }

    /// Whether `code` (without the response bit) is a common service: `commonServiceName` is
    /// non-nil exactly for these. A switch, so parse builds no string.
    static func isCommonService(_ code: UInt8) -> Bool {
        switch code {
        case 0x01...0x0a, 0x0d, 0x0e, 0x10, 0x11, 0x14...0x1c: true
        default: false
        }
    }

    static func commonServiceName(_ code: UInt8) -> String? {
        switch code {
        case 0x01: "get_attributes_all"
        case 0x02: "set_attributes_all"
        case 0x03: "get_attribute_list"
        case 0x04: "set_attribute_list"
        case 0x05: "reset"
        case 0x06: "start"
        case 0x07: "stop"
        case 0x08: "create"
        case 0x09: "delete"
        case 0x0a: "multiple_service_packet"
        case 0x0d: "apply_attributes"
        case 0x0e: "get_attribute_single"
        case 0x10: "set_attribute_single"
        case 0x11: "find_next_object_instance"
        case 0x14: "error_response"
        case 0x15: "restore"
        case 0x16: "save"
        case 0x17: "nop"
        case 0x18: "get_member"
        case 0x19: "set_member"
        case 0x1a: "insert_member"
        case 0x1b: "remove_member"
        case 0x1c: "group_sync"
        default: nil
        }
    }

    /// The name, or `service_0xNN` (class-specific, undecoded) for codes not named here.
    public static func serviceDisplayName(_ code: UInt8, target: ServiceTarget) -> String {
        serviceName(code, target: target) ?? "service_" + hex(code & 0x7f)
    }

    /// What a CIP service does to the device. Multiple Service Packet and Unconnected Send take
    /// the operation of what they carry (the caller combines); this is the service's own.
    public static func serviceOperation(_ code: UInt8, target: ServiceTarget) -> Operation {
        let code = code & 0x7f
        // Anything sent to the firmware store is part of a firmware update (ControlFLASH).
        if target.classID == ObjectClass.firmwareStorage, code >= 0x4b { return .firmware }
        switch code {
        case 0x01, 0x03, 0x0e, 0x11, 0x18: return .read
        case 0x02, 0x04, 0x08, 0x09, 0x0d, 0x10, 0x15, 0x16, 0x19, 0x1a, 0x1b: return .write
        case 0x05, 0x06, 0x07: return .control
        case 0x0a: return .other
        case 0x17, 0x14, 0x1c: return .other
        default: break
        }
        switch target.classID {
        case ObjectClass.connectionManager:
            switch code {
            case 0x4e, 0x54, 0x5b: return .session
            case 0x56, 0x57, 0x5a: return .read
            default: return .other
            }
        case ObjectClass.file:
            return code >= 0x4b && code <= 0x51 ? .firmware : .other
        case ObjectClass.pccc:
            return .other
        case ObjectClass.controller:
            // Rockwell lock/unlock and mode changes of the controller.
            return .control
        case let id? where ObjectClass.logixProgram.contains(id):
            return .program
        default:
            break
        }
        if target.isLogix {
            switch code {
            case 0x4c, 0x52, 0x55: return .read
            case 0x4d, 0x4e, 0x53: return .write
            default: return .other
            }
        }
        return .other
    }

    /// Operations by how much they matter, so a packet of many services reports its weightiest.
    static func weight(_ operation: Operation) -> Int {
        switch operation {
        case .firmware: 9
        case .program: 8
        case .control: 7
        case .auth: 6
        case .write: 5
        case .session: 4
        case .diagnostic: 3
        case .read: 2
        case .discovery: 1
        case .other: 0
        }
    }
}
