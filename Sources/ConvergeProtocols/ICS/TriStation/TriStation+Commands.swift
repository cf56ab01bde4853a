import ConvergeModel

extension TriStation {
    /// TriStation command codes with snake_case names and operations, as published from the
    /// TRITON analyses (Nozomi Networks' TriStation dissector lists the same table).
    public enum Command {
        public static let startDownloadAll: UInt8 = 0
        public static let startDownloadChange: UInt8 = 1
        public static let getCPStatus: UInt8 = 19
        public static let runProgram: UInt8 = 20
        public static let haltProgram: UInt8 = 21
        public static let allocateProgram: UInt8 = 55
        public static let getCPStatusResponse: UInt8 = 108
        public static let programIsRunning: UInt8 = 109
        public static let programIsHalted: UInt8 = 110
        public static let programIsPaused: UInt8 = 111
        /// Codes from here are rejections (`command_rejected` is 100).
        public static let firstRejection: UInt8 = 200

        /// Commands that change the logic in the controller (the TRITON path).
        static let programChanges: [UInt8] = [0, 1, 5, 6, 10, 11, 48, 49, 50, 55, 56, 59, 60, 63, 68, 72, 80]

        static func isProgramChange(_ code: UInt8) -> Bool { programChanges.contains(code) }

        static let requests: [(code: UInt8, name: String, operation: Operation)] = [
            (0, "start_download_all", .program), (1, "start_download_change", .program),
            (2, "update_configuration", .program), (3, "upload_configuration", .program),
            (4, "set_io_addresses", .control), (5, "allocate_network", .program),
            (6, "load_vector_table", .program), (7, "set_calendar", .control), (8, "get_calendar", .read),
            (9, "set_scan_time", .control), (10, "end_download_all", .program),
            (11, "end_download_change", .program), (12, "cancel_download_change", .program),
            (13, "attach_tricon", .session), (14, "set_io_address_limits", .control),
            (15, "configure_module", .control), (16, "set_multiple_point_values", .write),
            (17, "enable_all_points", .control), (18, "upload_vector_table", .program),
            (19, "get_cp_status", .diagnostic), (20, "run_program", .control), (21, "halt_program", .control),
            (22, "pause_program", .control), (23, "do_single_scan", .control),
            (24, "get_chassis_status", .diagnostic), (25, "get_minimum_scan_time", .diagnostic),
            (26, "set_node_number", .control), (27, "set_io_point_values", .write),
            (28, "get_io_point_values", .read), (29, "get_mp_status", .diagnostic),
            (30, "set_retentive_values", .write), (31, "adjust_clock_calendar", .control),
            (32, "clear_module_alarms", .control), (33, "get_event_log", .read), (34, "set_soe_block", .write),
            (35, "record_event_log", .other), (36, "get_soe_data", .read), (37, "enable_ovd", .control),
            (38, "disable_ovd", .control), (39, "enable_all_ovds", .control), (40, "disable_all_ovds", .control),
            (41, "process_modbus", .other), (42, "upload_network", .program), (43, "set_label", .write),
            (44, "configure_system_variables", .write), (45, "deconfigure_module", .control),
            (46, "get_system_variables", .read), (47, "get_module_types", .discovery),
            (48, "begin_conversion_table_download", .program),
            (49, "continue_conversion_table_download", .program),
            (50, "end_conversion_table_download", .program), (51, "get_conversion_table", .read),
            (52, "set_icm_status", .write), (53, "broadcast_soe_data_available", .other),
            (54, "get_module_versions", .discovery), (55, "allocate_program", .program),
            (56, "allocate_function", .program), (57, "clear_retentives", .control),
            (58, "set_initial_values", .write), (59, "start_ts2_program_download", .program),
            (60, "set_ts2_data_area", .program), (61, "get_ts2_data", .read), (62, "set_ts2_data", .write),
            (63, "set_program_information", .program), (64, "get_program_information", .discovery),
            (65, "upload_program", .program), (66, "upload_function", .program),
            (67, "get_point_groups", .read), (68, "allocate_symbol_table", .program),
            (69, "get_io_address", .read), (70, "resend_io_address", .other),
            (71, "get_program_timing", .diagnostic), (72, "allocate_multiple_functions", .program),
            (73, "get_node_number", .discovery), (74, "get_symbol_table", .read),
            (80, "go_to_download_mode", .program),
        ]

        static let replies: [(code: UInt8, name: String, operation: Operation)] = [
            (100, "command_rejected", .other), (101, "download_all_permitted", .program),
            (102, "download_change_permitted", .program), (103, "modification_accepted", .program),
            (104, "download_cancelled", .program), (105, "program_accepted", .program),
            (106, "tricon_attached", .session), (107, "io_addresses_set", .control),
            (108, "get_cp_status_response", .diagnostic), (109, "program_is_running", .control),
            (110, "program_is_halted", .control), (111, "program_is_paused", .control),
            (112, "end_of_single_scan", .control), (113, "get_chassis_configuration_response", .diagnostic),
            (114, "scan_period_modified", .control), (117, "module_configured", .control),
            (119, "get_chassis_status_response", .diagnostic), (120, "vectors_response", .program),
            (121, "get_io_point_values_response", .read), (122, "calendar_changed", .control),
            (123, "configuration_updated", .program), (124, "get_minimum_scan_time_response", .diagnostic),
            (126, "node_number_set", .control), (127, "get_mp_status_response", .diagnostic),
            (128, "retentive_values_set", .write), (129, "soe_block_set", .write),
            (130, "module_alarms_cleared", .control), (131, "get_event_log_response", .read),
            (132, "symbol_table_accepted", .program), (133, "ovd_enable_accepted", .control),
            (134, "ovd_disable_accepted", .control), (135, "record_event_log_response", .other),
            (136, "upload_network_response", .program), (137, "get_soe_data_response", .read),
            (138, "allocate_network_accepted", .program), (139, "load_vector_table_accepted", .program),
            (140, "get_calendar_response", .read), (141, "label_set", .write),
            (142, "get_module_types_response", .discovery), (143, "system_variables_configured", .write),
            (144, "module_deconfigured", .control), (147, "get_conversion_table_response", .read),
            (148, "icm_print_data_sent", .other), (149, "set_icm_status_response", .write),
            (150, "get_system_variables_response", .read), (151, "get_module_versions_response", .discovery),
            (152, "process_modbus_response", .other), (153, "allocate_program_response", .program),
            (154, "allocate_function_response", .program), (155, "clear_retentives_response", .control),
            (156, "set_initial_values_response", .write), (157, "set_ts2_data_area_response", .program),
            (158, "get_ts2_data_response", .read), (159, "set_ts2_data_response", .write),
            (160, "set_program_information_response", .program),
            (161, "get_program_information_response", .discovery), (162, "upload_program_response", .program),
            (163, "upload_function_response", .program), (164, "get_point_groups_response", .read),
            (165, "allocate_symbol_table_response", .program), (166, "program_timing_response", .diagnostic),
            (167, "disable_points_full", .other), (168, "allocate_multiple_functions_response", .program),
            (169, "get_node_number_response", .discovery), (170, "symbol_table_response", .read),
        ]

        static let rejections: [(code: UInt8, name: String)] = [
            (200, "wrong_command"), (201, "load_in_progress"), (202, "bad_clock_calendar_data"),
            (203, "control_program_not_halted"), (204, "control_program_checksum_error"),
            (205, "no_memory_available"), (206, "control_program_not_valid"),
            (207, "not_loading_a_control_program"), (208, "network_out_of_range"),
            (209, "not_enough_arguments"), (210, "network_missing"), (211, "download_time_mismatch"),
            (212, "key_setting_prohibits_operation"), (213, "bad_control_program_version"),
            (214, "command_not_in_sequence"), (216, "bad_module_index"), (217, "invalid_module_address"),
            (220, "bad_io_point_offset"), (221, "invalid_point_type"), (222, "invalid_point_location"),
            (223, "invalid_program_name"), (227, "invalid_module_type"), (229, "invalid_table_type"),
            (231, "invalid_network_continuation"), (232, "invalid_scan_time"), (233, "load_busy"),
            (234, "mp_re_educated"), (235, "invalid_chassis_or_slot"), (236, "invalid_soe_number"),
            (237, "invalid_soe_type"), (238, "invalid_soe_state"), (239, "variable_write_protected"),
            (240, "node_number_mismatch"), (241, "command_not_allowed"), (242, "invalid_sequence_number"),
            (243, "time_change_on_non_master"), (244, "no_free_tristation_ports"),
            (245, "invalid_tristation_i_command"), (246, "invalid_tristation_1131_command"),
            (247, "only_one_chassis_allowed"), (248, "bad_variable_address"), (249, "response_overflow"),
            (250, "invalid_bus"), (251, "disable_not_allowed"), (252, "invalid_length"),
            (253, "point_cannot_be_disabled"), (254, "too_many_retentive_variables"),
            (255, "loader_connect"),
        ]

        /// The command's name and operation; rejections are `other` (their status says more).
        static func entry(_ code: UInt8) -> (name: String, operation: Operation)? {
            if let request = requests.first(where: { $0.code == code }) { return (request.name, request.operation) }
            if let reply = replies.first(where: { $0.code == code }) { return (reply.name, reply.operation) }
            if let rejection = rejections.first(where: { $0.code == code }) { return (rejection.name, .other) }
            return nil
        }

        public static func name(_ code: UInt8) -> String {
            entry(code)?.name ?? "unknown_" + String(code)
        }

        public static func operation(_ code: UInt8) -> Operation { entry(code)?.operation ?? .other }
    }
}
