import ConvergeModel

extension ModbusTCP {
    /// A Modbus function code (without the exception bit). A struct rather than an enum so codes
    /// nobody named still round-trip and count.
    public struct Function: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let readCoils = Function(rawValue: 1)
        public static let readDiscreteInputs = Function(rawValue: 2)
        public static let readHoldingRegisters = Function(rawValue: 3)
        public static let readInputRegisters = Function(rawValue: 4)
        public static let writeSingleCoil = Function(rawValue: 5)
        public static let writeSingleRegister = Function(rawValue: 6)
        public static let readExceptionStatus = Function(rawValue: 7)
        public static let diagnostics = Function(rawValue: 8)
        public static let getCommEventCounter = Function(rawValue: 11)
        public static let getCommEventLog = Function(rawValue: 12)
        public static let writeMultipleCoils = Function(rawValue: 15)
        public static let writeMultipleRegisters = Function(rawValue: 16)
        public static let reportServerID = Function(rawValue: 17)
        public static let readFileRecord = Function(rawValue: 20)
        public static let writeFileRecord = Function(rawValue: 21)
        public static let maskWriteRegister = Function(rawValue: 22)
        public static let readWriteMultipleRegisters = Function(rawValue: 23)
        public static let readFIFOQueue = Function(rawValue: 24)
        /// MEI transport: 13 CANopen general reference, 14 read device identification.
        public static let encapsulatedInterfaceTransport = Function(rawValue: 43)
        /// Schneider Electric UMAS (Unity/EcoStruxure engineering protocol).
        public static let umas = Function(rawValue: 90)

        /// The name of a public or UMAS function; nil for any other code.
        public var name: String? {
            switch rawValue {
            case 1: "read_coils"
            case 2: "read_discrete_inputs"
            case 3: "read_holding_registers"
            case 4: "read_input_registers"
            case 5: "write_single_coil"
            case 6: "write_single_register"
            case 7: "read_exception_status"
            case 8: "diagnostics"
            case 11: "get_comm_event_counter"
            case 12: "get_comm_event_log"
            case 15: "write_multiple_coils"
            case 16: "write_multiple_registers"
            case 17: "report_server_id"
            case 20: "read_file_record"
            case 21: "write_file_record"
            case 22: "mask_write_register"
            case 23: "read_write_multiple_registers"
            case 24: "read_fifo_queue"
            case 43: "encapsulated_interface_transport"
            case 90: "umas"
            default: nil
            }
        }

        /// Public or UMAS: a code this dissector knows the layout or meaning of (the codes `name`
        /// names, tested without building a string since `parse` asks on every message).
        @inline(__always)
        public var isNamed: Bool {
            switch rawValue {
            case 1...8, 11, 12, 15...17, 20...24, 43, 90: true
            default: false
            }
        }

        /// The ranges the spec leaves to vendors (65–72, 100–110): not anomalies, but not named.
        @inline(__always)
        public var isUserDefined: Bool { (65...72).contains(rawValue) || (100...110).contains(rawValue) }

        /// What the function does to the device, before its sub-function is considered.
        public var operation: Operation {
            switch rawValue {
            case 1, 2, 3, 4, 20, 24: .read
            case 5, 6, 15, 16, 21, 22, 23: .write
            case 7, 8, 11, 12: .diagnostic
            case 17, 43: .discovery
            case 90: .program
            default: .other
            }
        }
    }

    /// The exception code of an exception response.
    public struct ExceptionCode: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let illegalFunction = ExceptionCode(rawValue: 1)
        public static let illegalDataAddress = ExceptionCode(rawValue: 2)
        public static let illegalDataValue = ExceptionCode(rawValue: 3)
        public static let serverDeviceFailure = ExceptionCode(rawValue: 4)
        public static let acknowledge = ExceptionCode(rawValue: 5)
        public static let serverDeviceBusy = ExceptionCode(rawValue: 6)
        public static let negativeAcknowledge = ExceptionCode(rawValue: 7)
        public static let memoryParityError = ExceptionCode(rawValue: 8)
        public static let gatewayPathUnavailable = ExceptionCode(rawValue: 10)
        public static let gatewayTargetFailedToRespond = ExceptionCode(rawValue: 11)

        /// The spec's name (7 from the Modicon reference, the rest from V1.1b3); nil if undefined.
        public var name: String? {
            switch rawValue {
            case 1: "illegal_function"
            case 2: "illegal_data_address"
            case 3: "illegal_data_value"
            case 4: "server_device_failure"
            case 5: "acknowledge"
            case 6: "server_device_busy"
            case 7: "negative_acknowledge"
            case 8: "memory_parity_error"
            case 10: "gateway_path_unavailable"
            case 11: "gateway_target_device_failed_to_respond"
            default: nil
            }
        }
    }

    /// Names of the Diagnostics (function 8) sub-functions.
    public static func diagnosticsSubFunctionName(_ code: UInt16) -> String? {
        switch code {
        case 0: "return_query_data"
        case 1: "restart_communications_option"
        case 2: "return_diagnostic_register"
        case 3: "change_ascii_input_delimiter"
        case 4: "force_listen_only_mode"
        case 10: "clear_counters_and_diagnostic_register"
        case 11: "return_bus_message_count"
        case 12: "return_bus_communication_error_count"
        case 13: "return_bus_exception_error_count"
        case 14: "return_server_message_count"
        case 15: "return_server_no_response_count"
        case 16: "return_server_nak_count"
        case 17: "return_server_busy_count"
        case 18: "return_bus_character_overrun_count"
        case 20: "clear_overrun_counter_and_flag"
        default: nil
        }
    }

    /// MEI types carried by function 43.
    public static let meiCANopenGeneralReference: UInt16 = 13
    public static let meiReadDeviceIdentification: UInt16 = 14

    /// The event name of a function with its sub-function: `read_holding_registers`,
    /// `diagnostics.force_listen_only_mode`, `read_device_identification`, `umas.stop_plc`,
    /// `user_defined_65`, `unknown_10`.
    public static func functionName(_ function: Function, subFunction: UInt16) -> String {
        switch function {
        case .diagnostics:
            guard let sub = diagnosticsSubFunctionName(subFunction) else { return "diagnostics" }
            return "diagnostics." + sub
        case .encapsulatedInterfaceTransport:
            switch subFunction {
            case meiReadDeviceIdentification: return "read_device_identification"
            case meiCANopenGeneralReference: return "canopen_general_reference"
            default: return "encapsulated_interface_transport"
            }
        case .umas:
            guard let sub = UMAS.name(UInt8(truncatingIfNeeded: subFunction)) else { return "umas" }
            return "umas." + sub
        default:
            if let name = function.name { return name }
            return (function.isUserDefined ? "user_defined_" : "unknown_") + String(function.rawValue)
        }
    }

    /// The operation of a function with its sub-function: restarting communications or forcing
    /// listen-only mode controls the device; UMAS depends on the UMAS function.
    public static func operation(_ function: Function, subFunction: UInt16) -> Operation {
        switch function {
        case .diagnostics where subFunction == 1 || subFunction == 4: .control
        case .encapsulatedInterfaceTransport where subFunction != meiReadDeviceIdentification: .other
        case .umas: UMAS.operation(UInt8(truncatingIfNeeded: subFunction))
        default: function.operation
        }
    }
}
