extension BACnetIP {
    /// BACnetObjectType names (clause 21), snake_case; 128–1023 are vendor types.
    static let objectTypeNames: [String] = [
        "analog_input", "analog_output", "analog_value", "binary_input", "binary_output", "binary_value",
        "calendar", "command", "device", "event_enrollment", "file", "group", "loop", "multi_state_input",
        "multi_state_output", "notification_class", "program", "schedule", "averaging", "multi_state_value",
        "trend_log", "life_safety_point", "life_safety_zone", "accumulator", "pulse_converter", "event_log",
        "global_group", "trend_log_multiple", "load_control", "structured_view", "access_door", "timer",
        "access_credential", "access_point", "access_rights", "access_user", "access_zone",
        "credential_data_input", "network_security", "bitstring_value", "characterstring_value",
        "date_pattern_value", "date_value", "datetime_pattern_value", "datetime_value", "integer_value",
        "large_analog_value", "octetstring_value", "positive_integer_value", "time_pattern_value", "time_value",
        "notification_forwarder", "alert_enrollment", "channel", "lighting_output", "binary_lighting_output",
        "network_port", "elevator_group", "escalator", "lift", "staging", "audit_log", "audit_reporter", "color",
        "color_temperature",
    ]

    /// The device object type: its properties say what the device is.
    public static let deviceObjectType: UInt16 = 8

    /// An object type's name, `vendor_<n>` or `reserved_<n>` when the standard names none.
    public static func objectTypeName(_ type: UInt16) -> String {
        if Int(type) < objectTypeNames.count { return objectTypeNames[Int(type)] }
        return type >= 128 ? "vendor_\(type)" : "reserved_\(type)"
    }

    /// Common BACnetPropertyIdentifier values.
    public enum Property {
        public static let all: UInt32 = 8
        public static let applicationSoftwareVersion: UInt32 = 12
        public static let description: UInt32 = 28
        public static let firmwareRevision: UInt32 = 44
        public static let location: UInt32 = 58
        public static let modelName: UInt32 = 70
        public static let objectIdentifier: UInt32 = 75
        public static let objectList: UInt32 = 76
        public static let objectName: UInt32 = 77
        public static let presentValue: UInt32 = 85
        public static let vendorIdentifier: UInt32 = 120
        public static let vendorName: UInt32 = 121
        public static let serialNumber: UInt32 = 372
    }

    /// Names of the properties seen most (clause 21); others are `property_<n>`.
    public static func propertyName(_ id: UInt32) -> String {
        switch id {
        case 4: "active_text"
        case 8: "all"
        case 10: "apdu_segment_timeout"
        case 11: "apdu_timeout"
        case 12: "application_software_version"
        case 22: "cov_increment"
        case 28: "description"
        case 30: "device_address_binding"
        case 36: "event_state"
        case 44: "firmware_revision"
        case 46: "inactive_text"
        case 56: "local_date"
        case 57: "local_time"
        case 58: "location"
        case 62: "max_apdu_length_accepted"
        case 65: "max_pres_value"
        case 69: "min_pres_value"
        case 70: "model_name"
        case 73: "number_of_apdu_retries"
        case 74: "number_of_states"
        case 75: "object_identifier"
        case 76: "object_list"
        case 77: "object_name"
        case 79: "object_type"
        case 80: "optional"
        case 81: "out_of_service"
        case 85: "present_value"
        case 87: "priority_array"
        case 96: "protocol_object_types_supported"
        case 97: "protocol_services_supported"
        case 98: "protocol_version"
        case 103: "reliability"
        case 104: "relinquish_default"
        case 105: "required"
        case 107: "segmentation_supported"
        case 110: "state_text"
        case 111: "status_flags"
        case 112: "system_status"
        case 117: "units"
        case 120: "vendor_identifier"
        case 121: "vendor_name"
        case 139: "protocol_revision"
        case 155: "database_revision"
        case 168: "profile_name"
        case 371: "property_list"
        case 372: "serial_number"
        default: "property_\(id)"
        }
    }

    /// ASHRAE-assigned vendor identifiers of the common vendors (bacnet.org, assigned vendor ids).
    public static func vendorName(_ id: UInt64) -> String? {
        switch id {
        case 0: "ASHRAE"
        case 1: "NIST"
        case 2: "The Trane Company"
        case 3: "Daikin Applied Americas"
        case 4: "PolarSoft"
        case 5: "Johnson Controls, Inc."
        case 6: "ABB (Formerly American Auto-Matrix)"
        case 7: "Siemens Schweiz AG"
        case 8: "Delta Controls"
        case 9: "Siemens Schweiz AG"
        case 10: "Schneider Electric"
        case 11: "TAC"
        case 12: "Orion Analysis Corporation"
        case 13: "Teletrol Systems Inc."
        case 14: "Cimetrics Technology"
        case 15: "Cornell University"
        case 16: "United Technologies Carrier"
        case 17: "Honeywell Inc."
        case 18: "Alerton / Honeywell"
        case 19: "TAC AB"
        case 20: "Hewlett-Packard Company"
        case 21: "Dorsette's Inc."
        case 22: "Siemens Schweiz AG"
        case 23: "York Controls Group"
        case 24: "Automated Logic Corporation"
        case 25: "CSI Control Systems International"
        case 26: "Phoenix Controls Corporation"
        case 27: "Innovex Technologies, Inc."
        case 28: "KMC Controls, Inc."
        case 29: "Xn Technologies, Inc."
        case 30: "Hyundai Information Technology Co., Ltd."
        case 31: "Tokimec Inc."
        case 32: "Simplex"
        case 33: "North Building Technologies Limited"
        case 34: "Notifier"
        case 35: "Reliable Controls Corporation"
        case 36: "Tridium Inc."
        case 37: "MSA Safety"
        case 38: "Silicon Energy"
        case 39: "Kieback & Peter GmbH & Co KG"
        case 40: "Anacon Systems, Inc."
        case 41: "Systems Controls & Instruments, LLC"
        case 42: "Acuity Brands Lighting, Inc."
        case 43: "Micropower Manufacturing"
        case 44: "Matrix Controls"
        case 45: "METALAIRE"
        case 46: "ESS Engineering"
        case 47: "Sphere Systems Pty Ltd."
        case 48: "Walker Technologies Corporation"
        case 49: "H I Solutions, Inc."
        case 260: "BACnet Stack at SourceForge"
        default: nil
        }
    }

    /// BACnet error classes (clause 18).
    public static func errorClassName(_ value: UInt32) -> String? {
        switch value {
        case 0: "device"
        case 1: "object"
        case 2: "property"
        case 3: "resources"
        case 4: "security"
        case 5: "services"
        case 6: "vt"
        case 7: "communication"
        default: nil
        }
    }

    /// BACnet error codes (clause 18 / 21); others are `error_<n>`.
    public static func errorCodeName(_ value: UInt32) -> String {
        let names = [
            "other", "authentication_failed", "configuration_in_progress", "device_busy",
            "dynamic_creation_not_supported", "file_access_denied", "incompatible_security_levels",
            "inconsistent_parameters", "inconsistent_selection_criterion", "invalid_data_type",
            "invalid_file_access_method", "invalid_file_start_position", "invalid_operator_name",
            "invalid_parameter_data_type", "invalid_time_stamp", "key_generation_error",
            "missing_required_parameter", "no_objects_of_specified_type", "no_space_for_object",
            "no_space_to_add_list_element", "no_space_to_write_property", "no_vt_sessions_available",
            "property_is_not_a_list", "object_deletion_not_permitted", "object_identifier_already_exists",
            "operational_problem", "password_failure", "read_access_denied", "security_not_supported",
            "service_request_denied", "timeout", "unknown_object", "unknown_property", "removed",
            "unknown_vt_class", "unknown_vt_session", "unsupported_object_type", "value_out_of_range",
            "vt_session_already_closed", "vt_session_termination_failure", "write_access_denied",
            "character_set_not_supported", "invalid_array_index", "cov_subscription_failed",
            "not_cov_property", "optional_functionality_not_supported", "invalid_configuration_data",
            "datatype_not_supported", "duplicate_name", "duplicate_object_id", "property_is_not_an_array",
        ]
        return Int(value) < names.count ? names[Int(value)] : "error_\(value)"
    }
}
