import ConvergeModel

extension DNP3.Application {
    /// An application function code (IEEE 1815 table 4-1), known or not.
    public struct Function: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let confirm = Function(rawValue: 0)
        public static let read = Function(rawValue: 1)
        public static let write = Function(rawValue: 2)
        public static let select = Function(rawValue: 3)
        public static let operate = Function(rawValue: 4)
        public static let directOperate = Function(rawValue: 5)
        public static let directOperateNoAck = Function(rawValue: 6)
        public static let coldRestart = Function(rawValue: 13)
        public static let warmRestart = Function(rawValue: 14)
        public static let enableUnsolicited = Function(rawValue: 20)
        public static let disableUnsolicited = Function(rawValue: 21)
        public static let assignClass = Function(rawValue: 22)
        public static let authenticateRequest = Function(rawValue: 32)
        public static let response = Function(rawValue: 129)
        public static let unsolicitedResponse = Function(rawValue: 130)
        public static let authenticateResponse = Function(rawValue: 131)

        /// The function's snake_case name, nil for codes the spec does not define.
        public var name: String? {
            switch rawValue {
            case 0: "confirm"
            case 1: "read"
            case 2: "write"
            case 3: "select"
            case 4: "operate"
            case 5: "direct_operate"
            case 6: "direct_operate_no_ack"
            case 7: "immediate_freeze"
            case 8: "immediate_freeze_no_ack"
            case 9: "freeze_and_clear"
            case 10: "freeze_and_clear_no_ack"
            case 11: "freeze_at_time"
            case 12: "freeze_at_time_no_ack"
            case 13: "cold_restart"
            case 14: "warm_restart"
            case 15: "initialize_data"
            case 16: "initialize_application"
            case 17: "start_application"
            case 18: "stop_application"
            case 19: "save_configuration"
            case 20: "enable_unsolicited"
            case 21: "disable_unsolicited"
            case 22: "assign_class"
            case 23: "delay_measure"
            case 24: "record_current_time"
            case 25: "open_file"
            case 26: "close_file"
            case 27: "delete_file"
            case 28: "get_file_info"
            case 29: "authenticate_file"
            case 30: "abort_file"
            case 31: "activate_config"
            case 32: "authenticate_request"
            case 33: "authenticate_error"
            case 129: "response"
            case 130: "unsolicited_response"
            case 131: "authenticate_response"
            default: nil
            }
        }

        /// Whether the spec defines the code (`name` is not nil), asked on every fragment without
        /// building the name.
        public var isDefined: Bool { rawValue <= 33 || (129...131).contains(rawValue) }

        public var isResponse: Bool { rawValue >= 129 }
        /// Requests whose object headers carry no object data (only ranges or index lists).
        public var headersOnly: Bool {
            switch rawValue {
            case 0, 1, 7...10, 20, 21, 22: true
            default: false
            }
        }

        /// What the function does to the outstation, before its objects are looked at. Select,
        /// operate and direct operate are refined by `operation(touching:)`; responses take their
        /// request's operation.
        public var baseOperation: Operation {
            switch rawValue {
            case 1: .read
            case 2, 22: .write
            case 3...6: .write
            // Freezing counters, restarts, starting/stopping applications and switching
            // unsolicited reporting on or off change what the device does: control.
            case 7...18, 20, 21: .control
            case 19, 25...31: .program
            case 23: .diagnostic
            // Confirmations and the LAN time procedure keep the session going.
            case 0, 24: .session
            case 32, 33, 131: .auth
            // An unsolicited response reports data the master did not ask for.
            case 130: .read
            default: .other
            }
        }

        /// The operation given the objects the request touches: commands to control relay output
        /// blocks (group 12) or analog output blocks (group 41) are control, other selects and
        /// operates (e.g. on a file or a time object) are writes.
        public func operation(touching touched: DNP3.Touched) -> Operation {
            switch rawValue {
            case 3...6: touched.contains(.crob) || touched.contains(.analogOutput) ? .control : .write
            case 2 where touched.contains(.file): .program
            default: baseOperation
            }
        }
    }

    /// IIN bits (IIN1 high byte, IIN2 low byte) with their names, in bit order.
    public static let iinFlags: [(bit: UInt16, name: String)] = [
        (0x0100, "broadcast"),
        (0x0200, "class_1_events"),
        (0x0400, "class_2_events"),
        (0x0800, "class_3_events"),
        (0x1000, "need_time"),
        (0x2000, "local_control"),
        (0x4000, "device_trouble"),
        (0x8000, "device_restart"),
        (0x0001, "no_func_code_support"),
        (0x0002, "object_unknown"),
        (0x0004, "parameter_error"),
        (0x0008, "event_buffer_overflow"),
        (0x0010, "already_executing"),
        (0x0020, "config_corrupt"),
        (0x0040, "reserved_2"),
        (0x0080, "reserved_1"),
    ]

    /// The IIN2 bits that mean the request failed; the first one set names the exception.
    static let iinErrorBits: UInt16 = 0x0037

    /// Names of the IIN bits set (allocates: for events only).
    public static func iinNames(_ iin: UInt16) -> [String] {
        iinFlags.compactMap { iin & $0.bit != 0 ? $0.name : nil }
    }
}
