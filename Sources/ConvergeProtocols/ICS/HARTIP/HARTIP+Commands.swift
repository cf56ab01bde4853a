import ConvergeModel

extension HARTIP {
    /// A HART command's name and operation (HCF_SPEC-127 universal and HCF_SPEC-151 common practice).
    public struct Command: Sendable {
        public var name: String
        public var operation: Operation
    }

    /// The universal and common-practice commands Converge names; others are `command_<n>`.
    public static func command(_ number: Int) -> Command? {
        switch number {
        case 0: Command(name: "read_unique_identifier", operation: .discovery)
        case 1: Command(name: "read_primary_variable", operation: .read)
        case 2: Command(name: "read_loop_current_and_percent_of_range", operation: .read)
        case 3: Command(name: "read_dynamic_variables_and_loop_current", operation: .read)
        case 6: Command(name: "write_polling_address", operation: .write)
        case 7: Command(name: "read_loop_configuration", operation: .read)
        case 8: Command(name: "read_dynamic_variable_classifications", operation: .read)
        case 9: Command(name: "read_device_variables_with_status", operation: .read)
        case 11: Command(name: "read_unique_identifier_by_tag", operation: .discovery)
        case 12: Command(name: "read_message", operation: .read)
        case 13: Command(name: "read_tag_descriptor_date", operation: .read)
        case 14: Command(name: "read_primary_variable_transducer_information", operation: .read)
        case 15: Command(name: "read_device_information", operation: .read)
        case 16: Command(name: "read_final_assembly_number", operation: .read)
        case 17: Command(name: "write_message", operation: .write)
        case 18: Command(name: "write_tag_descriptor_date", operation: .write)
        case 19: Command(name: "write_final_assembly_number", operation: .write)
        case 20: Command(name: "read_long_tag", operation: .read)
        case 21: Command(name: "read_unique_identifier_by_long_tag", operation: .discovery)
        case 22: Command(name: "write_long_tag", operation: .write)
        case 33: Command(name: "read_device_variables", operation: .read)
        case 34: Command(name: "write_primary_variable_damping", operation: .write)
        case 35: Command(name: "write_primary_variable_range", operation: .write)
        case 36: Command(name: "set_primary_variable_upper_range", operation: .write)
        case 37: Command(name: "set_primary_variable_lower_range", operation: .write)
        case 38: Command(name: "reset_configuration_changed_flag", operation: .control)
        case 40: Command(name: "enter_exit_fixed_current_mode", operation: .control)
        case 41: Command(name: "perform_self_test", operation: .diagnostic)
        case 42: Command(name: "perform_device_reset", operation: .control)
        case 43: Command(name: "set_primary_variable_zero", operation: .control)
        case 44: Command(name: "write_primary_variable_units", operation: .write)
        case 45: Command(name: "trim_loop_current_zero", operation: .control)
        case 46: Command(name: "trim_loop_current_gain", operation: .control)
        case 47: Command(name: "write_primary_variable_transfer_function", operation: .write)
        case 48: Command(name: "read_additional_device_status", operation: .diagnostic)
        case 49: Command(name: "write_primary_variable_transducer_serial", operation: .write)
        case 50: Command(name: "read_dynamic_variable_assignments", operation: .read)
        case 51: Command(name: "write_dynamic_variable_assignments", operation: .write)
        case 53: Command(name: "write_device_variable_units", operation: .write)
        case 54: Command(name: "read_device_variable_information", operation: .read)
        case 59: Command(name: "write_number_of_response_preambles", operation: .write)
        case 79: Command(name: "write_device_variable", operation: .control)
        case 103: Command(name: "write_burst_period", operation: .write)
        case 105: Command(name: "read_burst_mode_configuration", operation: .read)
        case 108: Command(name: "write_burst_mode_command_number", operation: .write)
        case 109: Command(name: "burst_mode_control", operation: .control)
        case 512: Command(name: "read_country_code", operation: .read)
        case 513: Command(name: "write_country_code", operation: .write)
        default: nil
        }
    }

    /// The HART-IP message id's name.
    public static func messageName(_ id: UInt8) -> String {
        switch id {
        case 0: "session_initiate"
        case 1: "session_close"
        case 2: "keep_alive"
        case passThroughID: "pass_through"
        case directPDUID: "direct_pdu"
        case discoveryID: "discovery"
        default: "unknown"
        }
    }

    /// A response code's name (HCF_SPEC-307 table 6); bit 7 set is a communication error.
    public static func responseCodeName(_ code: UInt8) -> String {
        if code & 0x80 != 0 { return "communication_error" }
        return switch code {
        case 0: "success"
        case 2: "invalid_selection"
        case 3: "passed_parameter_too_large"
        case 4: "passed_parameter_too_small"
        case 5: "too_few_data_bytes"
        case 6: "device_specific_command_error"
        case 7: "in_write_protect_mode"
        case 8: "warning_update_failure"
        case 16: "access_restricted"
        case 32: "device_busy"
        case 33: "delayed_response_initiated"
        case 34: "delayed_response_running"
        case 35: "delayed_response_dead"
        case 36: "delayed_response_conflict"
        case 64: "command_not_implemented"
        default: "response_code_\(code)"
        }
    }
}
