import ConvergeModel

extension ADS {
    /// ADS command ids (`ams.cmdid`).
    public struct Command: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let readDeviceInfo = Command(rawValue: 1)
        public static let read = Command(rawValue: 2)
        public static let write = Command(rawValue: 3)
        public static let readState = Command(rawValue: 4)
        public static let writeControl = Command(rawValue: 5)
        public static let addDeviceNotification = Command(rawValue: 6)
        public static let deleteDeviceNotification = Command(rawValue: 7)
        public static let deviceNotification = Command(rawValue: 8)
        public static let readWrite = Command(rawValue: 9)

        public var name: String? {
            switch rawValue {
            case 0: "invalid"
            case 1: "read_device_info"
            case 2: "read"
            case 3: "write"
            case 4: "read_state"
            case 5: "write_control"
            case 6: "add_device_notification"
            case 7: "delete_device_notification"
            case 8: "device_notification"
            case 9: "read_write"
            default: nil
            }
        }

        public var isKnown: Bool { rawValue >= 1 && rawValue <= 9 }
    }

    /// ADS states (`ams.ads_state`): what a write-control request asks the target to become.
    public static func adsStateName(_ state: UInt16) -> String {
        switch state {
        case 0: "invalid"
        case 1: "idle"
        case 2: "reset"
        case 3: "init"
        case 4: "start"
        case 5: "run"
        case 6: "stop"
        case 7: "save_config"
        case 8: "load_config"
        case 9: "power_failure"
        case 10: "power_good"
        case 11: "error"
        case 12: "shutdown"
        case 13: "suspend"
        case 14: "resume"
        case 15: "config"
        case 16: "reconfig"
        case 17: "stopping"
        case 18: "incompatible"
        case 19: "exception"
        default: "unknown"
        }
    }

    /// Reserved index groups (TcAdsDef.h `ADSIGRP_*`), named for targets; nil for others.
    public static func indexGroupName(_ group: UInt32) -> String? {
        switch group {
        case 0x4020: "plc_memory"
        case 0x4021: "plc_memory_bit"
        case 0x4025: "plc_memory_size"
        case 0x4040: "plc_data"
        case 0xF000: "symbol_table"
        case 0xF001: "symbol_name"
        case 0xF002: "symbol_value"
        case 0xF003: "symbol_handle_by_name"
        case 0xF004: "symbol_value_by_name"
        case 0xF005: "symbol_value_by_handle"
        case 0xF006: "release_symbol_handle"
        case 0xF007: "symbol_info_by_name"
        case 0xF008: "symbol_version"
        case 0xF009: "symbol_info_by_name_ex"
        case 0xF00A: "symbol_download"
        case 0xF00B: "symbol_upload"
        case 0xF00C: "symbol_upload_info"
        case 0xF00E: "datatype_upload"
        case 0xF00F: "symbol_upload_info2"
        case 0xF010: "symbol_notification"
        case 0xF020: "input_image"
        case 0xF021: "input_image_bit"
        case 0xF025: "input_image_size"
        case 0xF030: "output_image"
        case 0xF031: "output_image_bit"
        case 0xF035: "output_image_size"
        case 0xF080: "sum_read"
        case 0xF081: "sum_write"
        case 0xF082: "sum_read_write"
        case 0xF083: "sum_read_ex"
        case 0xF084: "sum_read_ex2"
        case 0xF085: "sum_add_notification"
        case 0xF086: "sum_delete_notification"
        case 0xF100: "device_data"
        default: nil
        }
    }

    /// Index groups whose read-write request carries a symbol name as its write data.
    static func carriesSymbolName(_ group: UInt32) -> Bool {
        group == 0xF003 || group == 0xF004 || group == 0xF007 || group == 0xF009
    }

    /// Common ADS / AMS error codes (ADS Return Codes), named for statuses.
    public static func errorName(_ code: UInt32) -> String {
        switch code {
        case 0x01: "internal_error"
        case 0x06: "target_port_not_found"
        case 0x07: "target_machine_not_found"
        case 0x0A: "no_memory"
        case 0x700: "device_error"
        case 0x701: "service_not_supported"
        case 0x702: "invalid_index_group"
        case 0x703: "invalid_index_offset"
        case 0x704: "invalid_access"
        case 0x705: "invalid_size"
        case 0x706: "invalid_data"
        case 0x707: "not_ready"
        case 0x708: "busy"
        case 0x709: "invalid_context"
        case 0x70A: "no_memory"
        case 0x70B: "invalid_parameter"
        case 0x70C: "not_found"
        case 0x70D: "syntax_error"
        case 0x70E: "incompatible"
        case 0x710: "symbol_not_found"
        case 0x711: "symbol_version_invalid"
        case 0x712: "invalid_state"
        case 0x713: "transmode_not_supported"
        case 0x714: "invalid_notification_handle"
        case 0x719: "access_denied"
        case 0x71A: "license_not_found"
        case 0x745: "timeout"
        case 0x746: "no_interface"
        case 0x748: "port_disabled"
        case 0x749: "port_not_connected"
        default: "unknown"
        }
    }
}
